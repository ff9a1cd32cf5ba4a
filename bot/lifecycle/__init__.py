"""The personal-data lifecycle: how long each kind of record is kept and purging what is older, and serving
a customer's data requests (a copy of everything held about them, erasure). May import `bot.core`,
`bot.accounts`, `bot.analytics` and `bot.handoff`."""
