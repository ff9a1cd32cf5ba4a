"""`GET /metrics`: the process's Prometheus series in the text exposition format, on a Sanic app or blueprint;
with it, the process's log format applied again just before its server starts."""

from __future__ import annotations

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest
from sanic import Blueprint, Sanic
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.observability import metrics  # noqa: F401 - defines the series and counts database retries
from bot.observability.logs import configure_logging


def attach_metrics(target: Sanic | Blueprint) -> None:
    """Add `GET /metrics` (below the blueprint's prefix, if any). It needs no login and shows no personal data."""

    @target.route("/metrics", methods=["GET"])
    async def scrape(_request: Request) -> HTTPResponse:
        return HTTPResponse(generate_latest(REGISTRY), content_type=CONTENT_TYPE_LATEST)


def attach_observability(target: Sanic | Blueprint, process: str) -> None:
    """`GET /metrics` on `target`, and the process's logs set up again just before its server starts (after
    Sanic configured its own loggers)."""
    attach_metrics(target)

    @target.listener("before_server_start")
    async def logs(_app: Sanic, _loop: object) -> None:
        configure_logging(process)
