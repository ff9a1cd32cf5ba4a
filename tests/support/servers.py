"""Test servers' surroundings: the Official Account the WeChat channel is set up for, on a free loopback port;
what the started servers measured right after start.

Tests take free ports from `bot.devtools.local.free_port`, imported here.
"""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass

from bot.devtools.local import free_port
from bot.runtime.serve import ServerPorts


@dataclass(frozen=True)
class WeChatAccount:
    """The Official Account the test servers are configured for; tests play the WeChat platform."""

    token: str
    app_id: str
    app_secret: str
    encoding_aes_key: str
    api_port: int

    @property
    def environment(self) -> dict[str, str]:
        """The environment variables the WeChat channel reads."""
        return {
            "WECHAT_TOKEN": self.token,
            "WECHAT_APP_ID": self.app_id,
            "WECHAT_APP_SECRET": self.app_secret,
            "WECHAT_ENCODING_AES_KEY": self.encoding_aes_key,
            "WECHAT_API_BASE": f"http://127.0.0.1:{self.api_port}",
        }

    @classmethod
    def fresh(cls) -> WeChatAccount:
        """New random credentials and a free port for the fake customer-service message API."""
        return cls(
            token=secrets.token_hex(8),
            app_id="wx" + secrets.token_hex(8),
            app_secret=secrets.token_hex(16),
            encoding_aes_key=base64.b64encode(secrets.token_bytes(32)).decode().rstrip("="),
            api_port=free_port(),
        )


@dataclass(frozen=True)
class LiveServers:
    """The started servers and how fast they answered right after saying ready, and later."""

    ports: ServerPorts
    first_ms: dict[str, float]
    later_ms: dict[str, list[float]]
