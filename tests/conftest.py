"""Shared fixtures: the trained model (built once per run), a seeded database, live servers."""

from __future__ import annotations

import os
import secrets
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.content import import_content, seed_demo_customers
from bot.serve import ServerPorts, start_servers, stop_servers, wait_until_ready
from bot.settings import KNOWLEDGE_BASE_DIR
from bot.shell_client import ChatSession
from bot.training import train


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def model_path() -> Path:
    """The model for the current data; `make test` trains it first, so this reuses it."""
    return train()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh SQLite database with the knowledge base imported; servers inherit it."""
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'kefu.db'}"
    import_content(KNOWLEDGE_BASE_DIR, url)
    seed_demo_customers(url)
    previous = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = url
    yield url
    if previous is None:
        os.environ.pop("DATABASE_URL", None)
    else:
        os.environ["DATABASE_URL"] = previous


@pytest.fixture(scope="session")
def api_token() -> str:
    """The token protecting the Rasa HTTP API in tests."""
    return secrets.token_hex(8)


@pytest.fixture(scope="session")
def servers(model_path: Path, database_url: str, api_token: str) -> Iterator[ServerPorts]:
    """The Rasa server and the action server, started as `kefu run` starts them."""
    ports = ServerPorts(rasa=free_port(), actions=free_port())
    processes = start_servers(model_path, ports, api_token=api_token)
    try:
        wait_until_ready(ports, processes)
        yield ports
    finally:
        stop_servers(processes)


@pytest.fixture
def chat(servers: ServerPorts) -> ChatSession:
    """A new customer conversation over the REST channel."""
    return ChatSession(servers.rasa_url)
