"""The application database: the declarative base, engine and sessions, and riding out a database restart
or fail-over."""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.future import create_engine
from sqlalchemy.orm import Session, declarative_base, sessionmaker

from bot.core.settings import current_settings

logger = logging.getLogger(__name__)
T = TypeVar("T")
RETRY_SECONDS = 30.0
RETRY_PAUSE = 0.5
RETRY_OBSERVERS: list[Callable[[str], None]] = []
"""Called with the operation's name at each retry (the metrics count them; the kernel imports no metrics)."""

Base = declarative_base()
"""The declarative base of every table of the application database."""


def _enable_sqlite_foreign_keys(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def sqlite_folder_ready(url: str) -> str:
    """`url`, with the folder of its SQLite file created (SQLite makes the file but not the folder)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    return url


def create_db_engine(url: str) -> Engine:
    """Create a 2.0-style engine; SQLite files get their folder and foreign keys enforced."""
    if make_url(sqlite_folder_ready(url)).get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _enable_sqlite_foreign_keys)
        return engine
    return create_engine(url, pool_pre_ping=True)


@functools.cache
def get_engine(url: str | None = None) -> Engine:
    """The process-wide engine for `url` (default: `DATABASE_URL`)."""
    return create_db_engine(url or current_settings().database_url)


def session_factory(url: str | None = None) -> sessionmaker:
    """A 2.0-style session factory bound to the engine for `url`."""
    return sessionmaker(bind=get_engine(url), class_=Session, future=True, expire_on_commit=False)


def database_session() -> Session:
    """A new session on the application database (use it as a context manager)."""
    return session_factory()()


async def retry_database_errors(operation: Callable[[], Awaitable[T]], what: str) -> T:
    """Run `operation`, retrying connection errors (OperationalError) for up to about `RETRY_SECONDS`."""
    deadline = time.monotonic() + RETRY_SECONDS
    while True:
        try:
            return await operation()
        except OperationalError:
            if time.monotonic() > deadline:
                raise
            logger.warning("%s: database unavailable, retrying", what)
            for observer in RETRY_OBSERVERS:
                observer(what)
            await asyncio.sleep(RETRY_PAUSE)
