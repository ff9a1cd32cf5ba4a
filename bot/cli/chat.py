"""`kefu chat --script FILE.yml`: play scripted conversations against the bot and check every reply."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from bot.content.files import ContentError, import_content
from bot.core.paths import KNOWLEDGE_BASE_DIR
from bot.core.settings import current_settings
from bot.db.seed import seed_demo_customers
from bot.devtools.local import local_servers
from bot.devtools.runner import ScriptClient, ServerError, run_scripts
from bot.devtools.script import Script, ScriptError, load_scripts
from bot.runtime.training import train

DEFAULT_URL = "http://127.0.0.1:5005"
USAGE_ERROR = 2


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `chat` command."""
    chat = subparsers.add_parser(
        "chat", help="按脚本与客服进行多轮对话并核对意图、回复和文本（全部通过返回 0，不符返回 1，脚本错误返回 2）"
    )
    chat.add_argument("--script", type=Path, nargs="+", required=True, metavar="FILE",
                      help="对话脚本（YAML），可给多个文件或目录")
    chat.add_argument("--url", default=None, help=f"运行中的客服服务地址（默认 {DEFAULT_URL}）")
    chat.add_argument("--token", default=None, help="Rasa HTTP API 令牌（默认取环境变量 KEFU_API_TOKEN）")
    chat.add_argument("--in-process", action="store_true",
                      help="自行启动服务（本机空闲端口、随机令牌），结束后停止")
    chat.add_argument("--model", type=Path, default=None, help="与 --in-process 一起使用：使用指定模型，不训练")
    chat.add_argument("--timeout", type=float, default=60, help="每条消息等待回复的秒数（默认 60）")
    chat.set_defaults(handler=_chat)


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    return USAGE_ERROR


def _chat(args: argparse.Namespace) -> int:
    try:
        scripts = load_scripts(args.script)
    except ScriptError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return _fail(f"对话脚本有 {len(error.problems)} 个问题，未开始对话。")
    if args.in_process:
        if args.url or args.token:
            return _fail("--in-process 会自行启动服务，不能同时指定 --url 或 --token。")
        return _in_process(args, scripts)
    if args.model:
        return _fail("--model 只能与 --in-process 一起使用。")
    token = args.token or current_settings().api_token
    if not token and any(script.needs_tracker for script in scripts):
        return _fail(
            "脚本要核对意图（intent）或回复模板（response），这需要读取 Rasa HTTP API 的对话记录：\n"
            "请用 --token 或环境变量 KEFU_API_TOKEN 提供服务端的 API 令牌（kefu run 读取同一环境变量），"
            "或加 --in-process 自行启动服务。只核对 text/buttons/no_reply 的脚本无需令牌。"
        )
    return _play(ScriptClient(args.url or DEFAULT_URL, token, args.timeout), scripts)


def _in_process(args: argparse.Namespace, scripts: list[Script]) -> int:
    if args.model and not args.model.is_file():
        return _fail(f"找不到模型文件：{args.model}")
    try:
        import_content(KNOWLEDGE_BASE_DIR)
        seed_demo_customers()
        model = args.model or train()
    except ContentError as error:
        return _fail(f"知识库校验失败，无法启动服务：\n{error}")
    except subprocess.CalledProcessError:
        return _fail("模型训练失败，无法启动服务。")
    print("正在启动客服服务（约需一分钟）……", flush=True)
    try:
        with local_servers(model) as (url, token):
            print(f"客服服务已在 {url} 启动，对话结束后自动停止。", flush=True)
            return _play(ScriptClient(url, token, args.timeout), scripts)
    except (RuntimeError, TimeoutError) as error:
        return _fail(f"客服服务未能启动：{error}")


def _play(client: ScriptClient, scripts: list[Script]) -> int:
    try:
        summary = run_scripts(client, scripts)
    except ServerError as error:
        return _fail(str(error))
    if summary.failed:
        print("未通过的步骤：")
        for failure in summary.failures:
            print(f"  {failure}")
        return 1
    return 0
