"""Fixtures of the action tests: a private seeded SQLite database the actions' default engine follows."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.content.files import import_content
from bot.content.services import forget_knowledge_bases
from bot.core.db import get_engine
from bot.core.paths import KNOWLEDGE_BASE_DIR
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


@pytest.fixture(scope="module")
def served_knowledge(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The shipped knowledge base served from a private database (indexed once for the module)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('knowledge') / 'kefu.db'}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DATABASE_URL", url)
        import_content(KNOWLEDGE_BASE_DIR, url)
        get_engine.cache_clear()
        forget_knowledge_bases()
        yield url
        forget_knowledge_bases()
        get_engine.cache_clear()
