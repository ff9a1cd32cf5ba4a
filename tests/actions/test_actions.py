"""The account actions run directly against a real SQLite database (no Rasa server)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import func, select

from actions.accounts import ActionCheckBalance, ActionCheckCreditCardBill, ActionCheckTransactions
from actions.card_loss import ActionReportCardLoss
from actions.faq import ActionAnswerFaq
from actions.insurance import ActionCheckPolicy
from bot.accounts.access import identity_service
from bot.accounts.models import CardLossReport, Customer, SmsOutbox
from bot.branches.replies import search_reply
from bot.content.files import import_content
from bot.content.services import branch_directory, forget_knowledge_bases
from bot.core.db import database_session, get_engine
from bot.core.paths import KNOWLEDGE_BASE_DIR
from bot.faq.replies import NO_MATCH_TEXT
from bot.privacy.audit import verify_chain
from bot.privacy.audit_table import AuditEntry

SENDER = "unit-test"


def tracker(text: str, intent: str, slots: dict[str, Any] | None = None, entities: list | None = None) -> Tracker:
    parse = {"text": text, "intent": {"name": intent, "confidence": 1.0}, "entities": entities or []}
    events = [{"event": "user", "text": text, "parse_data": parse, "metadata": {}}]
    return Tracker(SENDER, slots or {}, parse, events, False, None, {}, "action_listen")


def run(action: Any, state: Tracker) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, state, {}))
    return events, dispatcher.messages


def verify(phone: str = "13812345678", last4: str = "1234") -> None:
    with database_session() as session:
        service = identity_service(session)
        service.start(SENDER, phone, last4)
        code = session.scalars(select(SmsOutbox.text).order_by(SmsOutbox.id.desc())).first()
        assert service.verify(SENDER, "".join(c for c in code if c.isdigit())[:6]).status.value == "verified"


def test_unverified_balance_starts_verification_and_reveals_nothing(database: str) -> None:
    events, messages = run(ActionCheckBalance(), tracker("帮我查余额", "check_balance"))
    assert {"event": "followup", "name": "verify_form"} in [
        {"event": e["event"], "name": e.get("name")} for e in events
    ]
    assert all("¥" not in (m.get("text") or "") for m in messages)


def test_verified_balance_filtered_by_card_tail(database: str) -> None:
    verify()
    entities = [{"entity": "card_tail", "value": "8866", "start": 2, "end": 6}]
    _, messages = run(ActionCheckBalance(), tracker("尾号8866的余额", "check_balance", entities=entities))
    text = messages[0]["text"]
    assert "尾号8866" in text and "尾号3321" not in text


def test_transactions_offer_the_next_page(database: str) -> None:
    verify()
    events, messages = run(ActionCheckTransactions(), tracker("最近三个月的交易", "check_transactions"))
    assert "共有" in messages[0]["text"]
    assert messages[0]["buttons"][0]["payload"] == '/check_transactions{"page": "2"}'
    assert any(e.get("name") == "transaction_query" and e.get("value") for e in events)


def test_confirmed_card_loss_is_recorded_once(database: str) -> None:
    verify()
    state = tracker("确认", "affirm", slots={"loss_card": "8866", "loss_confirm": True})
    before = loss_reports()
    _, first = run(ActionReportCardLoss(), state)
    _, second = run(ActionReportCardLoss(), state)
    assert "GS" in first[0]["text"]
    assert first[0]["text"] == second[0]["text"]
    assert loss_reports() == before + 1


def loss_reports() -> int:
    with database_session() as session:
        return int(session.scalar(select(func.count(CardLossReport.id))) or 0)


def test_declined_card_loss_changes_nothing(database: str) -> None:
    verify()
    before = loss_reports()
    state = tracker("不了", "deny", slots={"loss_card": "8866", "loss_confirm": False})
    _, messages = run(ActionReportCardLoss(), state)
    assert "已取消挂失" in messages[0]["text"]
    assert loss_reports() == before


@pytest.fixture
def knowledge(database: str) -> Iterator[str]:
    """The knowledge base served from this test's database (the default engine follows DATABASE_URL)."""
    import_content(KNOWLEDGE_BASE_DIR, database)
    get_engine.cache_clear()
    forget_knowledge_bases()
    yield database
    forget_knowledge_bases()
    get_engine.cache_clear()


def test_general_question_taken_for_a_skill_is_answered_with_the_skill_offered(knowledge: str) -> None:
    events, messages = run(ActionCheckCreditCardBill(), tracker("信用卡晚还几天有影响吗", "check_credit_card_bill"))
    assert not any(event["event"] == "followup" for event in events)
    assert "逾期" in messages[0]["text"]
    assert messages[-1]["response"] == "utter_offer_check_credit_card_bill"


def test_a_request_for_the_skill_is_not_answered_from_the_knowledge_base(knowledge: str) -> None:
    events, messages = run(ActionCheckCreditCardBill(), tracker("帮我查下这期账单", "check_credit_card_bill"))
    assert {"event": "followup", "name": "verify_form"} in [
        {"event": e["event"], "name": e.get("name")} for e in events
    ]
    assert [m.get("response") for m in messages] == ["utter_verification_needed"]


def test_a_question_about_the_branches_just_listed_is_no_skill(knowledge: str) -> None:
    directory = branch_directory()
    _, branches = search_reply(directory, *directory.locate("重庆渝中区"))
    state = tracker("把电话给我一下", "check_balance", slots={"last_branches": [branch.id for branch in branches]})
    events, messages = run(ActionCheckBalance(), state)
    assert branches and not any(event["event"] == "followup" for event in events)
    assert all(branch.phone in messages[0]["text"] for branch in branches)


def test_the_branches_just_listed_stay_in_view_across_an_answer_about_branch_services(knowledge: str) -> None:
    directory = branch_directory()
    _, branches = search_reply(directory, *directory.locate("北京西城区"))
    listed = {"last_branches": [branch.id for branch in branches]}
    events, _ = run(ActionAnswerFaq(), tracker("去那取六万现金要预约吗", "faq", slots=listed))
    assert not any(event.get("name") == "last_branches" for event in events)
    events, _ = run(ActionAnswerFaq(), tracker("信用卡年费是多少", "faq", slots=listed))
    assert {"event": "slot", "name": "last_branches", "value": None} in [
        {key: event.get(key) for key in ("event", "name", "value")} for event in events
    ]


def test_another_place_after_a_search_that_found_no_branch_is_searched(knowledge: str) -> None:
    parse = {"text": "那重庆呢", "intent": {"name": "faq", "confidence": 1.0}, "entities": []}
    events = [
        {"event": "user", "text": "昆明有网点吗", "parse_data": {}, "metadata": {}},
        {"event": "action", "name": "action_find_branch"},
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": "那重庆呢", "parse_data": parse, "metadata": {}},
    ]
    state = Tracker(SENDER, {"last_branches": None}, parse, events, False, None, {}, "action_listen")
    _, chongqing = search_reply(branch_directory(), "重庆", None)
    _, messages = run(ActionAnswerFaq(), state)
    assert chongqing and all(branch.name in messages[0]["text"] for branch in chongqing)


def audit_entries() -> list[tuple[str, str, str, int | None, str | None, list[str]]]:
    with database_session() as session:
        rows = session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        return [(r.actor_kind, r.actor, r.purpose, r.customer_id, r.conversation_id, r.fields) for r in rows]


def zhang_wei() -> int:
    with database_session() as session:
        return session.scalars(select(Customer.id).where(Customer.phone == "13812345678")).one()


def test_each_read_of_a_verified_customers_data_is_in_the_audit_log(database: str) -> None:
    run(ActionCheckBalance(), tracker("帮我查余额", "check_balance"))
    assert audit_entries() == []
    verify()
    run(ActionCheckBalance(), tracker("帮我查余额", "check_balance"))
    run(ActionCheckPolicy(), tracker("我的保单", "check_policy"))
    entries = audit_entries()
    assert [entry[:5] for entry in entries] == [
        ("bot", "action_check_balance", "answer_customer", zhang_wei(), SENDER),
        ("bot", "action_check_policy", "answer_customer", zhang_wei(), SENDER),
    ]
    assert "account.balance" in entries[0][5] and "policy.number" in entries[1][5]
    with database_session() as session:
        assert verify_chain(session).intact


def test_a_card_loss_report_records_the_cards_it_read(database: str) -> None:
    verify()
    run(ActionReportCardLoss(), tracker("确认", "affirm", slots={"loss_card": "8866", "loss_confirm": True}))
    assert [(entry[1], entry[3]) for entry in audit_entries()] == [("action_report_card_loss", zhang_wei())]
    assert "card.tail" in audit_entries()[0][5]


def test_a_general_question_taken_for_a_skill_without_an_answer_is_offered_the_skill_not_verification(
    knowledge: str,
) -> None:
    state = tracker("今天天气怎么样", "faq")
    state.latest_message["general_question_of"] = "file_claim"
    events, messages = run(ActionAnswerFaq(), state)
    assert messages[0]["text"] == NO_MATCH_TEXT
    assert messages[-1]["response"] == "utter_offer_file_claim"
    assert not [event for event in events if event["event"] == "followup"]
