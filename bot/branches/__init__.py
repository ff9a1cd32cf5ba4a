"""Branches: the bank's branch directory, Chinese place names in messages, and the text of branch replies.
May import `bot.core`."""
