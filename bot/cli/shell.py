"""`kefu shell`: chat with a running kefu server in the terminal."""

from __future__ import annotations

import argparse

from bot.devtools.shell import run_shell


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `shell` command."""
    command = subparsers.add_parser("shell", help="在终端与运行中的客服对话")
    command.add_argument("--url", default="http://127.0.0.1:5005")
    command.set_defaults(handler=_shell)


def _shell(args: argparse.Namespace) -> int:
    run_shell(args.url)
    return 0
