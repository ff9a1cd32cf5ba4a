"""`purge` on real SQLite and PostgreSQL with a fixed clock: what is past its retention goes (whole
conversations from the tracker store included, expired WeChat bindings, wrong console passwords the lockout no
longer counts), what is recent or under an open ticket or a pending claim stays, and a dry run removes nothing."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select

from bot.accounts.models import ChannelBinding, Claim, Customer, IdentityChallenge, Policy, SmsOutbox, Verification
from bot.analytics.events import conversation_key
from bot.analytics.models import ConversationEvent
from bot.core.db import session_factory
from bot.core.settings import Settings
from bot.handoff.models import Agent, AgentMessage, AgentSession, LoginFailure, Ticket
from bot.lifecycle.retention import Retention, purge
from bot.lifecycle.stores import Stores
from tests.lifecycle.conftest import add, save_conversation, stored_events

NOW = datetime(2026, 6, 1, 12, 0)
RETENTION = Retention.from_settings(Settings.from_environ({}))


def ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def customer(number: int) -> Customer:
    return Customer(name=f"客户{number}", phone=f"1380000000{number}", id_number=f"11010119900101000{number}",
                    created_at=ago(900))


def ticket(conversation: str, status: str, last_activity: datetime, customer_id: int | None = None) -> Ticket:
    return Ticket(conversation_id=conversation, channel="rest", kind="live", status=status, reason="request",
                  priority=1, customer_id=customer_id, summary={"last": "…"}, created_at=last_activity,
                  last_activity_at=last_activity, closed_at=None if status == "queued" else last_activity)


def build(url: str) -> None:
    """Customer 1 has nothing to protect; customer 2 has a pending claim; conversation `queued` an open ticket."""
    plain, claimant = customer(1), customer(2)
    agent = Agent(username="xiaowang", display_name="小王", password_hash="x", created_at=ago(900))
    add(url, plain, claimant, agent)
    policy = Policy(customer_id=claimant.id, number="P0000000001", product="车险", policy_type="车险", status="有效",
                    start_date=date(2026, 1, 1), end_date=date(2026, 12, 31), sum_insured=Decimal("100000"),
                    premium=Decimal("3000"))
    add(url, policy)
    old_ticket = ticket("old", "closed", ago(400), plain.id)
    add(url,
        Claim(policy_id=policy.id, number="C0000000001", status="审核中", incident_date=date(2026, 1, 5),
              claim_type="车辆剐蹭", created_at=ago(200), updated_at=ago(200)),
        old_ticket, ticket("recent", "closed", ago(10), plain.id), ticket("queued", "queued", ago(400)),
        ticket("claimed", "closed", ago(400), claimant.id),
        Verification(sender_id="old", customer_id=plain.id, verified_at=ago(200), expires_at=ago(200)),
        Verification(sender_id="recent", customer_id=plain.id, verified_at=ago(300), expires_at=ago(300)),
        Verification(sender_id="claimed", customer_id=claimant.id, verified_at=ago(200), expires_at=ago(200)),
        IdentityChallenge(sender_id="old", customer_id=plain.id, phone=plain.phone, code_hash="h",
                          created_at=ago(40), expires_at=ago(40)),
        IdentityChallenge(sender_id="new", customer_id=plain.id, phone=plain.phone, code_hash="h",
                          created_at=ago(5), expires_at=ago(5)),
        IdentityChallenge(sender_id="claimed", customer_id=claimant.id, phone=claimant.phone, code_hash="h",
                          created_at=ago(40), expires_at=ago(40)),
        SmsOutbox(phone=plain.phone, text="验证码 123456", created_at=ago(40)),
        SmsOutbox(phone=claimant.phone, text="验证码 654321", created_at=ago(40)),
        SmsOutbox(phone=plain.phone, text="验证码 111111", created_at=ago(1)),
        AgentSession(agent_id=agent.id, token_hash="t1", csrf_token="c", created_at=ago(101), expires_at=ago(100)),
        AgentSession(agent_id=agent.id, token_hash="t2", csrf_token="c", created_at=ago(11), expires_at=ago(10)),
        # Bindings last 30 days; an expired one goes even for a customer with a pending claim.
        ChannelBinding(channel="wechat", external_user_id="o-expired", customer_id=plain.id, verified_at=ago(31)),
        ChannelBinding(channel="wechat", external_user_id="o-live", customer_id=plain.id, verified_at=ago(29)),
        ChannelBinding(channel="wechat", external_user_id="o-claimant", customer_id=claimant.id,
                       verified_at=ago(30)),
        # The lockout counts wrong passwords for its 15-minute window plus its 15-minute lock.
        LoginFailure(username="xiaowang", address="10.0.0.1", at=NOW - timedelta(minutes=31)),
        LoginFailure(username="xiaowang", address="10.0.0.2", at=NOW - timedelta(minutes=29)),
        *[ConversationEvent(conversation=conversation_key(sender), event="user", occurred_at=ago(days))
          for sender, days in (("old", 400), ("queued", 400), ("claimed", 400), ("recent", 10))])
    add(url, AgentMessage(ticket_id=old_ticket.id, agent_id=agent.id, client_id="m1", text="您好", status="delivered",
                          created_at=ago(400)))
    save_conversation(url, "old", [ago(300), ago(200)])
    save_conversation(url, "recent", [ago(300), ago(10)])  # started long ago, still going: kept whole
    save_conversation(url, "queued", [ago(200)])
    save_conversation(url, "claimed", [ago(200)])


def rows(url: str, model: type, *conditions: object) -> int:
    with session_factory(url)() as session:
        return session.scalar(select(func.count()).select_from(model).where(*conditions))


def snapshot(url: str) -> dict[str, object]:
    with session_factory(url)() as session:
        return {
            "events": stored_events(url),
            "tickets": sorted(session.scalars(select(Ticket.conversation_id))),
            "agent_messages": rows(url, AgentMessage),
            "verifications": sorted(session.scalars(select(Verification.sender_id))),
            "challenges": sorted(session.scalars(select(IdentityChallenge.sender_id))),
            "sms": sorted(session.scalars(select(SmsOutbox.text))),
            "sessions": sorted(session.scalars(select(AgentSession.token_hash))),
            "analytics": rows(url, ConversationEvent),
            "bindings": sorted(session.scalars(select(ChannelBinding.external_user_id))),
            "login_failures": sorted(session.scalars(select(LoginFailure.address))),
        }


def check_purge(url: str) -> None:
    build(url)
    before = snapshot(url)
    dry = purge(Stores(url, url), RETENTION, NOW, dry_run=True)
    assert snapshot(url) == before
    report = purge(Stores(url, url), RETENTION, NOW)
    removed = {kind.kind: kind.removed for kind in report.kinds}
    assert removed == {kind.kind: kind.removed for kind in dry.kinds}
    assert removed["conversations"] == {"conversations": 1, "events": 6, "verifications": 1}
    assert removed["tickets"] == {"tickets": 1, "agent_messages": 1}
    assert removed["analytics"] == {"conversation_events": 1}
    assert removed["sms_outbox"] == {"sms_outbox": 1}
    assert removed["identity_challenges"] == {"identity_challenges": 1}
    assert removed["agent_sessions"] == {"agent_sessions": 1}
    assert removed["channel_bindings"] == {"channel_bindings": 2}
    assert removed["login_failures"] == {"agent_login_failures": 1}
    after = snapshot(url)
    assert after["events"] == {"recent": 6, "queued": 3, "claimed": 3}
    assert after["tickets"] == ["claimed", "queued", "recent"]
    assert after["agent_messages"] == 0
    # The still-stored conversation keeps its (old) verification: it links the conversation to its customer.
    assert after["verifications"] == ["claimed", "recent"]
    assert after["challenges"] == ["claimed", "new"]
    assert after["sms"] == ["验证码 111111", "验证码 654321"]
    assert after["sessions"] == ["t2"]
    assert after["analytics"] == 3
    assert after["bindings"] == ["o-live"]
    assert after["login_failures"] == ["10.0.0.2"]
    assert all(not any(kind.removed.values()) for kind in purge(Stores(url, url), RETENTION, NOW).kinds)


def test_purge_on_sqlite(sqlite_url: str) -> None:
    check_purge(sqlite_url)


def test_purge_on_postgres(postgres_url: str) -> None:
    check_purge(postgres_url)


def test_zero_days_keeps_a_kind_forever(sqlite_url: str) -> None:
    build(sqlite_url)
    forever = Retention(conversations=0, tickets=0, analytics=0, sms_outbox=0, identity_challenges=0,
                        agent_sessions=0, channel_bindings=30, login_failures_minutes=30)
    report = purge(Stores(sqlite_url, sqlite_url), forever, NOW)
    kept = [kind for kind in report.kinds if kind.kind not in ("channel_bindings", "login_failures")]
    assert len(kept) == 6 and all(kind.cutoff is None and kind.removed == {} for kind in kept)
    assert rows(sqlite_url, SmsOutbox) == 3


def test_purge_with_the_tracker_store_in_another_database(sqlite_url: str, tmp_path: Path) -> None:
    tracker = f"sqlite:///{tmp_path / 'tracker.db'}"
    plain = customer(1)
    add(sqlite_url, plain)
    add(sqlite_url, *[Verification(sender_id=sender, customer_id=plain.id, verified_at=ago(200), expires_at=ago(200))
                      for sender in ("old", "recent", "never-stored")])
    save_conversation(tracker, "old", [ago(200)])
    save_conversation(tracker, "recent", [ago(1)])
    report = purge(Stores(sqlite_url, tracker), RETENTION, NOW)
    assert report.kinds[0].removed == {"conversations": 1, "events": 3, "verifications": 2}
    assert stored_events(tracker) == {"recent": 3}
    with session_factory(sqlite_url)() as session:
        assert list(session.scalars(select(Verification.sender_id))) == ["recent"]
