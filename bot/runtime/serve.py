"""Start the action server, the Rasa server and the agent console together, and stop them on exit."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import requests

from bot.core.db import sqlite_folder_ready
from bot.core.paths import PROJECT_ROOT
from bot.core.settings import Settings


@dataclass(frozen=True)
class ServerPorts:
    """Where the servers listen (loopback by default)."""

    rasa: int = 5005
    actions: int = 5055
    console: int = 5010
    host: str = "127.0.0.1"

    @property
    def action_url(self) -> str:
        """The action server's webhook URL, as Rasa's endpoints.yml expects it."""
        return f"http://{self.host}:{self.actions}/webhook"

    @property
    def rasa_url(self) -> str:
        """The Rasa server's base URL."""
        return f"http://{self.host}:{self.rasa}"

    @property
    def console_url(self) -> str:
        """The agent console's base URL."""
        return f"http://{self.host}:{self.console}"


def server_environment(
    ports: ServerPorts, api_token: str | None, base: dict[str, str] | None = None
) -> dict[str, str]:
    """The environment the servers of one instance run with (`base`: extra settings, e.g. a profile's)."""
    env = {**os.environ, **(base or {})}
    env["ACTION_ENDPOINT_URL"] = ports.action_url
    env["RASA_URL"] = ports.rasa_url
    if api_token:
        env["KEFU_API_TOKEN"] = api_token
    env["KEFU_TRACKER_URL"] = sqlite_folder_ready(Settings.from_environ(env).conversations_url)
    # Servers keep idle connections longer than Rasa's HTTP client does, so the client never reuses a
    # connection the action server is closing ("Cannot write to closing transport" under load).
    env.setdefault("SANIC_KEEP_ALIVE_TIMEOUT", "75")
    env.setdefault("PYTHONPATH", str(PROJECT_ROOT))
    return env


def logged(process: str, module: str) -> list[str]:
    """The command that runs `python -m module` with the logs of `process` set up first (`bot.runtime.logged`)."""
    return [sys.executable, "-m", "bot.runtime.logged", process, module]


def start_action_server(
    ports: ServerPorts, base: dict[str, str] | None = None, output: IO[bytes] | None = None
) -> subprocess.Popen:
    """Launch the action server of one instance (`bot.runtime.action_main`); its output goes to `output` if
    given, else to the terminal."""
    return subprocess.Popen(
        [*logged("actions", "bot.runtime.action_main"), "--host", ports.host, "--port", str(ports.actions)],
        cwd=PROJECT_ROOT, env=server_environment(ports, None, base), stdout=output, stderr=output,
    )


def start_instance(
    model: Path, ports: ServerPorts, api_token: str, endpoints: Path, base: dict[str, str] | None = None,
    output: IO[bytes] | None = None,
) -> list[subprocess.Popen]:
    """Launch one action server and one Rasa server with the HTTP API protected by `api_token`."""
    rasa = subprocess.Popen(
        [*logged("rasa", "bot.runtime.rasa_main"), "run", "--model", str(model), "--endpoints", str(endpoints),
         "--credentials", "credentials.yml", "--interface", ports.host, "--port", str(ports.rasa),
         "--cors", "*", "--enable-api", "--auth-token", api_token],
        cwd=PROJECT_ROOT, env=server_environment(ports, api_token, base), stdout=output, stderr=output,
    )
    return [start_action_server(ports, base, output), rasa]


def start_console(
    ports: ServerPorts, api_token: str, base: dict[str, str] | None = None, output: IO[bytes] | None = None
) -> subprocess.Popen:
    """Launch `kefu console`, talking to the Rasa server of `ports`."""
    return subprocess.Popen(
        [*logged("console", "bot.cli.main"), "console", "--host", ports.host, "--port", str(ports.console)],
        cwd=PROJECT_ROOT, env=server_environment(ports, api_token, base), stdout=output, stderr=output,
    )


def start_daily_purge(profile: str, base: dict[str, str] | None = None) -> subprocess.Popen:
    """`kefu privacy purge --daily`: the one process of a deployment that deletes records past their retention,
    at start and every day after."""
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli.main", "privacy", "purge", "--daily", "--profile", profile],
        cwd=PROJECT_ROOT, env={**os.environ, **(base or {})},
    )


def start_servers(
    model: Path, ports: ServerPorts, api_token: str, output: IO[bytes] | None = None
) -> list[subprocess.Popen]:
    """Launch the embedded profile: action server, Rasa server and agent console (not waiting for them).

    Rasa's HTTP API is enabled and protected by `api_token`; the console uses it to reach conversations.
    The servers' logs go to `output` if given, else to the terminal.
    """
    return [
        *start_instance(model, ports, api_token, PROJECT_ROOT / "endpoints.yml", output=output),
        start_console(ports, api_token, output=output),
    ]


def instance_health_urls(ports: ServerPorts) -> list[str]:
    """What answers 200 once an instance's Rasa server and action server are up and warmed up."""
    return [f"{ports.rasa_url}/webhooks/web/ready", f"http://{ports.host}:{ports.actions}/ready"]


def wait_until_ready(ports: ServerPorts, processes: list[subprocess.Popen], timeout: float = 300) -> None:
    """Block until the servers of `start_servers` answer, or raise if one exits or the timeout passes."""
    wait_for([*instance_health_urls(ports), f"{ports.console_url}/ready"], processes, timeout)


def wait_for(urls: list[str], processes: list[subprocess.Popen], timeout: float = 300) -> None:
    """Block until every URL answers 200, or raise if a process exits or the timeout passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for process in processes:
            if process.poll() is not None:
                raise RuntimeError(f"server process exited early with code {process.returncode}")
        try:
            if all(requests.get(url, timeout=2).status_code == 200 for url in urls):
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
