"""Settings of the WeChat Official Account channel."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.core.settings import Settings

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
        settings = Settings.from_environ(environ)
        return cls(
            token=settings.wechat_token,
            app_id=settings.wechat_app_id,
            app_secret=settings.wechat_app_secret,
            encoding_aes_key=settings.wechat_encoding_aes_key,
            api_base=(settings.wechat_api_base or DEFAULT_API_BASE).rstrip("/"),
            reply_deadline=_seconds(settings.wechat_reply_deadline, DEFAULT_REPLY_DEADLINE),
            redis_url=settings.redis_url,
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
