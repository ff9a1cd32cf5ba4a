"""Servers started just for one `kefu chat --in-process` run: free loopback ports, a random API token, and
the servers' logs in `build/chat-servers.log` so that the script's report stays readable."""

from __future__ import annotations

import secrets
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bot.core.paths import PROJECT_ROOT
from bot.runtime.serve import ServerPorts, start_servers, stop_servers, wait_until_ready

SERVER_LOG = PROJECT_ROOT / "build" / "chat-servers.log"


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def local_servers(model: Path) -> Iterator[tuple[str, str]]:
    """Start the servers as `kefu run` does, logging to `SERVER_LOG`; yields (Rasa URL, API token), stops them
    after. If they do not start, the error names the log."""
    ports = ServerPorts(rasa=free_port(), actions=free_port(), console=free_port())
    token = secrets.token_hex(16)
    SERVER_LOG.parent.mkdir(parents=True, exist_ok=True)
    with SERVER_LOG.open("wb") as log:
        processes = start_servers(model, ports, api_token=token, output=log)
        try:
            try:
                wait_until_ready(ports, processes)
            except (RuntimeError, TimeoutError) as error:
                raise RuntimeError(f"{error}; see {SERVER_LOG}") from error
            yield ports.rasa_url, token
        finally:
            stop_servers(processes)
