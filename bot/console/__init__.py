"""The agent console: a web application where human agents take and answer handoff tickets, with a login
lockout and every agent's action in the audit log. May import `bot.core`, `bot.accounts`, `bot.handoff`,
`bot.content` and `bot.privacy` (the audit log)."""
