"""`kefu console`: the agent console web application."""

from __future__ import annotations

import argparse

from bot.console.app import create_app
from bot.db.migrate import upgrade
from bot.handoff.rasa_api import RasaApi
from bot.observability.logs import configure_logging


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `console` command."""
    console = subparsers.add_parser("console", help="启动人工客服工作台（网页）")
    console.add_argument("--host", default="127.0.0.1")
    console.add_argument("--port", type=int, default=5010)
    console.set_defaults(handler=_console)


def _console(args: argparse.Namespace) -> int:
    configure_logging("console")
    upgrade()
    create_app(RasaApi.from_environment()).run(host=args.host, port=args.port, access_log=False, motd=False)
    return 0
