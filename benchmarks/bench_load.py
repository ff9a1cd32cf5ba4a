"""End-to-end load: N simulated customers against our full stack and against a bare-Rasa floor.

Usage: python benchmarks/bench_load.py [--customers 32] [--paced-conversations 2] [--saturated-conversations 2]
                                       [--think 0.5 1.5] [--out benchmarks/results/load.json] [--profile]

Two phases per stack: `paced` (customers pause 2–6 s before each message, as people type; latency targets
apply here) and `saturated` (no pauses; the server's maximum throughput). Our stack runs on a fresh seeded
temp SQLite database with no agent logged in, so handoff requests end in a left message (留言). Before them,
right after the servers say ready, our stack answers its first messages on each channel in turn (web, WeChat as
WeChat's platform delivers them, the website widget), each in a new conversation; the figures stand beside the
paced p50 in the report. `--profile` samples every server with py-spy during the saturated phase and writes
flame graphs to benchmarks/results/flame/ (flame-ours-rasa.svg, flame-ours-actions.svg, …, flame-bare-rasa.svg).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

from sqlalchemy import select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bare_project import credentials_file, endpoints_file, ensure_model  # noqa: E402
from benchmarks.load_driver import CodeReader, Driver, Pacing, PhaseResult  # noqa: E402
from benchmarks.model import project_model  # noqa: E402
from benchmarks.profiling import flame_graphs  # noqa: E402
from benchmarks.scenarios import TEMPLATES, Conversation, customer_script, demo_identities  # noqa: E402
from benchmarks.stats import latency_summary, peak_rss_mb, ratio  # noqa: E402
from bot.accounts.models import SmsOutbox  # noqa: E402
from bot.content.files import import_content  # noqa: E402
from bot.core.db import session_factory  # noqa: E402
from bot.core.paths import KNOWLEDGE_BASE_DIR  # noqa: E402
from bot.db.seed import seed_demo_customers  # noqa: E402
from bot.devtools.shell import ChatSession  # noqa: E402
from bot.runtime.serve import (  # noqa: E402
    ServerPorts,
    server_environment,
    start_servers,
    stop_servers,
    wait_for,
    wait_until_ready,
)
from tests.support.servers import WeChatAccount  # noqa: E402
from tests.support.wechat_platform import FakeWeChatApi, WeChatPlatform, new_openid  # noqa: E402
from tests.support.widget import WidgetSocket  # noqa: E402


def free_port() -> int:
    """A loopback TCP port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_name(command: object) -> str:
    """Which of our servers a command line starts: actions, console or rasa."""
    words = [str(word) for word in command] if isinstance(command, list | tuple) else str(command).split()
    if "actions" in words:
        return "actions"
    return "console" if "console" in words else "rasa"


def sms_reader(database_url: str) -> CodeReader:
    """Reads the latest one-time code the SMS stub wrote for a phone, as a customer reads their phone."""

    def read(phone: str) -> str | None:
        with session_factory(database_url)() as session:
            text = session.scalars(
                select(SmsOutbox.text).where(SmsOutbox.phone == phone).order_by(SmsOutbox.id.desc())
            ).first()
        match = re.search(r"\d{6}", text or "")
        return match.group() if match else None

    return read


def phase_summary(result: PhaseResult) -> dict:
    """Latency percentiles, throughput and errors of one phase (raw latencies kept for the plots)."""
    summary = latency_summary(result.latencies_ms)
    summary.update({
        "wall_s": round(result.wall_s, 2),
        "throughput_mps": round(len(result.latencies_ms) / result.wall_s, 2) if result.wall_s else 0.0,
        "errors": result.errors,
        "error_samples": result.error_samples,
        "latencies_ms": [round(value, 1) for value in result.latencies_ms],
    })
    return summary


def outcome_summary(conversations: list[dict]) -> dict:
    """Containment (resolved without a human), handoff and unresolved shares, overall and per kind."""
    total = len(conversations)
    counts = Counter(item["outcome"] for item in conversations)
    by_kind: dict[str, dict[str, int]] = {}
    for item in conversations:
        by_kind.setdefault(item["kind"], Counter())[item["outcome"]] += 1
    return {
        "total": total,
        "contained": counts["contained"],
        "handoff": counts["handoff"],
        "unresolved": counts["unresolved"],
        "containment_rate": round(counts["contained"] / total, 4) if total else 0.0,
        "handoff_rate": round(counts["handoff"] / total, 4) if total else 0.0,
        "by_kind": {kind: dict(values) for kind, values in sorted(by_kind.items())},
        "missed_samples": [item for item in conversations if item["missed"]][:10],
    }


FIRST_MESSAGES = ("信用卡年费是多少", "你好", "附近有没有网点")
"""What the first customers after a start ask: a knowledge-base question, a greeting, a branch search."""


def first_messages_ms(base_url: str) -> dict[str, float]:
    """Latency of each of the first messages after the servers say ready, each in a new conversation."""
    latencies = {}
    for text in FIRST_MESSAGES:
        started = time.perf_counter()
        ChatSession(base_url, timeout=60).send(text)
        latencies[text] = round((time.perf_counter() - started) * 1000, 1)
    return latencies


def wechat_first_messages_ms(base_url: str, account: WeChatAccount) -> dict[str, float]:
    """The same first messages delivered by WeChat's platform (signed XML), each from a new follower; the
    passive reply is the answer."""
    platform = WeChatPlatform(base_url, account)
    latencies = {}
    for text in FIRST_MESSAGES:
        started = time.perf_counter()
        delivery = platform.text(new_openid(), text)
        latencies[text] = round((time.perf_counter() - started) * 1000, 1)
        if not delivery.content:
            raise RuntimeError(f"WeChat gave no passive reply to {text!r}")
    return latencies


async def widget_first_messages_ms(base_url: str) -> dict[str, float]:
    """The same first messages typed into the website widget (Socket.IO), each in a new session: from sending
    to the bot's first reply."""
    latencies = {}
    for text in FIRST_MESSAGES:
        async with WidgetSocket(base_url) as socket_client:
            session = await socket_client.start(None)
            started = time.perf_counter()
            await socket_client.say(session["session_id"], text)
            latencies[text] = round((time.perf_counter() - started) * 1000, 1)
    return latencies


def first_messages_by_channel(base_url: str, account: WeChatAccount) -> dict[str, dict[str, float]]:
    """The first messages after start on each channel in turn: web (REST), WeChat, widget."""
    return {
        "web": first_messages_ms(base_url),
        "wechat": wechat_first_messages_ms(base_url, account),
        "widget": asyncio.run(widget_first_messages_ms(base_url)),
    }


FLAME_DIR = ROOT / "benchmarks" / "results" / "flame"

Profiler = Callable[[], AbstractContextManager]


def profiler(enabled: bool, label: str, processes: list[subprocess.Popen]) -> Profiler:
    """What samples the servers during the saturated phase: py-spy flame graphs, or nothing."""
    if not enabled:
        return contextlib.nullcontext
    pids = {f"{label}-{server_name(process.args)}": process.pid for process in processes}
    return lambda: flame_graphs(pids, FLAME_DIR)


def run_phases(base_url: str, read_code: CodeReader, scripts: dict[str, list[list[Conversation]]],
               pacing: Pacing, label: str, first: dict[str, float] | None = None,
               profile: Profiler = contextlib.nullcontext) -> dict:
    """Time the first messages after start (unless `first` already holds them), warm the server up with one
    conversation of each kind, then run the paced and saturated phases (the latter inside `profile`)."""
    first = first if first is not None else first_messages_ms(base_url)
    asyncio.run(Driver(base_url, read_code, Pacing(), f"{label}-warmup").run(scripts["warmup"]))
    phases, conversations = {"first_messages_ms": first}, []
    for name, phase_pacing in (("paced", pacing), ("saturated", Pacing())):
        driver = Driver(base_url, read_code, phase_pacing, f"{label}-{name}")
        with profile() if name == "saturated" else contextlib.nullcontext():
            result = asyncio.run(driver.run(scripts[name]))
        phases[name] = phase_summary(result)
        conversations.extend(result.conversations)
        print(f"{label:5s} {name:9s} messages={len(result.latencies_ms)} p50={phases[name]['p50_ms']}ms "
              f"p99={phases[name]['p99_ms']}ms {phases[name]['throughput_mps']} msg/s errors={result.errors}",
              flush=True)
    phases["conversations"] = outcome_summary(conversations)
    return phases


def run_ours(scripts: dict[str, list[list[Conversation]]], pacing: Pacing, work: Path, profile: bool) -> dict:
    """Our full stack (Rasa, action server, console) on a fresh seeded SQLite database."""
    database_url = f"sqlite:///{work / 'bench.db'}"
    import_content(KNOWLEDGE_BASE_DIR, database_url)
    seed_demo_customers(database_url)
    os.environ["DATABASE_URL"] = database_url
    account = WeChatAccount.fresh()
    os.environ.update(account.environment)
    ports = ServerPorts(rasa=free_port(), actions=free_port(), console=free_port())
    processes = start_servers(project_model(), ports, secrets.token_hex(8))
    try:
        started = time.perf_counter()
        wait_until_ready(ports, processes)
        result: dict = {"startup_s": round(time.perf_counter() - started, 1)}
        with FakeWeChatApi(account.api_port, account.app_id, account.app_secret):
            channels = first_messages_by_channel(ports.rasa_url, account)
        result["first_messages_by_channel_ms"] = channels
        result.update(run_phases(ports.rasa_url, sms_reader(database_url), scripts, pacing, "ours",
                                 first=channels["web"], profile=profiler(profile, "ours", processes)))
        result["peak_rss_mb"] = {server_name(process.args): peak_rss_mb(process.pid) for process in processes}
    finally:
        stop_servers(processes)
    return result


def run_bare(scripts: dict[str, list[list[Conversation]]], pacing: Pacing, profile: bool) -> dict:
    """`rasa run` with the bare model: same pipeline, static responses, no actions or database."""
    model = ensure_model()
    port = free_port()
    env = server_environment(ServerPorts(rasa=port), "unused")
    process = subprocess.Popen(
        [sys.executable, "-m", "rasa", "run", "--model", str(model), "--credentials", str(credentials_file()),
         "--endpoints", str(endpoints_file()),
         "--interface", "127.0.0.1", "--port", str(port)],
        cwd=ROOT, env=env,
    )
    try:
        started = time.perf_counter()
        wait_for([f"http://127.0.0.1:{port}/webhooks/web/ready"], [process])
        result = {"model": model.name, "startup_s": round(time.perf_counter() - started, 1)}
        result.update(run_phases(f"http://127.0.0.1:{port}", lambda _phone: None, scripts, pacing, "bare",
                                 profile=profiler(profile, "bare", [process])))
        result.pop("conversations")  # static replies: outcomes mean nothing for the floor
        result["peak_rss_mb"] = {"rasa": peak_rss_mb(process.pid)}
    finally:
        stop_servers([process])
    return result


def main(argv: list[str] | None = None) -> int:
    """Run both stacks with the same scripts, write the JSON and print the headline ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=32)
    parser.add_argument("--paced-conversations", type=int, default=2)
    parser.add_argument("--saturated-conversations", type=int, default=2)
    parser.add_argument("--think", type=float, nargs=2, default=(2.0, 6.0), metavar=("MIN", "MAX"))
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "load.json")
    parser.add_argument("--profile", action="store_true", help="flame graphs of the saturated phase (py-spy)")
    args = parser.parse_args(argv)

    identities = demo_identities()
    scripts = {
        "warmup": [customer_script(0, len(TEMPLATES), identities)],
        "paced": [customer_script(i, args.paced_conversations, identities) for i in range(args.customers)],
        "saturated": [customer_script(i, args.saturated_conversations, identities) for i in range(args.customers)],
    }
    pacing = Pacing(*args.think)
    with tempfile.TemporaryDirectory(prefix="kefu-bench-") as work:
        ours = run_ours(scripts, pacing, Path(work), args.profile)
    bare = run_bare(scripts, pacing, args.profile)
    results = {
        "config": {
            "customers": args.customers,
            "paced_conversations_per_customer": args.paced_conversations,
            "saturated_conversations_per_customer": args.saturated_conversations,
            "think_s": list(args.think),
            "cpus": os.cpu_count(),
        },
        "ours": ours,
        "bare": bare,
        "ratios": {
            "p50": ratio(ours["paced"]["p50_ms"], bare["paced"]["p50_ms"]),
            "p99": ratio(ours["paced"]["p99_ms"], bare["paced"]["p99_ms"]),
            "throughput": ratio(ours["saturated"]["throughput_mps"], bare["saturated"]["throughput_mps"]),
            "saturated_p50": ratio(ours["saturated"]["p50_ms"], bare["saturated"]["p50_ms"]),
        },
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"ratios ours/bare: {results['ratios']}; containment={ours['conversations']['containment_rate']} "
          f"handoff={ours['conversations']['handoff_rate']}; peak RSS MiB ours={ours['peak_rss_mb']} "
          f"bare={bare['peak_rss_mb']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
