"""The service team's figures, checked against a small event log worked out by hand."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from bot.analytics.models import ConversationEvent
from bot.content.files import import_content
from bot.core.db import session_factory
from bot.core.paths import PROJECT_ROOT
from bot.handoff.models import Agent, AgentMessage, Ticket
from bot.operations.report import build_report
from tests.support.kb_fixture import write_kb

DAY1, DAY2 = datetime(2026, 11, 30, 10, 0), datetime(2026, 12, 1, 9, 0)
NOW = datetime(2026, 12, 1, 12, 0)


def event(conversation: str, kind: str, at: datetime, **fields: object) -> ConversationEvent:
    return ConversationEvent(conversation=conversation, event=kind, occurred_at=at, **fields)


@pytest.fixture
def url(tmp_path: Path) -> str:
    """Three conversations over two days on two channels; one handed over, rated 4 by its customer."""
    url = f"sqlite:///{tmp_path / 'kefu.db'}"
    import_content(write_kb(tmp_path / "kb"), url)
    at = DAY1
    with session_factory(url)() as session, session.begin():
        session.add_all([
            event("a", "user", at, channel="web", intent="faq"),
            event("a", "bot", at, faq_id="card-001", faq_outcome="answer"),
            event("a", "user", at, channel="web", intent="faq"),
            event("a", "bot", at, faq_outcome="none"),
            event("b", "user", at, channel="wechat", intent="faq"),
            event("b", "bot", at, faq_outcome="clarify"),
            event("b", "action", at, action="action_handoff"),
            event("c", "user", DAY2, channel="web", intent="faq"),
            event("c", "bot", DAY2, faq_id="card-001", faq_outcome="answer"),
            event("d", "action", DAY2, action="action_session_start"),
        ])
        agent = Agent(username="xiaowang", display_name="小王", password_hash="x", created_at=at)
        ticket = Ticket(conversation_id="b", channel="wechat", kind="live", status="closed", reason="request",
                        priority=1, created_at=at.replace(minute=5), assigned_at=at.replace(minute=6),
                        last_activity_at=at.replace(minute=16), closed_at=at.replace(minute=16), rating=4)
        session.add_all([agent, ticket])
        session.flush()
        session.add(AgentMessage(ticket_id=ticket.id, agent_id=agent.id, client_id="m1", text="您好",
                                 status="delivered", created_at=at.replace(minute=6, second=30)))
    return url


def test_the_whole_period(url: str) -> None:
    with session_factory(url)() as session:
        report = build_report(session, now=NOW)
    assert report["conversations"] == 3
    assert (report["handoff_rate"], report["containment_rate"]) == (0.3333, 0.6667)
    assert (report["no_answer_rate"], report["clarify_rate"]) == (0.25, 0.25)
    assert report["csat_avg"] == 4.0 and report["csat_distribution"] == {"1": 0, "2": 0, "3": 0, "4": 1, "5": 0}
    assert (report["first_response_s"], report["handling_s"]) == (90.0, 600.0)
    assert report["top_entries"] == [{"id": "card-001", "question": "借记卡丢了怎么挂失", "hits": 2}]
    assert report["cold_entries"] == [{"id": "card-002", "question": "信用卡年费是多少"}]


def test_per_day_and_per_channel(url: str) -> None:
    with session_factory(url)() as session:
        report = build_report(session, now=NOW)
    assert [(day["date"], day["conversations"], day["handoff_rate"], day["no_answer_rate"])
            for day in report["by_day"]] == [("2026-11-30", 2, 0.5, 0.3333), ("2026-12-01", 1, 0.0, 0.0)]
    web, wechat = report["by_channel"]["web"], report["by_channel"]["wechat"]
    assert (web["conversations"], web["handoff_rate"], web["no_answer_rate"]) == (2, 0.0, 0.3333)
    assert (wechat["conversations"], wechat["handoff_rate"], wechat["clarify_rate"]) == (1, 1.0, 1.0)


def test_a_date_filter_keeps_only_its_days(url: str) -> None:
    with session_factory(url)() as session:
        report = build_report(session, days=1, now=NOW)
    assert report["period"]["from"] == "2026-12-01T00:00:00"
    assert (report["conversations"], report["handoff_rate"], report["csat_avg"]) == (1, 0.0, None)
    assert report["top_entries"] == [{"id": "card-001", "question": "借记卡丢了怎么挂失", "hits": 1}]


def test_an_empty_database_reports_zeros_not_errors(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    import_content(write_kb(tmp_path / "kb"), url)
    with session_factory(url)() as session:
        report = build_report(session, now=NOW)
    assert (report["conversations"], report["containment_rate"], report["csat_avg"]) == (0, 0.0, None)


def test_the_command_prints_one_json_object(url: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli.main", "analytics", "report", "--json"], cwd=PROJECT_ROOT,
        env={**os.environ, "DATABASE_URL": url}, capture_output=True, text=True, timeout=120, check=True,
    )
    report = json.loads(result.stdout)
    assert report["conversations"] == 3
    assert {"containment_rate", "handoff_rate", "no_answer_rate", "clarify_rate", "csat_avg", "top_entries",
            "cold_entries"} <= report.keys()
