"""Engine and session factory for the application database."""

from __future__ import annotations

import functools
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.future import create_engine
from sqlalchemy.orm import Session, sessionmaker

from bot.settings import database_url


def _enable_sqlite_foreign_keys(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def create_db_engine(url: str) -> Engine:
    """Create a 2.0-style engine; SQLite files get their folder and foreign keys enforced."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _enable_sqlite_foreign_keys)
        return engine
    return create_engine(url, pool_pre_ping=True)


@functools.cache
def get_engine(url: str | None = None) -> Engine:
    """The process-wide engine for `url` (default: `DATABASE_URL`)."""
    return create_db_engine(url or database_url())


def session_factory(url: str | None = None) -> sessionmaker:
    """A 2.0-style session factory bound to the engine for `url`."""
    return sessionmaker(bind=get_engine(url), class_=Session, future=True, expire_on_commit=False)
