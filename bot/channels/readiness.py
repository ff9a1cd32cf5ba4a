"""Readiness of the Rasa server, on the web channel's blueprint: `GET /webhooks/web/ready` answers 503 until the
model is loaded and has parsed a message and predicted an action once, so that no lazy work (TensorFlow graph
tracing, the jieba dictionary, the spaCy pipeline) is left for the first customer. Liveness stays `GET /`."""

from __future__ import annotations

import logging
import time
from typing import Any

from rasa.core.agent import Agent
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

logger = logging.getLogger(__name__)
WARM_UP_MESSAGES = ("你好", "信用卡年费是多少", "帮我查下余额")
"""A greeting, a knowledge-base question and a skill: each path through the pipeline and policies once."""


async def warm_up(agent: Agent) -> None:
    """Parse each warm-up message and predict the next action on a throwaway tracker (nothing is stored)."""
    for text in WARM_UP_MESSAGES:
        parsed = await agent.parse_message(text)
        tracker = DialogueStateTracker.from_events(
            "kefu-warm-up", [ActionExecuted(ACTION_LISTEN_NAME), UserUttered(text, parsed["intent"],
                                                                            parsed["entities"], parsed)],
            slots=agent.domain.slots,
        )
        agent.predict_next_with_tracker(tracker)


def attach_readiness(blueprint: Blueprint) -> Blueprint:
    """Add `GET <prefix>/ready` and the warm-up that turns it to 200."""
    state = {"ready": False}

    @blueprint.route("/ready", methods=["GET"])
    async def ready(_request: Request) -> HTTPResponse:
        return response.json({"ready": state["ready"]}, status=200 if state["ready"] else 503)

    @blueprint.listener("after_server_start")
    async def warm(app: Sanic, _loop: Any) -> None:
        agent = getattr(app.ctx, "agent", None)
        if agent is None or not agent.is_ready():
            logger.error("no model loaded: the server stays not ready")
            return
        started = time.perf_counter()
        await warm_up(agent)
        state["ready"] = True
        logger.info("Rasa server warmed up in %.1f s", time.perf_counter() - started)

    return blueprint
