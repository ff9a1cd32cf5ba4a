"""Migrations 0006 (roles) and 0007 (质检 reviews) on SQLite and a real PostgreSQL: accounts made before 0006
become agents, a review is deleted with its ticket, and both migrations go down and up again."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import delete, text

from bot.core.db import create_db_engine, session_factory
from bot.db.migrate import alembic_config, upgrade
from bot.handoff.models import Ticket, TicketReview
from bot.handoff.tickets import TicketService
from tests.support.postgres import fresh_database

NOW = datetime(2026, 12, 9, 10, 0)


@pytest.fixture
def postgres_url() -> Iterator[str]:
    with fresh_database("kefu_roles") as url:
        yield url
        create_db_engine(url).dispose()


def check_migrations(url: str) -> None:
    upgrade(url, "0005")
    with create_db_engine(url).begin() as connection:
        connection.execute(text(
            "INSERT INTO agents (username, display_name, password_hash, created_at) "
            "VALUES ('old', '老王', 'x', :now)"
        ), {"now": NOW})
    upgrade(url)
    with create_db_engine(url).connect() as connection:
        assert connection.execute(text("SELECT role FROM agents WHERE username = 'old'")).scalar_one() == "agent"
    with session_factory(url)() as session:
        ticket = TicketService(session, lambda: NOW).leave_message("web-m", "web", "请回电", None, {})
        session.add(TicketReview(ticket_id=ticket.id, score=70, flags=[], served_from=0.0, served_until=1.0,
                                 inspected_at=NOW))
        session.commit()
        session.execute(delete(Ticket).where(Ticket.id == ticket.id))
        session.commit()
        assert session.get(TicketReview, ticket.id) is None
    command.downgrade(alembic_config(url), "0005")
    with create_db_engine(url).connect() as connection:
        assert connection.execute(text("SELECT username FROM agents")).scalars().all() == ["old"]
    upgrade(url)


def test_role_and_review_migrations_on_sqlite(tmp_path: Path) -> None:
    check_migrations(f"sqlite:///{tmp_path / 'kefu.db'}")


def test_role_and_review_migrations_on_postgres(postgres_url: str) -> None:
    check_migrations(postgres_url)
