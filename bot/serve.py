"""Start the action server and the Rasa server together, and stop both on exit."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import requests

from bot.settings import PROJECT_ROOT


@dataclass(frozen=True)
class ServerPorts:
    """Where the two servers listen (loopback by default)."""

    rasa: int = 5005
    actions: int = 5055
    host: str = "127.0.0.1"

    @property
    def action_url(self) -> str:
        """The action server's webhook URL, as Rasa's endpoints.yml expects it."""
        return f"http://{self.host}:{self.actions}/webhook"

    @property
    def rasa_url(self) -> str:
        """The Rasa server's base URL."""
        return f"http://{self.host}:{self.rasa}"


def server_environment(ports: ServerPorts) -> dict[str, str]:
    """The environment both servers run with."""
    env = dict(os.environ)
    env["ACTION_ENDPOINT_URL"] = ports.action_url
    env["SANIC_HOST"] = ports.host  # rasa_sdk's action server binds here instead of 0.0.0.0
    env.setdefault("PYTHONPATH", str(PROJECT_ROOT))
    return env


def start_servers(model: Path, ports: ServerPorts, api_token: str | None = None) -> list[subprocess.Popen]:
    """Launch `rasa run actions` and `rasa run` as child processes (not waiting for them).

    With `api_token`, Rasa's HTTP API is enabled and protected by that token.
    """
    env = server_environment(ports)
    api = ["--enable-api", "--auth-token", api_token] if api_token else []
    actions = subprocess.Popen(
        [sys.executable, "-m", "rasa", "run", "actions", "--actions", "actions", "--port", str(ports.actions)],
        cwd=PROJECT_ROOT, env=env,
    )
    rasa = subprocess.Popen(
        [sys.executable, "-m", "rasa", "run", "--model", str(model), "--endpoints", "endpoints.yml",
         "--credentials", "credentials.yml", "--interface", ports.host, "--port", str(ports.rasa),
         "--cors", "*", *api],
        cwd=PROJECT_ROOT, env=env,
    )
    return [actions, rasa]


def wait_until_ready(ports: ServerPorts, processes: list[subprocess.Popen], timeout: float = 300) -> None:
    """Block until both servers answer, or raise if one exits or the timeout passes."""
    checks = [f"{ports.rasa_url}/", f"http://{ports.host}:{ports.actions}/health"]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for process in processes:
            if process.poll() is not None:
                raise RuntimeError(f"server process exited early with code {process.returncode}")
        try:
            if all(requests.get(url, timeout=2).status_code == 200 for url in checks):
                return
        except requests.RequestException:
            pass
        time.sleep(1)
    raise TimeoutError("servers did not become ready in time")


def stop_servers(processes: list[subprocess.Popen]) -> None:
    """Terminate the servers, killing any that ignore the request."""
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
