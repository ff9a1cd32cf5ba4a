"""Console roles: who may serve tickets, who may see the operations pages.

- `agent` serves tickets (queue, claim, reply, transfer) and nothing else.
- `supervisor` serves tickets too, and sees the operations pages: dashboard, 质检 review queue, live view and
  reassigning tickets.
- `editor` drafts knowledge-base changes; `approver` approves or rejects them (never their own). Neither sees
  tickets or customers.
"""

from __future__ import annotations

AGENT = "agent"
SUPERVISOR = "supervisor"
EDITOR = "editor"
APPROVER = "approver"
ROLES = (AGENT, SUPERVISOR, EDITOR, APPROVER)
"""Every role, the default first."""
SERVES_TICKETS = (AGENT, SUPERVISOR)
"""Roles that see the ticket queue and talk to customers."""
OPERATIONS = (SUPERVISOR,)
"""Roles that see the operations pages (dashboard, 质检, live view)."""
ROLE_LABELS = {AGENT: "客服", SUPERVISOR: "主管", EDITOR: "知识编辑", APPROVER: "知识审核"}


def check_role(role: str) -> str:
    """`role` if it is one of `ROLES`; `ValueError` (with the choices, in Chinese) otherwise."""
    if role not in ROLES:
        raise ValueError(f"角色必须是 {'、'.join(ROLES)} 之一")
    return role
