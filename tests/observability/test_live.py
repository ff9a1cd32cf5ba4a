"""Metrics and JSON logs of a live stack while a conversation is played: the series move, their labels carry
no personal data, every log line is one JSON object, one turn's request id is found in the Rasa server's and
the action server's lines, and no demo customer's phone, ID or card number is logged."""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass
from typing import Any

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import select

from bot.accounts.demo_data import CUSTOMERS
from bot.accounts.models import Card
from bot.analytics.events import conversation_key
from bot.core.db import session_factory
from bot.devtools.shell import ChatSession
from bot.handoff.agents import AgentService
from bot.handoff.tickets import TicketService
from tests.observability.conftest import LoggingStack
from tests.support.chat import said, verify
from tests.support.console_client import ConsoleAgent
from tests.support.servers import WeChatAccount
from tests.support.wechat_platform import WeChatPlatform, new_openid

pytestmark = pytest.mark.live
Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def scrape(url: str) -> tuple[str, Samples]:
    """The exposition text of a `/metrics` endpoint and its samples by name and labels."""
    reply = requests.get(url, timeout=30)
    assert reply.status_code == 200 and reply.headers["Content-Type"].startswith("text/plain")
    samples = {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(reply.text) for sample in family.samples
    }
    return reply.text, samples


def value(samples: Samples, name: str, **labels: str) -> float:
    """A sample's value; 0 when the series has not appeared yet."""
    return samples.get((name, frozenset(labels.items())), 0.0)


@dataclass(frozen=True)
class Played:
    """What the conversation left behind: the metrics before and after, per process, and who took part."""

    before: dict[str, Samples]
    after: dict[str, Samples]
    texts: dict[str, str]
    web_sender: str
    openid: str


def endpoints(stack: LoggingStack) -> dict[str, str]:
    ports = stack.ports
    return {
        "rasa": f"{ports.rasa_url}/webhooks/web/metrics",
        "actions": f"http://{ports.host}:{ports.actions}/metrics",
        "console": f"{ports.console_url}/metrics",
    }


def scrape_all(stack: LoggingStack) -> tuple[dict[str, str], dict[str, Samples]]:
    texts, samples = {}, {}
    for process, url in endpoints(stack).items():
        texts[process], samples[process] = scrape(url)
    return texts, samples


@pytest.fixture(scope="module")
def played(stack: LoggingStack, database_url: str, wechat_account: WeChatAccount) -> Played:
    """A greeting, a knowledge-base question, a verified balance query, a handoff claimed by an agent over
    the web channel; a subscription and a text over WeChat."""
    _, before = scrape_all(stack)
    chat = ChatSession(stack.ports.rasa_url, sender=f"web-{secrets.token_hex(6)}", timeout=60)
    assert "小金" in said(chat.send("你好"))
    assert "年费" in said(chat.send("信用卡年费是多少"))
    assert "余额" in verify(chat, database_url, "帮我查下账户余额")
    username = f"metrics-{secrets.token_hex(4)}"
    with session_factory(database_url)() as session:
        AgentService(session).add(username, "小李", "agent-pass-123")
    agent = ConsoleAgent(stack.ports.console_url, username, "agent-pass-123")
    try:
        assert "人工" in said(chat.send("转人工"))
        _, queued = scrape(endpoints(stack)["console"])
        assert value(queued, "kefu_handoff_queue_length") >= 1
        assert value(queued, "kefu_handoff_agents_online") >= 1
        with session_factory(database_url)() as session:
            ticket = TicketService(session).open_ticket(chat.sender)
        assert ticket is not None
        assert agent.post(f"/api/tickets/{ticket.id}/claim").status_code == 200
        wechat = WeChatPlatform(stack.ports.rasa_url, wechat_account)
        openid = new_openid()
        assert wechat.event(openid, "subscribe").content
        sent_before = len(stack.wechat.texts_to(openid))
        assert wechat.text(openid, "信用卡年费是多少").body == "success"
        assert stack.wechat.wait_for_texts(openid, sent_before + 1)
        time.sleep(0.5)
        texts, after = scrape_all(stack)
    finally:
        agent.logout()
    return Played(before, after, texts, chat.sender, openid)


def moved(played: Played, process: str, name: str, **labels: str) -> float:
    return value(played.after[process], name, **labels) - value(played.before[process], name, **labels)


def test_channel_and_intent_series_move(played: Played) -> None:
    assert moved(played, "rasa", "kefu_channel_messages_total", channel="web") == 7
    assert moved(played, "rasa", "kefu_channel_reply_seconds_count", channel="web") == 7
    assert moved(played, "rasa", "kefu_channel_messages_total", channel="wechat") >= 1
    assert moved(played, "rasa", "kefu_intents_total", intent="greet") == 1
    assert moved(played, "rasa", "kefu_intents_total", intent="faq") >= 1
    assert moved(played, "rasa", "kefu_intents_total", intent="request_human") == 1
    assert value(played.after["rasa"], "kefu_channel_errors_total", channel="web", kind="failed") == 0


def test_knowledge_base_and_action_series_move(played: Played) -> None:
    assert moved(played, "actions", "kefu_kb_decisions_total", outcome="answer") >= 2
    assert moved(played, "actions", "kefu_kb_search_seconds_count") >= 2
    assert moved(played, "actions", "kefu_action_seconds_count", action="action_answer_faq") >= 2
    assert moved(played, "actions", "kefu_action_seconds_count", action="action_handoff") == 1
    assert moved(played, "actions", "kefu_action_seconds_count", action="validate_verify_form") >= 1


def test_handoff_series_follow_the_ticket(played: Played) -> None:
    assert moved(played, "console", "kefu_handoff_wait_seconds_count") == 1
    assert value(played.after["console"], "kefu_handoff_active_tickets") >= 1
    assert "kefu_handoff_oldest_wait_seconds" in played.texts["console"]


def test_wechat_series_tell_passive_replies_from_api_sends(played: Played) -> None:
    assert moved(played, "rasa", "kefu_wechat_passive_replies_total") == 1
    assert moved(played, "rasa", "kefu_wechat_deadline_misses_total") == 1
    assert moved(played, "rasa", "kefu_wechat_api_sends_total", outcome="sent") >= 1


def test_every_process_lists_the_series_and_no_label_holds_personal_data(
    played: Played, database_url: str
) -> None:
    for text in played.texts.values():
        for name in ("kefu_channel_messages_total", "kefu_intents_total", "kefu_kb_decisions_total",
                     "kefu_handoff_queue_length", "kefu_action_seconds", "kefu_db_retries_total",
                     "kefu_wechat_passive_replies_total"):
            assert f"# TYPE {name}" in text
    exposed = "\n".join(played.texts.values())
    for secret in [*personal_numbers(database_url), played.web_sender, played.openid, "年费是多少"]:
        assert secret not in exposed


def personal_numbers(database_url: str) -> list[str]:
    """Every demo customer's phone, ID number and card number."""
    with session_factory(database_url)() as session:
        cards = list(session.scalars(select(Card.number)))
    return [*(c.phone for c in CUSTOMERS), *(c.id_number for c in CUSTOMERS), *cards]


def log_records(stack: LoggingStack) -> list[dict[str, Any]]:
    records = []
    for line in stack.lines():
        try:
            record = json.loads(line)
        except ValueError:
            pytest.fail(f"not a JSON line: {line!r}")
        assert isinstance(record, dict), line
        records.append(record)
    return records


def test_json_logs_follow_one_turn_across_the_servers(played: Played, stack: LoggingStack) -> None:
    records = log_records(stack)
    assert {"rasa", "actions", "console"} <= {record["process"] for record in records}
    for record in records:
        assert {"time", "level", "process", "logger", "event", "conversation", "request_id"} <= set(record)
    conversation = conversation_key(played.web_sender)
    turns = [r for r in records if r["logger"] == "bot.channels.guard" and r["conversation"] == conversation]
    assert [turn["intent"] for turn in turns][:2] == ["greet", "faq"]
    faq_turn = turns[1]["request_id"]
    actions = [r for r in records if r["process"] == "actions" and r["request_id"] == faq_turn]
    assert [r["action"] for r in actions if r["logger"] == "bot.observability.action_server"] == ["action_answer_faq"]
    assert all(r["conversation"] == conversation for r in actions)
    assert len({turn["request_id"] for turn in turns}) == len(turns)


def test_logs_hold_no_sender_id_and_no_personal_number(played: Played, stack: LoggingStack, database_url: str) -> None:
    text = stack.log.read_text(encoding="utf-8")
    for secret in [*personal_numbers(database_url), played.web_sender, played.openid]:
        assert secret not in text
