"""Rasa input channels of kefu: the REST channel, the WeChat Official Account and the website widget, all
entering Rasa through the same guard (size and rate limits, always an answer). May import `bot.core` and
`bot.accounts` (a WeChat follower who unsubscribes is unbound from their customer)."""
