"""Socket.IO events of the website widget: origin check, session binding, history, user messages.

Protocol: the page emits `session_request {session_id}`; the server joins the socket to the room named by
the session id and answers `session_confirm {session_id, history}`. The page emits
`user_uttered {message, session_id, metadata: {customer_token}}`; bot messages arrive as `bot_uttered`.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Mapping
from typing import Any

from rasa.core.channels.channel import UserMessage
from socketio import AsyncServer

from bot.channels.guard import TurnGuard
from bot.channels.widget.history import conversation_history
from bot.channels.widget.output import WidgetOutput

logger = logging.getLogger(__name__)

CHANNEL_NAME = "widget"
TOKEN_KEY = "customer_token"
_SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


def valid_session_id(value: Any) -> str | None:
    """`value` if it can name a conversation (8–64 URL-safe characters), else None."""
    return value if isinstance(value, str) and _SESSION_ID.match(value) else None


def origin_allowed(allowed: list[str] | None, environ: Mapping[str, Any]) -> bool:
    """Whether a connecting page's origin may use the widget (`allowed` None means any origin).

    Clients that send no Origin header (not browsers) and pages served by this server itself are accepted.
    """
    origin = environ.get("HTTP_ORIGIN")
    if allowed is None or not origin:
        return True
    own = f"{environ.get('wsgi.url_scheme', 'http')}://{environ.get('HTTP_HOST', '')}"
    return origin == own or origin.rstrip("/") in allowed


def message_metadata(data: Mapping[str, Any]) -> dict[str, Any]:
    """The metadata the bot may read from a page's message: only the signed customer token."""
    metadata = data.get("metadata")
    token = metadata.get(TOKEN_KEY) if isinstance(metadata, Mapping) else None
    return {TOKEN_KEY: token} if isinstance(token, str) and token else {}


class WidgetSessions:
    """Registers the widget's event handlers on a Socket.IO server."""

    def __init__(
        self,
        sio: AsyncServer,
        guard: TurnGuard,
        allowed_origins: list[str] | None,
    ) -> None:
        self.sio = sio
        self.guard = guard
        self.allowed_origins = allowed_origins
        sio.on("connect", self.connect)
        sio.on("session_request", self.session_request)
        sio.on("user_uttered", self.user_uttered)

    async def connect(self, sid: str, environ: dict[str, Any], auth: Any = None) -> bool:
        """Accept browsers from allowed origins only."""
        if origin_allowed(self.allowed_origins, environ):
            return True
        logger.info("Widget connection from origin %s refused", environ.get("HTTP_ORIGIN"))
        return False

    async def session_request(self, sid: str, data: Any = None) -> None:
        """Bind the socket to the requested (or a new) session and send the conversation so far."""
        requested = data.get("session_id") if isinstance(data, Mapping) else None
        await self._bind(sid, valid_session_id(requested) or uuid.uuid4().hex)

    async def user_uttered(self, sid: str, data: Any = None) -> None:
        """Pass a customer's message to Rasa; replies go to the session's room."""
        if not isinstance(data, Mapping):
            return
        text = data.get("message")
        if not isinstance(text, str) or not text.strip():
            return
        session_id = await self._session_of(sid)
        if session_id is None:
            session_id = valid_session_id(data.get("session_id")) or uuid.uuid4().hex
            await self._bind(sid, session_id)
        message = UserMessage(
            text.strip(), WidgetOutput(self.sio), session_id,
            input_channel=CHANNEL_NAME, metadata=message_metadata(data),
        )
        await self.guard(message)

    async def _session_of(self, sid: str) -> str | None:
        try:
            session = await self.sio.get_session(sid)
        except KeyError:
            return None
        return session.get("session_id")

    async def _bind(self, sid: str, session_id: str) -> None:
        previous = await self._session_of(sid)
        if previous and previous != session_id:
            await self.sio.leave_room(sid, previous)
        await self.sio.enter_room(sid, session_id)
        await self.sio.save_session(sid, {"session_id": session_id})
        await self.sio.emit(
            "session_confirm", {"session_id": session_id, "history": await self._history(session_id)}, to=sid
        )

    async def _history(self, session_id: str) -> list[dict[str, Any]]:
        app = self.guard.app  # the app serving the channel, known once the server has started
        agent = getattr(app.ctx, "agent", None) if app else None
        if agent is None or agent.tracker_store is None:
            return []
        try:
            tracker = await agent.tracker_store.retrieve(session_id)
        except Exception:
            logger.exception("Could not load the history of session %s", session_id)
            return []
        return conversation_history(tracker.events) if tracker else []
