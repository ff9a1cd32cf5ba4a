"""The agent console stops cleanly: its background work ends with the server, nothing left pending."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from bot.core.paths import PROJECT_ROOT
from bot.runtime.serve import ServerPorts, wait_for
from tests.support.servers import free_port


@pytest.mark.slow
def test_console_stops_without_abandoned_background_tasks(database_url: str) -> None:
    ports = ServerPorts(rasa=free_port(), actions=free_port(), console=free_port())
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli.main", "console", "--host", ports.host, "--port", str(ports.console)],
        cwd=PROJECT_ROOT, env={**os.environ, "RASA_URL": ports.rasa_url}, stderr=subprocess.PIPE, text=True,
    )
    try:
        wait_for([f"{ports.console_url}/health"], [process], timeout=120)
    finally:
        process.send_signal(signal.SIGINT)
        _, errors = process.communicate(timeout=60)
    assert process.returncode == 0, errors
    assert "Task was destroyed but it is pending" not in errors
