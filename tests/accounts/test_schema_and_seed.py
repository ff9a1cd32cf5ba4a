"""Migration 0002 creates the account tables exactly as modelled; the demo seed is deterministic and idempotent."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, inspect, select

from bot.accounts.models import Card, Claim, Customer, Policy, Transaction
from bot.accounts.seed import DEMO_CUSTOMERS, seed_demo_data
from bot.core.db import Base, get_engine, session_factory
from bot.db.migrate import alembic_config

from .conftest import TODAY

ACCOUNT_TABLES = {
    "customers",
    "accounts",
    "cards",
    "transactions",
    "credit_card_bills",
    "policies",
    "claims",
    "card_loss_reports",
    "identity_challenges",
    "verifications",
    "sms_outbox",
    "channel_bindings",
}


def _is_account_object(obj: object, name: str | None, type_: str, _reflected: bool, _other: object) -> bool:
    table = name if type_ == "table" else getattr(getattr(obj, "table", None), "name", None)
    return table in ACCOUNT_TABLES


def test_migration_creates_all_account_tables(empty_url: str) -> None:
    tables = set(inspect(get_engine(empty_url)).get_table_names())
    assert tables >= ACCOUNT_TABLES


def test_migrated_schema_matches_the_models(empty_url: str) -> None:
    inspector = inspect(get_engine(empty_url))
    for table in ACCOUNT_TABLES:
        migrated = {column["name"] for column in inspector.get_columns(table)}
        assert migrated == set(Base.metadata.tables[table].columns.keys()), table
    with get_engine(empty_url).connect() as connection:
        options = {"compare_type": True, "include_object": _is_account_object}
        context = MigrationContext.configure(connection, opts=options)
        assert compare_metadata(context, Base.metadata) == []


def test_downgrade_removes_only_the_account_tables(empty_url: str) -> None:
    command.downgrade(alembic_config(empty_url), "0001")
    tables = set(inspect(get_engine(empty_url)).get_table_names())
    assert not tables & ACCOUNT_TABLES
    assert {"faq_entries", "synonyms", "branches"} <= tables


def test_open_card_loss_report_is_unique_in_the_schema(empty_url: str) -> None:
    indexes = inspect(get_engine(empty_url)).get_indexes("card_loss_reports")
    assert any(index["unique"] and index["column_names"] == ["card_id"] for index in indexes)


def _counts(url: str) -> dict[str, int]:
    with session_factory(url)() as session:
        return {
            model.__tablename__: session.scalar(select(func.count()).select_from(model))
            for model in (Customer, Card, Transaction, Policy, Claim)
        }


def test_seed_is_idempotent(seeded_url: str) -> None:
    before = _counts(seeded_url)
    with session_factory(seeded_url)() as session:
        assert seed_demo_data(session, TODAY) == 0
    assert _counts(seeded_url) == before


def test_seed_is_deterministic(empty_url: str, seeded_url: str) -> None:
    with session_factory(empty_url)() as session:
        assert seed_demo_data(session, TODAY) == len(DEMO_CUSTOMERS)

    def fingerprint(url: str) -> list[tuple]:
        with session_factory(url)() as session:
            return [tuple(row) for row in session.execute(select(Transaction.posted_at, Transaction.amount))]

    assert fingerprint(empty_url) == fingerprint(seeded_url)


def test_seed_content_is_realistic(session) -> None:
    assert len(DEMO_CUSTOMERS) >= 5
    for customer in session.scalars(select(Customer)):
        cards = list(session.scalars(select(Card).where(Card.customer_id == customer.id)))
        assert 2 <= len(cards) <= 4
        assert {card.kind for card in cards} == {"debit", "credit"}
        policies = session.scalar(select(func.count()).where(Policy.customer_id == customer.id))
        assert 1 <= policies <= 3
    descriptions = set(session.scalars(select(Transaction.description)))
    assert {"工资", "房租", "超市购物", "外卖", "转账", "还款"} <= descriptions
    statuses = set(session.scalars(select(Claim.status)))
    assert len(statuses) >= 4
    oldest = session.scalar(select(func.min(Transaction.posted_at)))
    assert (TODAY - oldest.date()).days >= 180
