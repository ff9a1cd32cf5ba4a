"""Website chat widget channel: Socket.IO transport plus the widget's script, stylesheet and demo page.

A bank page embeds the widget with one tag:
`<script src="https://bot.example/webhooks/widget/kefu-widget.js" data-customer-token="..." async></script>`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.socketio import SocketBlueprint
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncRedisManager, AsyncServer

from bot.channels.guard import TurnGuard
from bot.channels.widget.output import WidgetOutput
from bot.channels.widget.session import CHANNEL_NAME, WidgetSessions
from bot.core.paths import PROJECT_ROOT
from bot.core.settings import current_settings

WIDGET_DIR = PROJECT_ROOT / "widget"
SOCKETIO_PATH = "/webhooks/widget/socket.io"
ASSETS: dict[str, tuple[Path, str]] = {
    "kefu-widget.js": (WIDGET_DIR / "src" / "kefu-widget.js", "application/javascript; charset=utf-8"),
    "kefu-widget.css": (WIDGET_DIR / "src" / "kefu-widget.css", "text/css; charset=utf-8"),
    "socket.io.min.js": (
        WIDGET_DIR / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js",
        "application/javascript; charset=utf-8",
    ),
    "demo": (WIDGET_DIR / "demo.html", "text/html; charset=utf-8"),
}
MISSING_ASSET = "网页客服组件文件缺失，请先运行 make run（会执行 npm ci --prefix widget）。"


def parse_origins(value: str | None) -> list[str] | None:
    """Allowed page origins from a comma-separated list; None (any origin) for empty or `*`."""
    origins = [origin.strip().rstrip("/") for origin in (value or "").split(",") if origin.strip()]
    return None if not origins or "*" in origins else origins


def client_manager() -> AsyncRedisManager | None:
    """With `REDIS_URL`, Socket.IO rooms span every Rasa instance (an agent's message pushed through one
    instance reaches a page connected to another); without it, rooms are local to this process."""
    url = current_settings().redis_url
    return AsyncRedisManager(url) if url else None


class WidgetInput(InputChannel):
    """`/webhooks/widget/`: the embeddable chat widget for the bank's website."""

    @classmethod
    def name(cls) -> str:
        """URL prefix of the channel."""
        return CHANNEL_NAME

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        """Allowed origins come from `WIDGET_ALLOWED_ORIGINS`, else `allowed_origins`, else any."""
        configured = (credentials or {}).get("allowed_origins")
        return cls(parse_origins(current_settings().widget_allowed_origins or configured))

    def __init__(self, allowed_origins: list[str] | None = None) -> None:
        self.allowed_origins = allowed_origins
        self.sio: AsyncServer | None = None

    def get_output_channel(self) -> OutputChannel | None:
        """Where pushed events (`output_channel=latest`, e.g. agent messages) go."""
        return WidgetOutput(self.sio) if self.sio else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Socket.IO endpoint plus the static files of the widget."""
        # Engine.IO's own CORS headers stay off: `rasa run --cors` adds them to HTTP responses (twice would
        # break browsers); origins are checked when a socket connects.
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=[], client_manager=client_manager())
        self.sio = sio
        guard = TurnGuard(on_new_message)
        WidgetSessions(sio, guard, self.allowed_origins)  # registers the Socket.IO event handlers
        blueprint = guard.attach(SocketBlueprint(sio, SOCKETIO_PATH, "widget_webhook", __name__))

        @blueprint.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @blueprint.route("/<name:str>", methods=["GET"])
        async def asset(_: Request, name: str) -> HTTPResponse:
            if name not in ASSETS:
                return response.text("未找到该页面。", status=404)
            path, content_type = ASSETS[name]
            if not path.is_file():
                return response.text(MISSING_ASSET, status=503)
            return await response.file(path, mime_type=content_type, headers={"Cache-Control": "no-cache"})

        return blueprint
