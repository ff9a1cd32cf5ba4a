"""The dashboard's figures, checked against the small fixed event log of `tests.operations.event_log`."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.core.db import session_factory
from bot.operations.dashboard import Period, collect, every_day, summary
from tests.operations.event_log import DAY1, DAY2, DAY3, write_event_log


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("dashboard")
    return write_event_log(f"sqlite:///{folder / 'kefu.db'}", folder)


EVERYTHING = Period()


def figures(url: str, period: Period = EVERYTHING, channel: str | None = None) -> dict:
    with session_factory(url)() as session:
        return summary(collect(session, period, channel))


def test_the_headline_figures(url: str) -> None:
    shown = figures(url)
    assert (shown["conversations"], shown["containment_rate"], shown["handoff_rate"]) == (5, 0.6, 0.4)
    assert (shown["no_answer_rate"], shown["clarify_rate"]) == (0.25, 0.125)  # 2 and 1 of 8 replies
    assert (shown["tickets"], shown["csat_avg"]) == (3, 3.0)
    assert shown["csat_distribution"] == {"1": 0, "2": 1, "3": 0, "4": 1, "5": 0}
    assert (shown["first_response_s"], shown["handling_s"]) == (105.0, 900.0)  # (90+120)/2, (600+1200)/2


def test_top_and_cold_entries(url: str) -> None:
    shown = figures(url)
    assert shown["top_entries"] == [{"id": "card-001", "question": "借记卡丢了怎么挂失", "hits": 4},
                                    {"id": "card-002", "question": "信用卡年费是多少", "hits": 1}]
    assert shown["cold_entries"] == []


def test_each_day_counts_conversations_from_their_first_message(url: str) -> None:
    days = {day["date"]: day for day in figures(url)["by_day"]}
    assert list(days) == ["2026-11-28", "2026-11-29", "2026-11-30"]
    first, second, third = days.values()
    assert (first["conversations"], first["handoff_rate"], first["no_answer_rate"], first["clarify_rate"]) == (
        2, 0.5, 0.3333, 0.3333)
    assert (first["tickets"], first["csat_avg"], first["first_response_s"], first["handling_s"]) == (
        1, 4.0, 90.0, 600.0)
    # c, d and e (which went on past midnight): 5 replies, 1 without an answer
    assert (second["conversations"], second["containment_rate"], second["no_answer_rate"]) == (3, 0.6667, 0.2)
    assert (second["csat_avg"], second["handling_s"]) == (2.0, 1200.0)
    assert (third["conversations"], third["tickets"], third["csat_avg"], third["first_response_s"]) == (
        0, 1, None, None)


def test_each_channel(url: str) -> None:
    channels = figures(url)["by_channel"]
    assert list(channels) == ["web", "wechat", "widget"]
    web, wechat, widget = channels.values()
    assert (web["conversations"], web["handoff_rate"], web["no_answer_rate"], web["tickets"]) == (3, 0.0, 0.1667, 1)
    assert (wechat["conversations"], wechat["handoff_rate"], wechat["clarify_rate"], wechat["csat_avg"]) == (
        1, 1.0, 1.0, 4.0)
    assert (widget["conversations"], widget["no_answer_rate"], widget["first_response_s"]) == (1, 1.0, 120.0)


def test_agents_first_response_and_handling(url: str) -> None:
    assert figures(url)["agents"] == [
        {"name": "小李", "tickets": 1, "csat_avg": 2.0, "first_response_s": 120.0, "handling_s": 1200.0},
        {"name": "小王", "tickets": 1, "csat_avg": 4.0, "first_response_s": 90.0, "handling_s": 600.0},
    ]


def test_a_channel_filter_keeps_its_conversations_tickets_and_hits(url: str) -> None:
    web = figures(url, channel="web")
    assert (web["conversations"], web["handoff_rate"], web["no_answer_rate"], web["clarify_rate"]) == (
        3, 0.0, 0.1667, 0.0)
    assert [(entry["id"], entry["hits"]) for entry in web["top_entries"]] == [("card-001", 4), ("card-002", 1)]
    assert (web["tickets"], web["csat_avg"], web["agents"]) == (1, None, [])
    assert web["csat_distribution"] == {"1": 0, "2": 0, "3": 0, "4": 0, "5": 0}
    wechat = figures(url, channel="wechat")
    assert (wechat["conversations"], wechat["handoff_rate"], wechat["top_entries"]) == (1, 1.0, [])
    assert [entry["id"] for entry in wechat["cold_entries"]] == ["card-001", "card-002"]
    assert [agent["name"] for agent in wechat["agents"]] == ["小王"]
    with session_factory(url)() as session:
        assert collect(session, Period(), "wechat").channels == ["web", "wechat", "widget"]


def test_one_day_counts_what_happened_on_it(url: str) -> None:
    third = figures(url, Period.of_days(DAY3, DAY3))
    assert (third["conversations"], third["no_answer_rate"], third["tickets"], third["csat_avg"]) == (1, 0.0, 1, None)
    assert [day["date"] for day in third["by_day"]] == ["2026-11-30"]
    assert third["top_entries"] == [{"id": "card-001", "question": "借记卡丢了怎么挂失", "hits": 2}]
    assert [entry["id"] for entry in third["cold_entries"]] == ["card-002"]


def test_days_before_midnight_leave_out_the_answers_after_it(url: str) -> None:
    two = figures(url, Period.of_days(DAY1, DAY2))
    assert two["conversations"] == 5
    assert (two["no_answer_rate"], two["clarify_rate"]) == (0.3333, 0.1667)  # e's answers came after midnight
    assert [(entry["id"], entry["hits"]) for entry in two["top_entries"]] == [("card-001", 2), ("card-002", 1)]
    assert (two["tickets"], two["csat_avg"]) == (2, 3.0)


def test_a_period_with_nothing_reports_zeros(url: str) -> None:
    empty = figures(url, Period.of_days(DAY1 - timedelta(days=9), DAY1 - timedelta(days=2)))
    assert (empty["conversations"], empty["containment_rate"], empty["csat_avg"], empty["by_day"]) == (0, 0.0, None, [])
    assert len(empty["cold_entries"]) == 2


def test_every_day_fills_the_gaps_for_charts() -> None:
    rows = every_day([{"date": "2026-11-29", "conversations": 7}], DAY1, DAY3)
    assert [(row["date"], row["conversations"]) for row in rows] == [
        ("2026-11-28", 0), ("2026-11-29", 7), ("2026-11-30", 0)]
    assert rows[0]["csat_avg"] is None and rows[0]["handoff_rate"] == 0.0
