"""Servers started just for one `kefu chat --in-process` run: free loopback ports and a random API token."""

from __future__ import annotations

import secrets
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bot.runtime.serve import ServerPorts, start_servers, stop_servers, wait_until_ready


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def local_servers(model: Path) -> Iterator[tuple[str, str]]:
    """Start the servers as `kefu run` does; yields (Rasa URL, API token), stops them after."""
    ports = ServerPorts(rasa=free_port(), actions=free_port(), console=free_port())
    token = secrets.token_hex(16)
    processes = start_servers(model, ports, api_token=token)
    try:
        wait_until_ready(ports, processes)
        yield ports.rasa_url, token
    finally:
        stop_servers(processes)
