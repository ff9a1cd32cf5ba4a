"""`kefu train`: train the Rasa model unless one for the current inputs exists."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.core.paths import MODELS_DIR
from bot.runtime.training import train


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `train` command."""
    command = subparsers.add_parser("train", help="训练模型（输入未变化时复用已有模型）")
    command.add_argument("--force", action="store_true", help="即使模型已是最新也重新训练")
    command.add_argument("--out", type=Path, default=MODELS_DIR)
    command.set_defaults(handler=_train)


def _train(args: argparse.Namespace) -> int:
    print(f"模型：{train(args.out, force=args.force)}")
    return 0
