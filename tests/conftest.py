"""Shared fixtures: the trained model (built once per run), a seeded database, live servers."""

from __future__ import annotations

import base64
import os
import secrets
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect, sync_playwright

from bot.content import import_content, seed_demo_customers
from bot.serve import ServerPorts, start_servers, stop_servers, wait_until_ready
from bot.settings import KNOWLEDGE_BASE_DIR
from bot.shell_client import ChatSession
from bot.training import train

# Markers set from the fixtures a test uses, so that `make test-fast` (no trained model, no servers, no
# browser, no external services) selects itself and cannot drift from the tests.
MARKER_FIXTURES = {
    "live": {"model_path", "servers", "chat", "warm_bot", "stack"},
    "browser": {"browser"},
    "services": {"postgres_url", "redis_url", "stack"},
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test `live`, `browser` or `services` by the fixtures it needs."""
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        for marker, fixtures in MARKER_FIXTURES.items():
            if used & fixtures:
                item.add_marker(marker)


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def model_path() -> Path:
    """The model for the current data; `make test` trains it first, so this reuses it.

    `KEFU_TEST_MODEL` names an already trained model instead (for working on channels without retraining).
    """
    override = os.environ.get("KEFU_TEST_MODEL")
    return Path(override) if override else train()


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


@dataclass(frozen=True)
class WeChatAccount:
    """The Official Account the test servers are configured for; tests play the WeChat platform."""

    token: str
    app_id: str
    app_secret: str
    encoding_aes_key: str
    api_port: int

    @property
    def environment(self) -> dict[str, str]:
        """The environment variables the WeChat channel reads."""
        return {
            "WECHAT_TOKEN": self.token,
            "WECHAT_APP_ID": self.app_id,
            "WECHAT_APP_SECRET": self.app_secret,
            "WECHAT_ENCODING_AES_KEY": self.encoding_aes_key,
            "WECHAT_API_BASE": f"http://127.0.0.1:{self.api_port}",
        }

    @classmethod
    def fresh(cls) -> WeChatAccount:
        """New random credentials and a free port for the fake customer-service message API."""
        return cls(
            token=secrets.token_hex(8),
            app_id="wx" + secrets.token_hex(8),
            app_secret=secrets.token_hex(16),
            encoding_aes_key=base64.b64encode(secrets.token_bytes(32)).decode().rstrip("="),
            api_port=free_port(),
        )


@pytest.fixture(scope="session")
def wechat_account() -> WeChatAccount:
    """The servers' Official Account; `api_port` is where tests run a fake customer-service message API."""
    return WeChatAccount.fresh()


@pytest.fixture(scope="session")
def servers(
    model_path: Path, database_url: str, api_token: str, wechat_account: WeChatAccount
) -> Iterator[ServerPorts]:
    """The Rasa server, the action server and the agent console, started as `kefu run` starts them."""
    ports = ServerPorts(rasa=free_port(), actions=free_port(), console=free_port())
    os.environ.update(wechat_account.environment)
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


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium (installed by `make test`), headless, for one test module.

    Per module, because Playwright's sync API keeps an event loop running while it is open.
    """
    expect.set_options(timeout=15_000)  # a shared 2-core machine can be slow; a real failure still fails
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
