"""Erasing a customer on request (PIPL art. 47): delete what may go, anonymise the profile, and keep — and say
why — what the bank must keep as its books or as evidence."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, func, or_, select, update
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
    SmsOutbox,
    Transaction,
    Verification,
)
from bot.analytics.events import conversation_key
from bot.analytics.models import ConversationEvent
from bot.core.db import get_engine, session_factory
from bot.handoff.models import AgentMessage, Ticket
from bot.handoff.tickets import OPEN_STATUSES
from bot.lifecycle import conversations as stored
from bot.lifecycle.audit_trail import audit_entries
from bot.lifecycle.export import UnknownCustomerError
from bot.lifecycle.retention import BATCH
from bot.lifecycle.stores import Stores
from bot.lifecycle.subjects import linked_conversations

ERASED_NAME = "已注销客户"
BOOKS = "银行账务记录：《反洗钱法》要求业务关系结束后至少保存五年"
KEPT_BECAUSE = {
    "cards": BOOKS,
    "accounts": BOOKS,
    "transactions": BOOKS,
    "credit_card_bills": BOOKS,
    "card_loss_reports": "挂失记录：证明挂失时间、界定盗刷责任的凭证，随账务记录保存",
    "policies": "保险合同：《保险法》要求合同及相关资料在合同终止后至少保存五年",
    "claims": "理赔档案：理赔及可能的争议处理需要，随保险合同保存",
    "tickets": "工单：保留服务记录（时间、状态、评价），其中的对话摘要、留言和客服消息已删除",
    "audit_log": "访问审计日志：问责需要，只能追加、不能删除",
}
"""What erasure keeps, and why (shown to the compliance officer)."""


class OpenTicketError(RuntimeError):
    """The customer is being served: close their ticket before erasing."""


@dataclass
class Erasure:
    """What erasing a customer removed (or, not applied, would remove), anonymised and kept."""

    customer_id: int
    applied: bool
    removed: dict[str, int] = field(default_factory=dict)
    anonymised: dict[str, int] = field(default_factory=dict)
    kept: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, with the reason for each kept kind of record."""
        kept = {table: {"rows": rows, "reason": KEPT_BECAUSE[table]} for table, rows in self.kept.items()}
        return {"customer_id": self.customer_id, "applied": self.applied, "removed": self.removed,
                "anonymised": self.anonymised, "kept": kept}


def _count(session: Session, model: Any, condition: Any) -> int:
    return session.scalar(select(func.count()).select_from(model).where(condition)) or 0


def _kept(session: Session, customer_id: int) -> dict[str, int]:
    cards = select(Card.id).where(Card.customer_id == customer_id).scalar_subquery()
    accounts = select(Account.id).where(Account.customer_id == customer_id).scalar_subquery()
    policies = select(Policy.id).where(Policy.customer_id == customer_id).scalar_subquery()
    return {
        "cards": _count(session, Card, Card.customer_id == customer_id),
        "accounts": _count(session, Account, Account.customer_id == customer_id),
        "transactions": _count(session, Transaction, or_(Transaction.account_id.in_(accounts),
                                                          Transaction.card_id.in_(cards))),
        "credit_card_bills": _count(session, CreditCardBill, CreditCardBill.card_id.in_(cards)),
        "card_loss_reports": _count(session, CardLossReport, CardLossReport.card_id.in_(cards)),
        "policies": _count(session, Policy, Policy.customer_id == customer_id),
        "claims": _count(session, Claim, Claim.policy_id.in_(policies)),
    }


def _erase_conversations(stores: Stores, senders: list[str], apply: bool) -> int:
    """Delete (or count) the stored events of these conversations."""
    engine = get_engine(stores.conversations_url)
    if not senders or not stored.has_conversations(engine):
        return 0
    events = 0
    for start in range(0, len(senders), BATCH):
        with engine.begin() as connection:
            batch = senders[start:start + BATCH]
            events += (stored.delete_conversations if apply else stored.count_events)(connection, batch)
    return events


def erase_customer(stores: Stores, customer_id: int, apply: bool) -> Erasure:
    """Erase the customer (with `apply`; otherwise only count what would change).

    Conversations go first, so that an interrupted erasure run again still finds them through the links
    (verifications, bindings) deleted after. Raises `UnknownCustomerError` or `OpenTicketError`.
    """
    sessions = session_factory(stores.database_url)
    with sessions() as session:
        customer = session.get(Customer, customer_id)
        if customer is None:
            raise UnknownCustomerError(customer_id)
        senders = sorted(linked_conversations(session, [customer_id]))
        if _count(session, Ticket, Ticket.status.in_(OPEN_STATUSES)
                  & or_(Ticket.customer_id == customer_id, Ticket.conversation_id.in_(senders))):
            raise OpenTicketError(customer_id)
        phone = customer.phone
    erasure = Erasure(customer_id, apply)
    erasure.removed["events"] = _erase_conversations(stores, senders, apply)
    with sessions() as session, session.begin():
        tickets = list(session.scalars(select(Ticket).where(
            or_(Ticket.customer_id == customer_id, Ticket.conversation_id.in_(senders)))))
        removals = {
            "conversation_events": (ConversationEvent,
                                    ConversationEvent.conversation.in_([conversation_key(s) for s in senders])),
            "agent_messages": (AgentMessage, AgentMessage.ticket_id.in_([ticket.id for ticket in tickets])),
            "channel_bindings": (ChannelBinding, ChannelBinding.customer_id == customer_id),
            "verifications": (Verification, or_(Verification.customer_id == customer_id,
                                                Verification.sender_id.in_(senders))),
            "identity_challenges": (IdentityChallenge, or_(IdentityChallenge.customer_id == customer_id,
                                                           IdentityChallenge.sender_id.in_(senders))),
            "sms_outbox": (SmsOutbox, SmsOutbox.phone == phone),
        }
        for table, (model, condition) in removals.items():
            erasure.removed[table] = (
                session.execute(delete(model).where(condition)).rowcount if apply else _count(session, model, condition)
            )
        erasure.anonymised = {"customers": 1, "tickets": len(tickets)}
        erasure.kept = _kept(session, customer_id) | {"tickets": len(tickets)}
        if apply:
            _anonymise(session, customer_id, tickets)
    entries = audit_entries(get_engine(stores.database_url), customer_id, senders)
    if entries is not None:
        erasure.kept["audit_log"] = len(entries)
    return erasure


def _anonymise(session: Session, customer_id: int, tickets: list[Ticket]) -> None:
    """Replace the profile's name, phone and ID number; empty the tickets' texts and unlink their
    conversations (the sender id may be a WeChat OpenID)."""
    session.execute(update(Customer).where(Customer.id == customer_id).values(
        name=ERASED_NAME, phone=f"erased-{customer_id}", id_number=f"erased-{customer_id}"))
    pseudonyms: dict[str, str] = {}
    for ticket in tickets:
        ticket.conversation_id = pseudonyms.setdefault(ticket.conversation_id, f"erased-{secrets.token_hex(8)}")
        ticket.summary, ticket.left_message = {}, None
