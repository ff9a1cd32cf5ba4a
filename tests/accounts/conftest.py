"""Fixtures: a migrated SQLite database per test, optionally with the demo data."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from bot.accounts.seed import seed_demo_data
from bot.core.db import session_factory
from bot.db.migrate import upgrade

TODAY = date(2026, 3, 18)
NOW = datetime(2026, 3, 18, 10, 0)


@pytest.fixture
def empty_url(tmp_path: Path) -> str:
    """A freshly migrated, empty database."""
    url = f"sqlite:///{tmp_path / 'accounts.db'}"
    upgrade(url)
    return url


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated database with the demo data, built once and copied by each test."""
    path = tmp_path_factory.mktemp("seeded") / "template.db"
    url = f"sqlite:///{path}"
    upgrade(url)
    with session_factory(url)() as session:
        seed_demo_data(session, TODAY)
    return path


@pytest.fixture
def seeded_url(tmp_path: Path, seeded_template: Path) -> str:
    """A private copy of the seeded database."""
    path = tmp_path / "seeded.db"
    shutil.copy(seeded_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def session(seeded_url: str) -> Iterator[Session]:
    """A session on a private seeded database."""
    with session_factory(seeded_url)() as db_session:
        yield db_session
