"""Fixtures: a private migrated SQLite database per test and a clock the test moves by hand."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from bot.core.db import session_factory
from bot.db.migrate import upgrade
from tests.support.clock import ManualClock


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty database at the latest migration, built once."""
    path = tmp_path_factory.mktemp("handoff") / "template.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture
def db_url(tmp_path: Path, migrated_template: Path) -> str:
    """A private copy of the migrated database."""
    path = tmp_path / "handoff.db"
    shutil.copy(migrated_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def session(db_url: str) -> Iterator[Session]:
    """A session on the private database."""
    with session_factory(db_url)() as db_session:
        yield db_session


@pytest.fixture
def clock() -> ManualClock:
    """Time starts at 10:00 on a working day."""
    return ManualClock(datetime(2026, 11, 23, 10, 0))
