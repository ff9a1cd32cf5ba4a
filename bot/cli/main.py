"""Entry point of the `kefu` console script; each top-level command is a module of this package."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from bot.cli import agent, analytics, audit, chat, console, db, events, kb, nlu, privacy, reload, run, shell, train

COMMANDS = (db, kb, nlu, train, run, reload, shell, chat, console, agent, events, analytics, privacy, audit)


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser with every command."""
    parser = argparse.ArgumentParser(prog="kefu", description="kefu 智能客服：银行与保险客服助手")
    subparsers = parser.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments and run the chosen command; returns the exit code."""
    args = build_parser().parse_args(argv)
    return int(args.handler(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
