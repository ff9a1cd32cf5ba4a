"""Fixtures of the action tests: a private seeded SQLite database the actions' default engine follows."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.core.db import get_engine
from bot.db.seed import seed_demo_customers


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A private seeded database that the default engine follows (not the engine of an earlier test)."""
    url = f"sqlite:///{tmp_path / 'kefu.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    seed_demo_customers(url)
    get_engine.cache_clear()
    yield url
    get_engine.cache_clear()
