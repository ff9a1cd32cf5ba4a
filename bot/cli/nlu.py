"""`kefu nlu`: NLU tools (the jieba dictionary from the knowledge base's terms)."""

from __future__ import annotations

import argparse

from bot.core.paths import KNOWLEDGE_BASE_DIR
from bot.nlu.jieba_dict import write_dictionary
from bot.runtime.training import JIEBA_DIR


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `nlu` command group."""
    nlu = subparsers.add_parser("nlu", help="NLU 工具")
    commands = nlu.add_subparsers(dest="nlu_command", required=True)
    commands.add_parser("dict", help="由知识库术语生成结巴自定义词典").set_defaults(handler=_dict)


def _dict(_args: argparse.Namespace) -> int:
    print(f"已生成结巴词典：{write_dictionary(KNOWLEDGE_BASE_DIR, JIEBA_DIR)}")
    return 0
