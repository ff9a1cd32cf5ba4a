"""The application database's schema: the knowledge-base tables and their store, Alembic migrations over
every package's tables, the demo data and backups of the embedded SQLite database. May import `bot.core` and
the packages whose tables it migrates (`bot.accounts`, `bot.analytics`, `bot.handoff`, `bot.privacy`) or stores
(`bot.kb`, `bot.branches`)."""
