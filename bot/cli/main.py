"""Entry point of the `kefu` console script."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from bot.cli import analytics_commands, chat_commands, handoff_commands, kb_commands, serve_commands


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser with every command group."""
    parser = argparse.ArgumentParser(prog="kefu", description="kefu 智能客服：银行与保险客服助手")
    subparsers = parser.add_subparsers(dest="command", required=True)
    serve_commands.register(subparsers)
    kb_commands.register(subparsers)
    handoff_commands.register(subparsers)
    chat_commands.register(subparsers)
    analytics_commands.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments and run the chosen command; returns the exit code."""
    args = build_parser().parse_args(argv)
    return int(args.handler(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
