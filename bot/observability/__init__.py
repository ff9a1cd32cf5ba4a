"""What operations see of each process: the Prometheus metrics (their definitions and the `/metrics` route),
the customer turn a log line belongs to (request id, hashed conversation id) and the log format (`text` or
`json`, with personal numbers masked in every field). May import `bot.core` and `bot.analytics` (the
conversation pseudonym); the channels, actions, handoff, privacy and console packages call into it."""
