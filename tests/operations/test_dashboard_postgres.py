"""The dashboard's SQL on PostgreSQL (the scaled profile): the same event log gives the same figures, and the
migration's indexes exist there too. Skipped with a reason when PostgreSQL is unreachable, unless
REQUIRE_SERVICES=1 (as in CI)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import inspect

from bot.core.db import create_db_engine, get_engine, session_factory
from bot.operations.dashboard import Period, collect, summary
from tests.operations.event_log import DAY1, DAY2, DAY3, write_event_log
from tests.support.postgres import fresh_database


@pytest.fixture(scope="module")
def postgres_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh database with the event log, dropped afterwards."""
    with fresh_database("kefu_dashboard") as url:
        yield write_event_log(url, Path(tmp_path_factory.mktemp("dashboard_pg")))
        get_engine(url).dispose()
        create_db_engine(url).dispose()


def test_the_same_figures_on_postgres(postgres_url: str) -> None:
    with session_factory(postgres_url)() as session:
        shown = summary(collect(session, Period()))
        web = summary(collect(session, Period.of_days(DAY1, DAY2), "web"))
    assert (shown["conversations"], shown["handoff_rate"], shown["no_answer_rate"], shown["clarify_rate"]) == (
        5, 0.4, 0.25, 0.125)
    assert (shown["csat_avg"], shown["first_response_s"], shown["handling_s"]) == (3.0, 105.0, 900.0)
    assert [(day["date"], day["conversations"], day["tickets"]) for day in shown["by_day"]] == [
        (DAY1.isoformat(), 2, 1), (DAY2.isoformat(), 3, 1), (DAY3.isoformat(), 0, 1)]
    assert [(entry["id"], entry["hits"]) for entry in shown["top_entries"]] == [("card-001", 4), ("card-002", 1)]
    assert sorted(agent["first_response_s"] for agent in shown["agents"]) == [90.0, 120.0]
    assert (web["conversations"], web["no_answer_rate"], web["tickets"]) == (3, 0.25, 0)


def test_the_indexes_of_the_figures(postgres_url: str) -> None:
    names = {index["name"] for index in inspect(create_db_engine(postgres_url)).get_indexes("conversation_events")}
    assert {"ix_conversation_events_figures", "ix_conversation_events_outcomes"} <= names
