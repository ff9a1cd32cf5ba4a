"""JSON views of tickets and agents for the console (customer data masked)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.orm import Session

from bot.accounts.models import Customer
from bot.core.masking import mask_phone
from bot.core.paths import KNOWLEDGE_BASE_DIR
from bot.handoff.models import Agent, Ticket
from bot.handoff.tickets import TicketService

REASONS = {
    "request": "客户要求转人工",
    "complain": "客户投诉",
    "unresolved": "多次未能解答",
    "high_risk": "高风险问题",
    "message": "客户留言",
}
STATUSES = {"queued": "排队中", "assigned": "已接入", "active": "服务中", "closed": "已结束", "abandoned": "已超时"}
QUICK_REPLIES_FILE = KNOWLEDGE_BASE_DIR / "quick_replies.yml"


def mask_name(name: str) -> str:
    """张* / 欧阳** : keep the family name's first character."""
    return name[:1] + "*" * (len(name) - 1)


def customer_panel(session: Session, customer_id: int | None) -> dict[str, Any] | None:
    """What the agent may see of a verified customer."""
    customer = session.get(Customer, customer_id) if customer_id else None
    if customer is None:
        return None
    return {"name": mask_name(customer.name), "phone": mask_phone(customer.phone), "verified": True}


def ticket_view(session: Session, ticket: Ticket, tickets: TicketService) -> dict[str, Any]:
    """One ticket as the console shows it."""
    agent = session.get(Agent, ticket.agent_id) if ticket.agent_id else None
    summary = ticket.summary or {}
    return {
        "id": ticket.id,
        "kind": ticket.kind,
        "status": ticket.status,
        "status_label": STATUSES.get(ticket.status, ticket.status),
        "reason": ticket.reason,
        "reason_label": REASONS.get(ticket.reason, ticket.reason),
        "priority": ticket.priority,
        "channel": ticket.channel,
        "created_at": ticket.created_at.isoformat(timespec="seconds"),
        "position": tickets.position(ticket) + 1 if ticket.status == "queued" and ticket.kind == "live" else None,
        "agent": agent.display_name if agent else None,
        "agent_id": ticket.agent_id,
        "customer": customer_panel(session, ticket.customer_id),
        "summary": {"intents": summary.get("intents", []), "slots": summary.get("slots", {})},
        "left_message": ticket.left_message,
    }


def quick_replies(path: Path = QUICK_REPLIES_FILE) -> list[dict[str, str]]:
    """The agents' quick replies."""
    return [
        {"label": str(item["label"]), "text": str(item["text"])}
        for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []
    ]
