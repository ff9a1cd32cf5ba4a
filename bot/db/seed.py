"""Demo data in the application database: the deterministic demo customers, added after migrating."""

from __future__ import annotations

from datetime import date

from bot.accounts.seed import seed_demo_data
from bot.core.db import session_factory
from bot.db.migrate import upgrade


def seed_demo_customers(url: str | None = None, today: date | None = None) -> int:
    """Migrate and add the deterministic demo customers that are missing; returns how many were added."""
    upgrade(url)
    with session_factory(url)() as session:
        return seed_demo_data(session, today or date.today())
