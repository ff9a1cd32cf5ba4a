"""Demo agents for a laptop setup (`kefu db seed`), so the console can be tried at once."""

from __future__ import annotations

from bot.core.db import session_factory
from bot.handoff.agents import AgentService
from bot.handoff.roles import AGENT, APPROVER, EDITOR, SUPERVISOR

DEMO_AGENTS = (
    ("xiaowang", "小王", AGENT), ("xiaoli", "小李", AGENT), ("zhuguan", "赵主管", SUPERVISOR),
    ("bianji", "钱编辑", EDITOR), ("shenhe", "孙审核", APPROVER),
)
"""Demo accounts: username, display name, role (one of each role; all with `DEMO_PASSWORD`)."""
DEMO_PASSWORD = "kefu-demo-2026"


def seed_demo_agents(url: str | None = None) -> int:
    """Create the demo agents that do not exist yet; returns how many were created."""
    created = 0
    with session_factory(url)() as session:
        agents = AgentService(session)
        for username, name, role in DEMO_AGENTS:
            if agents.by_username(username) is None:
                agents.add(username, name, DEMO_PASSWORD, role)
                created += 1
    return created
