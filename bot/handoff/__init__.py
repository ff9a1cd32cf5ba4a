"""Human handoff: tickets, the agent queue, agents (their roles and login lockout), service hours, transcripts,
delivery of agents' messages through Rasa's HTTP API, 质检 (quality rules, scores, reviews) and the supervisor's
live view with reassignment. May import `bot.core` and `bot.privacy`."""
