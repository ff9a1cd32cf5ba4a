"""`kefu db`, `kefu nlu`, `kefu train`, `kefu run` and `kefu shell`."""

from __future__ import annotations

import argparse
import multiprocessing
import os
import secrets
import signal
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from bot.accounts.formatting import mask_phone
from bot.accounts.sms import latest_outbox
from bot.content import ContentError, import_content, seed_demo_customers
from bot.db.migrate import upgrade
from bot.handoff.demo import DEMO_PASSWORD, seed_demo_agents
from bot.kb.indexing import build_index
from bot.nlu.jieba_dict import write_dictionary
from bot.scaled import ensure_database, instance_ports, scaled_environment, start_scaled, wait_until_scaled_ready
from bot.serve import ServerPorts, start_servers, stop_servers, wait_until_ready
from bot.settings import KNOWLEDGE_BASE_DIR
from bot.shell_client import run_shell
from bot.training import JIEBA_DIR, MODELS_DIR, train


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the server, database, training and terminal commands."""
    db = subparsers.add_parser("db", help="数据库：迁移与演示数据")
    db_commands = db.add_subparsers(dest="db_command", required=True)
    db_commands.add_parser("upgrade", help="执行数据库迁移到最新版本").set_defaults(handler=_db_upgrade)
    db_commands.add_parser("seed", help="迁移并导入知识库内容").set_defaults(handler=_db_seed)

    sms = db_commands.add_parser("sms", help="查看开发环境短信发件箱（验证码）")
    sms.add_argument("--limit", type=int, default=5)
    sms.set_defaults(handler=_db_sms)

    nlu = subparsers.add_parser("nlu", help="NLU 工具")
    nlu_commands = nlu.add_subparsers(dest="nlu_command", required=True)
    nlu_commands.add_parser("dict", help="由知识库术语生成结巴自定义词典").set_defaults(handler=_nlu_dict)

    do_train = subparsers.add_parser("train", help="训练模型（输入未变化时复用已有模型）")
    do_train.add_argument("--force", action="store_true", help="即使模型已是最新也重新训练")
    do_train.add_argument("--out", type=Path, default=MODELS_DIR)
    do_train.set_defaults(handler=_train)

    run = subparsers.add_parser("run", help="准备数据库和模型，启动 Rasa 服务与动作服务")
    run.add_argument("--port", type=int, default=5005)
    run.add_argument("--actions-port", type=int, default=5055)
    run.add_argument("--console-port", type=int, default=5010)
    run.add_argument(
        "--profile", choices=["embedded", "scaled"], default="embedded",
        help="embedded：SQLite 与进程内存储；scaled：PostgreSQL、Redis、RabbitMQ，多个 Rasa 实例",
    )
    run.add_argument("--instances", type=int, default=2, help="scaled 模式下的 Rasa 实例数")
    run.set_defaults(handler=_run)

    shell = subparsers.add_parser("shell", help="在终端与运行中的客服对话")
    shell.add_argument("--url", default="http://127.0.0.1:5005")
    shell.set_defaults(handler=_shell)


def _db_upgrade(_args: argparse.Namespace) -> int:
    upgrade()
    print("数据库已迁移到最新版本")
    return 0


def _db_seed(_args: argparse.Namespace) -> int:
    try:
        content = import_content(KNOWLEDGE_BASE_DIR)
    except ContentError as error:
        print(error)
        return 1
    print(f"已导入 {len(content.entries)} 条问答和 {len(content.branches)} 个网点")
    print(f"新增演示客户 {seed_demo_customers()} 位、演示客服 {seed_demo_agents()} 位（见 README）")
    return 0


def _db_sms(args: argparse.Namespace) -> int:
    for message in latest_outbox(args.limit):
        print(f"{message.created_at:%H:%M:%S} {mask_phone(message.phone)} {message.text}")
    return 0


def _nlu_dict(_args: argparse.Namespace) -> int:
    print(f"已生成结巴词典：{write_dictionary(KNOWLEDGE_BASE_DIR, JIEBA_DIR)}")
    return 0


def _train(args: argparse.Namespace) -> int:
    print(f"模型：{train(args.out, force=args.force)}")
    return 0


def _run(args: argparse.Namespace) -> int:
    scaled = args.profile == "scaled"
    if scaled:
        base = scaled_environment()
        os.environ.update(base)
        ensure_database(base["DATABASE_URL"])
    if _db_seed(args):
        return 1
    # The index (the first time: the sentence embeddings of the knowledge base) is built in another
    # process while the model trains, so a fresh machine waits for the longer of the two only.
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        index = pool.submit(build_index, KNOWLEDGE_BASE_DIR)
        model = train()
        if not index.done():
            print("正在准备知识库检索索引（首次运行需要计算句向量，约需三分钟）…", flush=True)
        seconds, _ = index.result()
    print(f"知识库检索索引已就绪（{seconds:.1f} 秒）")
    token = os.environ.get("KEFU_API_TOKEN") or secrets.token_urlsafe(24)
    ports = ServerPorts(rasa=args.port, actions=args.actions_port, console=args.console_port)
    instances = instance_ports(ports, args.instances) if scaled else [ports]
    processes = start_scaled(model, instances, token, base) if scaled else start_servers(model, ports, token)
    try:
        if scaled:
            wait_until_scaled_ready(instances, processes)
        else:
            wait_until_ready(ports, processes)
        for instance in instances:
            print(f"\n客服已启动：{instance.rasa_url}/webhooks/web/webhook")
        print(f"网站聊天窗口演示页：{ports.rasa_url}/webhooks/widget/demo")
        print(f"人工客服工作台：{ports.console_url}/ （演示账号 xiaowang / {DEMO_PASSWORD}）")
        print("在另一个终端运行 make shell 开始对话；按 Ctrl+C 停止。")
        signal.signal(signal.SIGTERM, _raise_interrupt)
        while all(process.poll() is None for process in processes):
            time.sleep(1)
        print("有服务进程意外退出，正在停止。")
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        # Stopping is bounded (stop_servers kills what does not stop); a second Ctrl+C must not cut it short
        # and leave servers running.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        stop_servers(processes)


def _raise_interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def _shell(args: argparse.Namespace) -> int:
    run_shell(args.url)
    return 0
