"""Human handoff: tickets, the agent queue, agents and delivery of their messages."""
