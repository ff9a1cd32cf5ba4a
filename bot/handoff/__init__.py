"""Human handoff: tickets, the agent queue, agents and their login lockout, service hours, transcripts and
delivery of agents' messages through Rasa's HTTP API. May import `bot.core` and `bot.privacy`."""
