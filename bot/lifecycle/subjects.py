"""Whose records are whose: the conversations linked to a customer, and the records no purge may remove."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.accounts.claims import SETTLED_CLAIMS
from bot.accounts.models import ChannelBinding, Claim, Customer, IdentityChallenge, Policy, Verification
from bot.analytics.events import conversation_key
from bot.handoff.models import Ticket
from bot.handoff.tickets import OPEN_STATUSES


def linked_conversations(session: Session, customer_ids: Collection[int]) -> set[str]:
    """Every conversation (Rasa sender id) tied to one of these customers: verified in, sent a code from,
    handed to an agent for them, or a messaging-channel user bound to them (a WeChat OpenID is its sender id)."""
    if not customer_ids:
        return set()
    ids = list(customer_ids)
    queries = (
        select(Verification.sender_id).where(Verification.customer_id.in_(ids)),
        select(IdentityChallenge.sender_id).where(IdentityChallenge.customer_id.in_(ids)),
        select(Ticket.conversation_id).where(Ticket.customer_id.in_(ids)),
        select(ChannelBinding.external_user_id).where(ChannelBinding.customer_id.in_(ids)),
    )
    return {sender for query in queries for sender in session.scalars(query)}


def open_ticket_conversations(session: Session, customer_id: int | None = None) -> set[str]:
    """Conversations with an open ticket (only those of `customer_id`'s tickets, when given)."""
    query = select(Ticket.conversation_id).where(Ticket.status.in_(OPEN_STATUSES))
    if customer_id is not None:
        query = query.where(Ticket.customer_id == customer_id)
    return set(session.scalars(query))


@dataclass(frozen=True)
class Protected:
    """What a purge keeps, however old: everything of an open ticket's conversation and customer, and of a
    customer with a pending claim."""

    customers: frozenset[int]
    conversations: frozenset[str]
    phones: frozenset[str]

    @property
    def analytics_keys(self) -> frozenset[str]:
        """The protected conversations as analytics rows name them."""
        return frozenset(conversation_key(sender) for sender in self.conversations)


def protected_records(session: Session) -> Protected:
    """The customers, conversations and phone numbers under an open ticket or a pending claim."""
    open_tickets = session.execute(
        select(Ticket.conversation_id, Ticket.customer_id).where(Ticket.status.in_(OPEN_STATUSES))
    ).all()
    pending_claims = select(Policy.customer_id).join(Claim, Claim.policy_id == Policy.id).where(
        Claim.status.not_in(SETTLED_CLAIMS)
    )
    customers = set(session.scalars(pending_claims)) | {row.customer_id for row in open_tickets if row.customer_id}
    conversations = {row.conversation_id for row in open_tickets} | linked_conversations(session, customers)
    phones = set(session.scalars(select(Customer.phone).where(Customer.id.in_(customers)))) if customers else set()
    return Protected(frozenset(customers), frozenset(conversations), frozenset(phones))
