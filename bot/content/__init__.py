"""The `knowledge_base/` folder as content: load and validate it, import it into the database, export it; the
knowledge base and branch directory as the bot serves them. May import `bot.core`, `bot.db`, `bot.kb` and
`bot.branches`."""
