"""The application database's schema: the knowledge-base tables and their store, Alembic migrations over
every package's tables, and the demo data. May import `bot.core` and the packages whose tables it migrates
(`bot.accounts`, `bot.analytics`, `bot.handoff`) or stores (`bot.kb`, `bot.branches`)."""
