"""The daily purge as `kefu run` starts it (`start_daily_purge`) reaches each profile's tracker store: the
embedded profile's separate SQLite tracker database (`KEFU_TRACKER_URL`) and the scaled profile's PostgreSQL
tracker database (`KEFU_TRACKER_DB`)."""

from __future__ import annotations

import subprocess
import time
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.core.db import create_db_engine, get_engine
from bot.core.settings import EMBEDDED, SCALED
from bot.runtime.serve import start_daily_purge
from tests.lifecycle.conftest import save_conversation, stored_events
from tests.support.postgres import fresh_database


def purged_by_the_daily_process(profile: str, environment: dict[str, str], tracker_url: str) -> dict[str, int]:
    """Store an old and a recent conversation in `tracker_url`, start the profile's daily purge, and return what
    is left once the old conversation is gone (or a minute has passed)."""
    save_conversation(tracker_url, "old", [datetime.now() - timedelta(days=181)])
    save_conversation(tracker_url, "recent", [datetime.now() - timedelta(days=1)])
    process = start_daily_purge(profile, environment)
    try:
        deadline = time.monotonic() + 60
        while "old" in stored_events(tracker_url) and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.5)
        assert process.poll() is None  # still running, for the next day
        return stored_events(tracker_url)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def test_the_embedded_profile_purges_its_separate_tracker_database(sqlite_url: str, tmp_path: Path) -> None:
    tracker = f"sqlite:///{tmp_path / 'tracker.db'}"
    left = purged_by_the_daily_process(EMBEDDED, {"DATABASE_URL": sqlite_url, "KEFU_TRACKER_URL": tracker}, tracker)
    assert left == {"recent": 3}


def test_the_scaled_profile_purges_its_postgres_tracker_database(postgres_url: str) -> None:
    with fresh_database("kefu_lifecycle_tracker") as tracker:
        try:
            environment = {"DATABASE_URL": postgres_url, "KEFU_TRACKER_DB": make_url(tracker).database}
            assert purged_by_the_daily_process(SCALED, environment, tracker) == {"recent": 3}
        finally:
            get_engine(tracker).dispose()
            create_db_engine(tracker).dispose()
