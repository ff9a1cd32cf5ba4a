"""Demo agents for a laptop setup (`kefu db seed`), so the console can be tried at once."""

from __future__ import annotations

from bot.core.db import session_factory
from bot.handoff.agents import AgentService

DEMO_AGENTS = (("xiaowang", "小王"), ("xiaoli", "小李"))
DEMO_PASSWORD = "kefu-demo-2026"


def seed_demo_agents(url: str | None = None) -> int:
    """Create the demo agents that do not exist yet; returns how many were created."""
    created = 0
    with session_factory(url)() as session:
        agents = AgentService(session)
        for username, name in DEMO_AGENTS:
            if agents.by_username(username) is None:
                agents.add(username, name, DEMO_PASSWORD)
                created += 1
    return created
