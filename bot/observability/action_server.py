"""The action server's share of a customer turn: each `POST /webhook` runs in the turn of the message that
triggered it (request id from the message metadata, conversation pseudonym from the sender id), is timed per
action and logged in one line."""

from __future__ import annotations

import json
import logging
import time
import zlib
from typing import Any

from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.observability.metrics import ACTION_FAILURES, ACTION_SECONDS, OTHER
from bot.observability.turn import enter_turn, leave_turn, new_turn, request_id_in

logger = logging.getLogger(__name__)
WEBHOOK = "/webhook"


def observe_actions(app: Sanic) -> None:
    """Register the middleware that puts each action call in its turn and times it."""

    @app.middleware("request")
    async def begin(request: Request) -> None:
        if request.path != WEBHOOK or request.method != "POST":
            return
        call = _action_call(request)
        tracker = call.get("tracker") or {}
        turn = new_turn(str(call.get("sender_id") or tracker.get("sender_id") or ""), request_id=request_id_in(
            _latest_user_metadata(tracker.get("events") or [])))
        request.ctx.kefu_turn = enter_turn(turn)
        request.ctx.kefu_action = str(call.get("next_action") or OTHER)
        request.ctx.kefu_started = time.perf_counter()

    @app.middleware("response")
    async def end(request: Request, response: HTTPResponse) -> None:
        token = getattr(request.ctx, "kefu_turn", None)
        if token is None:
            return
        action = request.ctx.kefu_action if response.status != 404 else OTHER
        seconds = time.perf_counter() - request.ctx.kefu_started
        ACTION_SECONDS.labels(action).observe(seconds)
        if response.status != 200:
            ACTION_FAILURES.labels(action).inc()
        logger.info("action %s answered %d in %.0f ms", action, response.status, seconds * 1000,
                    extra={"action": action, "status": response.status, "duration_ms": round(seconds * 1000, 1)})
        leave_turn(token)
        request.ctx.kefu_turn = None


def _action_call(request: Request) -> dict[str, Any]:
    """The action call Rasa posted (deflate-compressed when Rasa is set to compress it), or {}."""
    try:
        if request.headers.get("Content-Encoding") == "deflate":
            call = json.loads(zlib.decompress(request.body))
        else:
            call = request.json
    except (ValueError, zlib.error):
        return {}
    return call if isinstance(call, dict) else {}


def _latest_user_metadata(events: list[dict[str, Any]]) -> dict[str, Any] | None:
    for event in reversed(events):
        if isinstance(event, dict) and event.get("event") == "user":
            metadata = event.get("metadata")
            return metadata if isinstance(metadata, dict) else None
    return None
