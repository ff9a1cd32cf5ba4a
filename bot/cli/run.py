"""`kefu run`: prepare the database, the model and the index, then start the servers of a profile and the
daily purge of records past their retention."""

from __future__ import annotations

import argparse
import multiprocessing
import signal
import time
from concurrent.futures import ProcessPoolExecutor

from bot.cli.db import seed_database
from bot.content.serving import build_index
from bot.core.paths import KNOWLEDGE_BASE_DIR
from bot.handoff.demo import DEMO_PASSWORD
from bot.runtime.api_token import issue_token
from bot.runtime.scaled import (
    enter_scaled_profile,
    instance_ports,
    start_scaled,
    wait_until_scaled_ready,
)
from bot.runtime.serve import ServerPorts, start_daily_purge, start_servers, stop_servers, wait_until_ready
from bot.runtime.training import train


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `run` command."""
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


def _run(args: argparse.Namespace) -> int:
    scaled = args.profile == "scaled"
    if scaled:
        base = enter_scaled_profile()
    if seed_database():
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
    token = issue_token()
    ports = ServerPorts(rasa=args.port, actions=args.actions_port, console=args.console_port)
    instances = instance_ports(ports, args.instances) if scaled else [ports]
    processes = start_scaled(model, instances, token, base) if scaled else start_servers(model, ports, token)
    processes.append(start_daily_purge(args.profile, base if scaled else None))
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
