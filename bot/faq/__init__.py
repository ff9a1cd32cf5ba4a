"""FAQ replies: a knowledge-base decision turned into the message a customer sees. May import `bot.core` and
`bot.kb`."""
