"""`kefu reload`: put the newest trained model into service on running Rasa servers, one after the other,
without stopping them (see `bot.channels.reload`). The knowledge base needs no reload: servers pick up every
published version within `KEFU_KB_RELOAD_SECONDS`."""

from __future__ import annotations

import argparse
from pathlib import Path

import requests

from bot.core.settings import current_settings
from bot.runtime.api_token import running_token
from bot.runtime.training import model_path

TIMEOUT_SECONDS = 300


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `reload` command."""
    reload = subparsers.add_parser("reload", help="不停机切换到新训练的模型（逐个 Rasa 实例加载、预热后切换）")
    reload.add_argument("--model", type=Path, default=None, help="模型文件（默认：当前数据训练出的模型）")
    reload.add_argument(
        "--url", action="append", default=None,
        help="Rasa 服务地址，可重复（默认 RASA_URL；scaled 模式请列出每个实例）")
    reload.set_defaults(handler=_reload)


def _reload(args: argparse.Namespace) -> int:
    model = (args.model or model_path()).resolve()
    if not model.is_file():
        print(f"找不到模型 {model}，请先运行 kefu train")
        return 1
    token = running_token()
    if token is None:
        print("找不到服务的 API 令牌：请设置 KEFU_API_TOKEN，或在 kefu run 所在的目录运行")
        return 1
    for url in args.url or [current_settings().rasa_url]:
        try:
            reply = requests.post(
                f"{url.rstrip('/')}/webhooks/web/reload", json={"model": str(model)},
                headers={"Authorization": f"Bearer {token}"}, timeout=TIMEOUT_SECONDS,
            )
        except requests.RequestException as error:
            print(f"{url}：无法连接（{error.__class__.__name__}），其余实例未切换")
            return 1
        if reply.status_code != 200:
            print(f"{url}：切换失败（{reply.status_code} {reply.text[:200]}），该实例仍使用原模型，其余实例未切换")
            return 1
        print(f"{url}：已切换到 {model.name}（加载与预热 {reply.json()['seconds']} 秒，期间原模型照常应答）")
    return 0
