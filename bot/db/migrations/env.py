"""Alembic environment: runs migrations on the connection or URL given by `bot.db.migrate`."""

from __future__ import annotations

from alembic import context

import bot.accounts.models  # noqa: F401  (registers the account tables on Base)
import bot.analytics.models  # noqa: F401  (registers the analytics table on Base)
import bot.db.models  # noqa: F401  (registers the knowledge-base tables on Base)
import bot.handoff.models  # noqa: F401  (registers the handoff tables on Base)
import bot.privacy.audit_table  # noqa: F401  (registers the audit log on Base)
from bot.core.db import Base, create_db_engine

config = context.config


def run_migrations() -> None:
    """Run migrations online against the configured database."""
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_db_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as conn:
        context.configure(connection=conn, target_metadata=Base.metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations()
