"""Keeping customers' personal data out of the tracker store, the event broker and the logs: redaction,
sealed slot values, the redacting tracker stores. May import `bot.core` and `bot.accounts`."""
