"""Agents' console actions in the access audit log: who, from which address, which ticket, which panel."""

from __future__ import annotations

from collections.abc import Sequence

from sanic.request import Request
from sqlalchemy.orm import Session

from bot.handoff.models import Ticket
from bot.privacy.audit import Access, append

TICKET_PANEL = ("customer.name(masked)", "customer.phone(masked)", "summary", "transcript")
"""What an agent sees of a customer on opening a ticket."""
MAX_ACTOR = 128


def client_address(request: Request) -> str:
    """The client's address: from the proxy headers Sanic is configured to trust, else the peer's."""
    return request.remote_addr or request.ip or ""


def record(
    session: Session, username: str, action: str, address: str, ticket: Ticket | None = None,
    fields: Sequence[str] = (),
) -> None:
    """Append one console action by `username` (and the ticket and customer it concerned) to the audit log."""
    append(session, Access(
        actor_kind="agent", actor=username[:MAX_ACTOR], purpose=action, address=address, fields=tuple(fields),
        customer_id=ticket.customer_id if ticket else None, ticket_id=ticket.id if ticket else None,
        conversation_id=ticket.conversation_id if ticket else None,
    ))
