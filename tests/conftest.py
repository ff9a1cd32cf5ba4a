"""Shared fixtures: the trained model (built once per run), a seeded database, live servers."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect, sync_playwright

from benchmarks.bench_load import first_messages_ms
from bot.content.files import import_content
from bot.core.paths import KNOWLEDGE_BASE_DIR
from bot.db.seed import seed_demo_customers
from bot.devtools.shell import ChatSession
from bot.runtime.serve import ServerPorts, start_servers, stop_servers, wait_until_ready
from bot.runtime.training import train
from tests.support.servers import LiveServers, WeChatAccount, free_port

# Markers set from the fixtures a test uses, so that `make test-fast` (no trained model, no servers, no
# browser, no external services) selects itself and cannot drift from the tests.
MARKER_FIXTURES = {
    "live": {"model_path", "live_servers", "servers", "chat", "warm_bot", "stack"},
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


@pytest.fixture(scope="session")
def model_path() -> Path:
    """The model for the current data; `make test` trains it first, so this reuses it.

    `KEFU_TEST_MODEL` names an already trained model instead (for working on channels without retraining).
    """
    override = os.environ.get("KEFU_TEST_MODEL")
    return Path(override) if override else train()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh SQLite database with the knowledge base imported; servers inherit it (and keep conversations in it)."""
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
def wechat_account() -> WeChatAccount:
    """The servers' Official Account; `api_port` is where tests run a fake customer-service message API."""
    return WeChatAccount.fresh()


LATER_ROUNDS = 5
"""How often the first messages are asked again after start, for the median they are compared with."""


@pytest.fixture(scope="session")
def live_servers(
    model_path: Path, database_url: str, api_token: str, wechat_account: WeChatAccount
) -> Iterator[LiveServers]:
    """The Rasa server, the action server and the agent console, started as `kefu run` starts them; the first
    messages after ready are timed before any test talks to them, then asked again in new conversations."""
    ports = ServerPorts(rasa=free_port(), actions=free_port(), console=free_port())
    os.environ.update(wechat_account.environment)
    processes = start_servers(model_path, ports, api_token=api_token)
    try:
        wait_until_ready(ports, processes)
        first = first_messages_ms(ports.rasa_url)
        rounds = [first_messages_ms(ports.rasa_url) for _ in range(LATER_ROUNDS)]
        later = {text: [timings[text] for timings in rounds] for text in first}
        yield LiveServers(ports, first, later)
    finally:
        stop_servers(processes)


@pytest.fixture(scope="session")
def servers(live_servers: LiveServers) -> ServerPorts:
    """The running servers' ports."""
    return live_servers.ports


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
