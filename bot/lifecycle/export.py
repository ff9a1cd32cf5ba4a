"""A customer's copy of their data (PIPL art. 45): everything kefu holds about them, as one JSON object."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bot.accounts.models import (
    Account,
    Card,
    CardLossReport,
    ChannelBinding,
    Claim,
    CreditCardBill,
    Customer,
    IdentityChallenge,
    Policy,
    Transaction,
    Verification,
)
from bot.core.db import get_engine, session_factory
from bot.core.masking import mask_card
from bot.handoff.models import AgentMessage, Ticket
from bot.handoff.transcript import transcript
from bot.lifecycle.audit_trail import audit_entries
from bot.lifecycle.conversations import conversation_events
from bot.lifecycle.records import record
from bot.lifecycle.stores import Stores
from bot.lifecycle.subjects import linked_conversations


class UnknownCustomerError(LookupError):
    """No customer has that id."""


def _all(session: Session, query: Any, exclude: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    return [record(row, exclude) for row in session.scalars(query)]


def _tickets(session: Session, customer_id: int, conversations: set[str]) -> list[dict[str, Any]]:
    tickets = session.scalars(
        select(Ticket).where(or_(Ticket.customer_id == customer_id, Ticket.conversation_id.in_(conversations)))
        .order_by(Ticket.id)
    )
    return [
        record(ticket) | {"agent_messages": _all(
            session, select(AgentMessage).where(AgentMessage.ticket_id == ticket.id).order_by(AgentMessage.id),
            ("client_id", "last_error"),
        )}
        for ticket in tickets
    ]


def export_customer(stores: Stores, customer_id: int, now: datetime) -> dict[str, Any]:
    """The customer's profile, products, identity checks, bindings, conversations (their stored, redacted
    messages), tickets and the audit log's entries about them. Card numbers are masked; code hashes left out."""
    with session_factory(stores.database_url)() as session:
        customer = session.get(Customer, customer_id)
        if customer is None:
            raise UnknownCustomerError(customer_id)
        cards = list(session.scalars(select(Card).where(Card.customer_id == customer_id).order_by(Card.id)))
        card_ids = [card.id for card in cards]
        accounts = _all(session, select(Account).where(Account.customer_id == customer_id).order_by(Account.id))
        account_ids = [account["id"] for account in accounts]
        policy_ids = list(session.scalars(select(Policy.id).where(Policy.customer_id == customer_id)))
        conversations = linked_conversations(session, [customer_id])
        data = {
            "exported_at": now.isoformat(),
            "customer": record(customer),
            "cards": [record(card, ("number",)) | {"number": mask_card(card.number)} for card in cards],
            "accounts": accounts,
            "transactions": _all(session, select(Transaction).where(
                or_(Transaction.account_id.in_(account_ids), Transaction.card_id.in_(card_ids))
            ).order_by(Transaction.posted_at, Transaction.id)),
            "credit_card_bills": _all(session, select(CreditCardBill).where(CreditCardBill.card_id.in_(card_ids))
                                      .order_by(CreditCardBill.id)),
            "policies": _all(session, select(Policy).where(Policy.id.in_(policy_ids)).order_by(Policy.id)),
            "claims": _all(session, select(Claim).where(Claim.policy_id.in_(policy_ids)).order_by(Claim.id)),
            "card_loss_reports": _all(session, select(CardLossReport).where(CardLossReport.card_id.in_(card_ids))
                                      .order_by(CardLossReport.id)),
            "identity_challenges": _all(session, select(IdentityChallenge).where(or_(
                IdentityChallenge.customer_id == customer_id, IdentityChallenge.sender_id.in_(conversations),
            )).order_by(IdentityChallenge.id), ("code_hash",)),
            "verifications": _all(session, select(Verification).where(Verification.customer_id == customer_id)
                                  .order_by(Verification.id)),
            "channel_bindings": _all(session, select(ChannelBinding).where(ChannelBinding.customer_id == customer_id)
                                     .order_by(ChannelBinding.id)),
            "tickets": _tickets(session, customer_id, conversations),
        }
    events = conversation_events(get_engine(stores.conversations_url), conversations)
    data["conversations"] = [
        {"conversation_id": sender, "messages": transcript(events[sender])} for sender in sorted(events)
    ]
    entries = audit_entries(get_engine(stores.database_url), customer_id, conversations)
    data["audit_log"] = [] if entries is None else entries
    return data
