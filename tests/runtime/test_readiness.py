"""Readiness is separate from liveness: a server says ready only once it has warmed up, and warming up leaves
no trace in the stored conversations."""

from __future__ import annotations

import contextlib
import os
import statistics
import subprocess
import sys
import time

import pytest
import requests

from bot.core.paths import PROJECT_ROOT
from bot.runtime.serve import ServerPorts, stop_servers
from tests.support.servers import LiveServers, free_port


@pytest.mark.slow
def test_the_action_server_is_alive_before_it_is_ready(database_url: str) -> None:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.runtime.action_main", "--port", str(port)], cwd=PROJECT_ROOT,
        env={**os.environ, "DATABASE_URL": database_url, "KEFU_KB_EMBEDDINGS": "0"},
    )
    base = f"http://127.0.0.1:{port}"
    seen: list[tuple[int, int]] = []
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and (not seen or seen[-1][1] != 200):
            with contextlib.suppress(requests.ConnectionError):
                seen.append((requests.get(f"{base}/health", timeout=5).status_code,
                             requests.get(f"{base}/ready", timeout=5).status_code))
            time.sleep(0.05)
        assert seen and seen[-1] == (200, 200)
        assert (200, 503) in seen, "ready before the knowledge base was built"
        listed = requests.get(f"{base}/actions", timeout=5).json()
        assert {"name": "action_answer_faq"} in listed
    finally:
        stop_servers([process])


def test_the_rasa_server_is_ready_and_warming_up_stored_nothing(servers: ServerPorts, api_token: str) -> None:
    assert requests.get(f"{servers.rasa_url}/webhooks/web/ready", timeout=10).status_code == 200
    tracker = requests.get(f"{servers.rasa_url}/conversations/kefu-warm-up/tracker", params={"token": api_token},
                           timeout=10).json()
    assert [event for event in tracker["events"] if event["event"] == "user"] == []
    assert requests.get(f"{servers.console_url}/ready", timeout=10).status_code == 200


def test_the_first_messages_after_ready_are_answered_as_fast_as_later_ones(live_servers: LiveServers) -> None:
    """Nothing lazy is left for the first customers: each first message (a knowledge-base question, a greeting,
    a branch search) takes at most twice the median of the same message asked later in new conversations."""
    slow = {text: (first, statistics.median(live_servers.later_ms[text]))
            for text, first in live_servers.first_ms.items()
            if first > 2 * statistics.median(live_servers.later_ms[text])}
    assert slow == {}, f"first message ms vs later median ms: {slow}"
