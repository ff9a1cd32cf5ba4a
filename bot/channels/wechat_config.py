"""Settings of the WeChat Official Account channel, read from the environment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

DEFAULT_API_BASE = "https://api.weixin.qq.com"
DEFAULT_REPLY_DEADLINE = 4.5


@dataclass(frozen=True)
class WeChatSettings:
    """What the channel needs to know about the Official Account it serves."""

    token: str | None
    app_id: str | None = None
    app_secret: str | None = None
    encoding_aes_key: str | None = None
    api_base: str = DEFAULT_API_BASE
    reply_deadline: float = DEFAULT_REPLY_DEADLINE
    redis_url: str | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> WeChatSettings:
        """`WECHAT_TOKEN`, `WECHAT_APP_ID`, `WECHAT_APP_SECRET`, `WECHAT_ENCODING_AES_KEY`, `WECHAT_API_BASE`,
        `WECHAT_REPLY_DEADLINE` (seconds) and `REDIS_URL`; empty values count as unset."""
        env = os.environ if environ is None else environ

        def value(name: str) -> str | None:
            return (env.get(name) or "").strip() or None

        return cls(
            token=value("WECHAT_TOKEN"),
            app_id=value("WECHAT_APP_ID"),
            app_secret=value("WECHAT_APP_SECRET"),
            encoding_aes_key=value("WECHAT_ENCODING_AES_KEY"),
            api_base=(value("WECHAT_API_BASE") or DEFAULT_API_BASE).rstrip("/"),
            reply_deadline=_seconds(value("WECHAT_REPLY_DEADLINE"), DEFAULT_REPLY_DEADLINE),
            redis_url=value("REDIS_URL"),
        )

    @property
    def can_call_api(self) -> bool:
        """Whether the customer-service message API can be used (it needs the AppID and AppSecret)."""
        return bool(self.app_id and self.app_secret)


def _seconds(text: str | None, default: float) -> float:
    """A positive number of seconds, or `default` when missing or malformed."""
    try:
        seconds = float(text) if text else default
    except ValueError:
        return default
    return seconds if seconds > 0 else default
