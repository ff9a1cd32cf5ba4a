"""Keeping customers' personal data out of the tracker store, the event broker and the logs (redaction,
sealed slot values, the redacting tracker stores), and accounting for every access to it (the append-only,
hash-chained access audit log). May import `bot.core` and `bot.accounts`."""
