"""A customer's export and erasure requests, round trip on SQLite and PostgreSQL: the export holds their data and nobody
else's; after erasure their profile is anonymised, their conversations and identity data gone, the bank's books
kept, and the other customer untouched."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from bot.accounts.models import (
    Account,
    Card,
    CardLossReport,
    ChannelBinding,
    Claim,
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
from bot.handoff.models import Agent, AgentMessage, Ticket
from bot.lifecycle.erasure import ERASED_NAME, OpenTicketError, erase_customer
from bot.lifecycle.export import UnknownCustomerError, export_customer
from bot.lifecycle.stores import Stores
from bot.privacy.audit import Access, append
from tests.lifecycle.conftest import add, save_conversation, stored_events

NOW = datetime(2026, 6, 1, 12, 0)
CARD = "6222021234567890123"


def holdings(url: str, number: int, agent: Agent) -> int:
    """A customer with a card, account, transaction, policy, claim, loss report, a verified WeChat
    conversation with a closed ticket, codes, SMS, analytics rows and an audit entry; returns the id."""
    sender = f"openid-{number}"
    person = Customer(name=f"张{number}", phone=f"1391111000{number}", id_number=f"11010119800101111{number}",
                      created_at=NOW)
    add(url, person)
    card = Card(customer_id=person.id, number=f"{CARD[:-1]}{number}", kind="debit", product_name="借记卡")
    policy = Policy(customer_id=person.id, number=f"P000000000{number}", product="医疗险", policy_type="医疗险",
                    status="有效", start_date=date(2026, 1, 1), end_date=date(2026, 12, 31),
                    sum_insured=Decimal("50000"), premium=Decimal("800"))
    add(url, card, policy)
    account = Account(customer_id=person.id, account_type="活期", card_id=card.id, balance=Decimal("1234.56"))
    add(url, account)
    ticket = Ticket(conversation_id=sender, channel="wechat", kind="message", status="closed", reason="request",
                    priority=1, customer_id=person.id, summary={"messages": [f"张{number}的留言"]},
                    left_message=f"请回电 1391111000{number}", created_at=NOW, last_activity_at=NOW, closed_at=NOW)
    add(url,
        Transaction(account_id=account.id, posted_at=NOW - timedelta(days=3), amount=Decimal("-88.00"),
                    direction="out", counterparty=f"商户{number}"),
        Claim(policy_id=policy.id, number=f"C000000000{number}", status="已结案", incident_date=date(2026, 2, 1),
              claim_type="门诊医疗", created_at=NOW, updated_at=NOW),
        CardLossReport(card_id=card.id, case_number=f"LR00000{number}", created_at=NOW),
        Verification(sender_id=sender, customer_id=person.id, verified_at=NOW, expires_at=NOW),
        IdentityChallenge(sender_id=sender, customer_id=person.id, phone=person.phone, code_hash="secret-hash",
                          created_at=NOW, expires_at=NOW),
        ChannelBinding(channel="wechat", external_user_id=sender, customer_id=person.id, verified_at=NOW),
        SmsOutbox(phone=person.phone, text=f"验证码 00000{number}", created_at=NOW),
        ConversationEvent(conversation=conversation_key(sender), event="user", occurred_at=NOW),
        ticket)
    add(url, AgentMessage(ticket_id=ticket.id, agent_id=agent.id, client_id=f"m{number}",
                          text=f"张{number}您好，已为您处理", status="delivered", created_at=NOW))
    save_conversation(url, sender, [NOW - timedelta(hours=1)], said=f"帮我挂失卡号{CARD}")
    append(get_engine(url), Access("bot", "action_check_balance", "balance", customer_id=person.id,
                                   conversation_id=sender, fields=("balance",)))
    return person.id


def two_customers(url: str) -> tuple[str, int, int]:
    """The database with two customers' holdings, and their ids."""
    agent = Agent(username="xiaowang", display_name="小王", password_hash="x", created_at=NOW)
    add(url, agent)
    return url, holdings(url, 1, agent), holdings(url, 2, agent)


@pytest.fixture
def customers(sqlite_url: str) -> tuple[str, int, int]:
    return two_customers(sqlite_url)


def test_export_holds_the_customer_data_and_nobody_elses(customers: tuple[str, int, int]) -> None:
    url, first, _ = customers
    data = export_customer(Stores(url, url), first, NOW)
    dump = json.dumps(data, ensure_ascii=False)
    assert data["customer"]["name"] == "张1" and data["customer"]["phone"] == "13911110001"
    assert [card["number"] for card in data["cards"]] == ["尾号0121"]
    assert data["accounts"][0]["balance"] == "1234.56"
    assert [item["counterparty"] for item in data["transactions"]] == ["商户1"]
    assert [claim["number"] for claim in data["claims"]] == ["C0000000001"]
    assert [report["case_number"] for report in data["card_loss_reports"]] == ["LR000001"]
    assert [binding["external_user_id"] for binding in data["channel_bindings"]] == ["openid-1"]
    assert data["tickets"][0]["agent_messages"][0]["text"] == "张1您好，已为您处理"
    (conversation,) = data["conversations"]
    assert conversation["conversation_id"] == "openid-1"
    customer_said = [line["text"] for line in conversation["messages"] if line["role"] == "customer"]
    assert customer_said and "挂失" in customer_said[0] and CARD not in customer_said[0]  # stored redacted
    assert [entry["purpose"] for entry in data["audit_log"]] == ["balance"]
    assert "secret-hash" not in dump and CARD not in dump
    for other in ("张2", "13911110002", "openid-2", "商户2", "C0000000002"):
        assert other not in dump


def test_erasure_anonymises_deletes_and_keeps_the_books(customers: tuple[str, int, int]) -> None:
    url, first, second = customers
    stores = Stores(url, url)
    other_before = export_customer(stores, second, NOW)
    plan = erase_customer(stores, first, apply=False)
    assert export_customer(stores, first, NOW)["customer"]["name"] == "张1"
    erasure = erase_customer(stores, first, apply=True)
    assert erasure.removed == plan.removed
    assert erasure.removed == {"events": 3, "conversation_events": 1, "agent_messages": 1, "channel_bindings": 1,
                               "verifications": 1, "identity_challenges": 1, "sms_outbox": 1}
    assert erasure.kept == {"cards": 1, "accounts": 1, "transactions": 1, "credit_card_bills": 0,
                            "card_loss_reports": 1, "policies": 1, "claims": 1, "tickets": 1, "audit_log": 1}
    data = export_customer(stores, first, NOW)
    profile = json.dumps(data["customer"], ensure_ascii=False)
    assert data["customer"]["name"] == ERASED_NAME
    assert "13911110001" not in profile and "110101198001011111" not in profile
    assert data["conversations"] == [] and data["verifications"] == [] and data["channel_bindings"] == []
    assert data["identity_challenges"] == []
    assert len(data["transactions"]) == len(data["claims"]) == len(data["card_loss_reports"]) == 1
    (ticket,) = data["tickets"]
    assert ticket["summary"] == {} and ticket["left_message"] is None and ticket["agent_messages"] == []
    assert ticket["conversation_id"] != "openid-1"
    assert "openid-1" not in stored_events(url)
    with session_factory(url)() as session:
        assert session.scalar(select(func.count()).select_from(SmsOutbox)
                              .where(SmsOutbox.phone == "13911110001")) == 0
    other_after = export_customer(stores, second, NOW)
    assert other_after == other_before
    assert erase_customer(stores, first, apply=True).removed == dict.fromkeys(erasure.removed, 0)


def test_erasure_waits_for_an_open_ticket_and_unknown_customers_are_refused(
    customers: tuple[str, int, int],
) -> None:
    url, first, _ = customers
    add(url, Ticket(conversation_id="openid-1", channel="wechat", kind="live", status="queued", reason="request",
                    priority=1, customer_id=None, summary={}, created_at=NOW, last_activity_at=NOW))
    with pytest.raises(OpenTicketError):
        erase_customer(Stores(url, url), first, apply=True)
    assert "openid-1" in stored_events(url)
    with pytest.raises(UnknownCustomerError):
        export_customer(Stores(url, url), 999, NOW)


def test_export_then_erasure_on_postgres(postgres_url: str) -> None:
    customers = two_customers(postgres_url)
    test_export_holds_the_customer_data_and_nobody_elses(customers)
    test_erasure_anonymises_deletes_and_keeps_the_books(customers)
