"""The agent console: a web application where human agents take and answer handoff tickets. May import
`bot.core`, `bot.accounts`, `bot.handoff` and `bot.content`."""
