"""Putting a new model into service without downtime: `POST /webhooks/web/reload` (with the server's API token)
loads the model next to the one answering, warms it up off the event loop, and swaps it in whole.

The new agent keeps the server's tracker store, lock store, event broker and action endpoint, so a
conversation in progress continues on the new model at its next message and no message is lost: turns that
started before the swap finish on the old agent, under the same conversation locks. Until the swap the old
model answers every message.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import time
from pathlib import Path
from typing import Any

from rasa.core.agent import Agent
from rasa.core.tracker_store import FailSafeTrackerStore, TrackerStore
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.readiness import warm_up
from bot.core.settings import current_settings

logger = logging.getLogger(__name__)


def _authorised(request: Request) -> bool:
    token = current_settings().api_token
    given = request.args.get("token") or request.headers.get("authorization", "").removeprefix("Bearer ")
    return bool(token) and hmac.compare_digest(given.encode(), token.encode())


def _store_of(agent: Agent) -> TrackerStore:
    """The agent's tracker store without the fail-safe wrapper `Agent` puts around it (and would put again)."""
    store = agent.tracker_store
    return store._tracker_store if isinstance(store, FailSafeTrackerStore) else store


def load_warm(model: Path, serving: Agent) -> Agent:
    """A new agent for `model` sharing `serving`'s stores and endpoints, warmed up (runs in a worker thread).

    The responses come from the new model's domain; the shared tracker store reads conversations with it.
    """
    agent = Agent.load(
        str(model), tracker_store=_store_of(serving), lock_store=serving.lock_store,
        action_endpoint=serving.action_endpoint,
    )
    asyncio.run(warm_up(agent))
    return agent


def attach_reload(blueprint: Blueprint) -> Blueprint:
    """Add `POST <prefix>/reload` with `{"model": "<path of a trained model>"}`."""
    swap = asyncio.Lock()

    @blueprint.route("/reload", methods=["POST"])
    async def reload(request: Request) -> HTTPResponse:
        if not _authorised(request):
            return response.json({"error": "unauthorised"}, status=401)
        body: Any = request.json if request.body else None
        model = Path(body.get("model", "")) if isinstance(body, dict) else None
        if model is None or not model.is_file():
            return response.json({"error": "model not found"}, status=400)
        app: Sanic = request.app
        async with swap:
            started = time.perf_counter()
            try:
                agent = await asyncio.to_thread(load_warm, model, app.ctx.agent)
            except Exception as error:  # the old model keeps answering whatever the new one's problem is
                logger.exception("model %s could not be loaded", model.name)
                return response.json({"error": f"model could not be loaded: {error}"}, status=500)
            app.ctx.agent = agent
        seconds = time.perf_counter() - started
        logger.info("model %s in service after %.1f s", model.name, seconds)
        return response.json({"model": model.name, "seconds": round(seconds, 1)})

    return blueprint
