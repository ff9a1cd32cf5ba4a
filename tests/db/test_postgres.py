"""The same models, migrations, seed and services on a real PostgreSQL server.

Skipped with a reason when PostgreSQL is unreachable, unless REQUIRE_SERVICES=1 (as in CI).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from sqlalchemy import func, select

from bot.accounts import queries
from bot.accounts.card_loss import report_card_loss
from bot.accounts.models import CardLossReport, Customer
from bot.content.files import import_content, read_content
from bot.core.db import create_db_engine, session_factory
from bot.core.paths import KNOWLEDGE_BASE_DIR
from bot.db.seed import seed_demo_customers
from tests.support.postgres import fresh_database


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    """A fresh database on the PostgreSQL server, dropped afterwards."""
    with fresh_database("kefu_test") as url:
        yield url
        create_db_engine(url).dispose()


def test_migrate_import_and_seed(postgres_url: str) -> None:
    import_content(KNOWLEDGE_BASE_DIR, postgres_url)
    assert seed_demo_customers(postgres_url) >= 5
    assert seed_demo_customers(postgres_url) == 0
    assert len(read_content(postgres_url).entries) >= 300


def test_services_on_postgres(postgres_url: str) -> None:
    with session_factory(postgres_url)() as session:
        customer = session.scalars(select(Customer.id).where(Customer.phone == "13812345678")).one()
        balances = queries.balances(session, customer)
        assert {item.card_tail for item in balances} >= {"3321", "8866"}
        card = next(card for card in queries.cards(session, customer) if card.tail == "5102")
        now = datetime.now()
        first = report_card_loss(session, customer, card.id, now)
        assert report_card_loss(session, customer, card.id, now) == first
        reports = session.scalar(select(func.count(CardLossReport.id)).where(CardLossReport.card_id == card.id))
        assert reports == 1
