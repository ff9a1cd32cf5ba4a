"""The indexes the dashboard reads its figures from: migration 0008 and the models agree, SQLite really reads
the per-conversation grouping and the hits from them alone (no table rows), and the migration downgrades."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import event, inspect

from bot.core.db import Base, create_db_engine, get_engine, session_factory
from bot.db.migrate import alembic_config
from bot.operations.dashboard import Period, collect
from tests.operations.event_log import DAY1, DAY3, write_event_log

INDEXES = {"ix_conversation_events_figures", "ix_conversation_events_outcomes"}


def test_the_migration_matches_the_model_and_downgrades(tmp_path: Path) -> None:
    url = write_event_log(f"sqlite:///{tmp_path / 'kefu.db'}", tmp_path)

    def analytics(obj: object, name: str | None, type_: str, _reflected: bool, _other: object) -> bool:
        table = name if type_ == "table" else getattr(getattr(obj, "table", None), "name", None)
        return table == "conversation_events"

    engine = create_db_engine(url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "include_object": analytics})
        assert compare_metadata(context, Base.metadata) == []
    assert {index["name"] for index in inspect(engine).get_indexes("conversation_events")} >= INDEXES
    command.downgrade(alembic_config(url), "0007")
    assert not INDEXES & {index["name"] for index in inspect(create_db_engine(url)).get_indexes("conversation_events")}
    engine.dispose()


def test_the_figures_are_read_from_the_covering_indexes(tmp_path: Path) -> None:
    url = write_event_log(f"sqlite:///{tmp_path / 'kefu.db'}", tmp_path)
    plans: list[str] = []

    def explain(connection: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
        if "conversation_events" in statement:
            rows = connection.connection.cursor().execute(f"EXPLAIN QUERY PLAN {statement}", parameters).fetchall()
            plans.append(" / ".join(row[3] for row in rows))

    engine = get_engine(url)
    event.listen(engine, "before_cursor_execute", explain)
    try:
        with session_factory(url)() as session:
            collect(session, Period.of_days(DAY1, DAY3), "web")
    finally:
        event.remove(engine, "before_cursor_execute", explain)
    assert len(plans) == 2, plans
    grouping, hits = plans
    assert "SCAN conversation_events USING COVERING INDEX ix_conversation_events_figures" in grouping
    assert "SEARCH conversation_events USING COVERING INDEX ix_conversation_events_outcomes" in hits
