"""Entry point of the action server: rasa_sdk's server for `actions/`, whose `GET /ready` answers 503 until the
process-wide services are built and used once (the knowledge-base index with its embedding models, the branch
directory, the place gazetteer), so that the first customer's question is answered as fast as the hundredth.
Liveness stays `GET /health`."""

from __future__ import annotations

import argparse
import asyncio
import logging
import time
from collections.abc import Sequence
from typing import Any

from rasa_sdk import utils
from rasa_sdk.endpoint import create_app
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.branches.places import place_mentions
from bot.content.services import branch_directory, knowledge_base, watch_knowledge_base
from bot.observability.action_server import observe_actions
from bot.observability.endpoint import attach_observability
from bot.observability.logs import configure_logging

logger = logging.getLogger(__name__)


def warm_up() -> None:
    """Build the services the actions share and run each once."""
    watch_knowledge_base()
    knowledge_base().answer("信用卡年费是多少")
    branch_directory()
    place_mentions("北京市朝阳区附近的网点")


def build_app(actions: str = "actions") -> Sanic:
    """rasa_sdk's application with the readiness route, the warm-up after the server starts, `GET /metrics`
    and each action call timed in the turn of its message."""
    app = create_app(actions)
    observe_actions(app)
    attach_observability(app, "actions")
    state = {"ready": False}

    @app.get("/ready")
    async def ready(_request: Request) -> HTTPResponse:
        return response.json({"ready": state["ready"]}, status=200 if state["ready"] else 503)

    @app.listener("after_server_start")
    async def warm(_app: Sanic, _loop: Any) -> None:
        started = time.perf_counter()
        await asyncio.to_thread(warm_up)
        state["ready"] = True
        logger.info("Action server warmed up in %.1f s", time.perf_counter() - started)

    return app


def main(argv: Sequence[str] | None = None) -> None:
    """`python -m bot.runtime.action_main --host H --port P [--actions PACKAGE]`."""
    parser = argparse.ArgumentParser(description="kefu action server")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5055)
    parser.add_argument("--actions", default="actions")
    args = parser.parse_args(argv)
    utils.configure_colored_logging("INFO")
    configure_logging("actions")
    build_app(args.actions).run(args.host, args.port, workers=1, access_log=False, motd=False)


if __name__ == "__main__":
    main()
