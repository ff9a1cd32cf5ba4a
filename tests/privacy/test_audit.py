"""The access audit log on real SQLite and PostgreSQL: a hash chain that detects tampering, appends that
stay one chain under concurrency, and triggers that reject UPDATE and DELETE whichever way the table was made."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import delete, inspect, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from bot.core.db import Base, create_db_engine, session_factory
from bot.db.migrate import alembic_config, upgrade
from bot.privacy.audit import GENESIS, Access, append, entries_for, verify_chain
from bot.privacy.audit_table import AuditEntry
from tests.support.clock import ManualClock
from tests.support.postgres import fresh_database

TABLES = {"audit_log", "agent_login_failures"}
READ = Access("bot", "action_check_balance", "answer_customer", customer_id=7, conversation_id="c-1",
              fields=("account.balance",))


@pytest.fixture
def migrated_sqlite(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'audit.db'}"
    upgrade(url)
    return url


@pytest.fixture
def created_sqlite(tmp_path) -> str:
    """A database whose audit table comes from `Base.metadata.create_all`, not from the migrations."""
    url = f"sqlite:///{tmp_path / 'created.db'}"
    engine = create_db_engine(url)
    Base.metadata.create_all(engine, tables=[AuditEntry.__table__])
    engine.dispose()
    return url


@pytest.fixture
def migrated_postgres() -> Iterator[str]:
    with fresh_database("kefu_audit") as url:
        upgrade(url)
        yield url


@pytest.fixture
def created_postgres() -> Iterator[str]:
    with fresh_database("kefu_audit") as url:
        engine = create_db_engine(url)
        Base.metadata.create_all(engine, tables=[AuditEntry.__table__])
        engine.dispose()
        yield url


def test_migration_0005_matches_the_models_and_downgrades(migrated_sqlite: str) -> None:
    def ours(obj: object, name: str | None, type_: str, _reflected: bool, _other: object) -> bool:
        return (name if type_ == "table" else getattr(getattr(obj, "table", None), "name", None)) in TABLES

    engine = create_db_engine(migrated_sqlite)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "include_object": ours})
        assert compare_metadata(context, Base.metadata) == []
    command.downgrade(alembic_config(migrated_sqlite), "0004")
    assert not set(inspect(engine).get_table_names()) & TABLES
    engine.dispose()


def test_entries_form_a_chain_from_the_genesis_hash(migrated_sqlite: str) -> None:
    clock = ManualClock(datetime(2026, 12, 1, 2, 30))
    engine = create_db_engine(migrated_sqlite)
    first = append(engine, READ, clock)
    clock.advance(minutes=1)
    second = append(engine, Access("agent", "xiaowang", "open_ticket", customer_id=7, ticket_id=3), clock)
    append(engine, Access("cli", "kefu audit show", "audit_review", customer_id=8))
    with session_factory(migrated_sqlite)() as session:
        rows = entries_for(session, 7)
        assert [row.id for row in rows] == [first, second]
        assert rows[0].prev_hash == GENESIS and rows[1].prev_hash == rows[0].hash
        assert rows[0].at == datetime(2026, 12, 1, 2, 30) and rows[0].fields == ["account.balance"]
        assert verify_chain(session).entries == 3 and verify_chain(session).intact


def test_an_entry_altered_behind_the_triggers_breaks_the_chain_there(migrated_sqlite: str) -> None:
    engine = create_db_engine(migrated_sqlite)
    for _ in range(3):
        append(engine, READ)
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP TRIGGER audit_log_no_update")
        connection.exec_driver_sql("UPDATE audit_log SET fields = '[]' WHERE id = 2")
    with session_factory(migrated_sqlite)() as session:
        check = verify_chain(session)
    assert not check.intact and check.first_broken == 2


def test_a_deleted_entry_breaks_the_chain_at_its_successor(migrated_sqlite: str) -> None:
    engine = create_db_engine(migrated_sqlite)
    for _ in range(3):
        append(engine, READ)
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP TRIGGER audit_log_no_delete")
        connection.exec_driver_sql("DELETE FROM audit_log WHERE id = 2")
    with session_factory(migrated_sqlite)() as session:
        assert verify_chain(session).first_broken == 3


def _assert_append_only(url: str) -> None:
    """UPDATE and DELETE through SQLAlchemy (ORM and Core) are rejected; the entry stays as appended."""
    engine = create_db_engine(url)
    entry_id = append(engine, READ)
    with session_factory(url)() as session:
        row = session.get(AuditEntry, entry_id)
        row.actor = "someone else"
        with pytest.raises(DBAPIError, match="append-only"):
            session.commit()
        session.rollback()
        for statement in (update(AuditEntry).values(customer_id=8), delete(AuditEntry)):
            with pytest.raises(DBAPIError, match="append-only"):
                session.execute(statement)
            session.rollback()
        session.delete(session.get(AuditEntry, entry_id))
        with pytest.raises(DBAPIError, match="append-only"):
            session.commit()
        session.rollback()
    with session_factory(url)() as session:
        assert session.scalars(select(AuditEntry.actor)).all() == ["action_check_balance"]
        assert verify_chain(session).intact
    engine.dispose()


def test_sqlite_rejects_changes_to_a_migrated_table(migrated_sqlite: str) -> None:
    _assert_append_only(migrated_sqlite)


def test_sqlite_rejects_changes_to_a_table_made_by_create_all(created_sqlite: str) -> None:
    _assert_append_only(created_sqlite)


def test_postgres_rejects_changes_to_a_migrated_table(migrated_postgres: str) -> None:
    _assert_append_only(migrated_postgres)
    with create_db_engine(migrated_postgres).connect() as connection, pytest.raises(DBAPIError, match="append-only"):
        connection.exec_driver_sql("TRUNCATE audit_log")


def test_postgres_rejects_changes_to_a_table_made_by_create_all(created_postgres: str) -> None:
    _assert_append_only(created_postgres)


def _append_concurrently(url: str, threads: int = 4, each: int = 10) -> Session:
    engine = create_db_engine(url)

    def work() -> None:
        for _ in range(each):
            append(engine, READ)

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    engine.dispose()
    return session_factory(url)()


def test_concurrent_appends_on_sqlite_stay_one_chain(migrated_sqlite: str) -> None:
    with _append_concurrently(migrated_sqlite) as session:
        check = verify_chain(session)
    assert check.intact and check.entries == 40


def test_concurrent_appends_on_postgres_stay_one_chain(migrated_postgres: str) -> None:
    with _append_concurrently(migrated_postgres) as session:
        check = verify_chain(session)
    assert check.intact and check.entries == 40


def test_an_unknown_actor_kind_is_refused() -> None:
    with pytest.raises(ValueError):
        Access("robot", "x", "y")
