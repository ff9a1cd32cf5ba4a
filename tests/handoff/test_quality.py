"""质检 rules and scores on hand-written transcripts (times in seconds from the agent's arrival)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.handoff.quality import (
    CUSTOMER_WAITING,
    FORBIDDEN_PHRASE,
    NO_GREETING,
    SLOW_FIRST_RESPONSE,
    QualityRules,
    forbidden_in,
    inspect,
    served_lines,
)

T0 = 1_790_000_000.0
RULES = QualityRules.from_mapping({
    "forbidden_phrases": {"deduction": 30, "categories": {"违规承诺": ["保证收益", "稳赚"], "辱骂客户": ["神经病"]}},
    "greeting": {"deduction": 10, "phrases": ["您好", "你好"]},
    "first_response": {"seconds": 60, "deduction": 10},
    "customer_waiting": {"seconds": 120, "deduction": 5},
})


def line(role: str, at: float, text: str) -> dict[str, Any]:
    return {"role": role, "time": T0 + at, "text": text, "agent": "小王" if role == "agent" else None}


def rules_of(inspection_flags: tuple) -> list[tuple[str, int]]:
    return [(flag.rule, flag.line) for flag in inspection_flags]


def test_a_prompt_polite_conversation_scores_full_marks() -> None:
    lines = [
        line("customer", 0, "我想理财"),
        line("agent", 20, "您好，我是小王"),
        line("customer", 30, "有什么产品"),
        line("agent", 90, "我们有多款稳健型产品，收益以合同为准"),
    ]
    inspection = inspect(lines, RULES, T0, T0 + 100)
    assert (inspection.score, inspection.flags) == (100, ())


def test_every_rule_flags_its_line_and_deducts() -> None:
    lines = [
        line("customer", 5, "这个理财靠谱吗"),
        line("agent", 75, "放心，保证收益，稳赚的"),  # 75 s after arrival, no greeting, two forbidden phrases
        line("customer", 80, "真的吗"),
        line("customer", 100, "在吗"),
        line("agent", 300, "真的"),  # the customer waited 220 s from 「真的吗」
        line("customer", 310, "你们是神经病吧"),  # a customer may say it: only agents' lines are checked
    ]
    inspection = inspect(lines, RULES, T0, T0 + 500)
    assert rules_of(inspection.flags) == [
        (FORBIDDEN_PHRASE, 1), (NO_GREETING, 1), (SLOW_FIRST_RESPONSE, 1), (CUSTOMER_WAITING, 2),
        (CUSTOMER_WAITING, 5),
    ]
    forbidden = inspection.flags[0]
    assert forbidden.detail == "「保证收益」（违规承诺）、「稳赚」（违规承诺）"
    assert forbidden.time == T0 + 75
    assert [flag.detail for flag in inspection.flags if flag.rule == CUSTOMER_WAITING] == [
        "客户等待 220 秒客服才回复（上限 120 秒）", "客户等待 190 秒客服仍未回复（上限 120 秒）",
    ]
    assert inspection.score == 100 - 30 - 10 - 10 - 5 - 5


def test_waiting_is_counted_from_the_first_unanswered_message_to_the_reply_or_the_end() -> None:
    lines = [line("agent", 1, "您好"), line("customer", 10, "在吗"), line("customer", 100, "人呢")]
    assert rules_of(inspect(lines, RULES, T0, T0 + 200).flags) == [(CUSTOMER_WAITING, 1)]
    assert inspect(lines, RULES, T0, T0 + 120).flags == ()


def test_an_agent_who_never_answers_is_flagged_without_a_line() -> None:
    lines = [line("customer", 0, "你好")]
    inspection = inspect(lines, RULES, T0, T0 + 200)
    assert rules_of(inspection.flags) == [(SLOW_FIRST_RESPONSE, -1), (CUSTOMER_WAITING, 0)]
    assert inspect([], RULES, T0, T0 + 30).flags == ()


def test_the_score_never_goes_below_zero() -> None:
    lines = [line("agent", 100, "稳赚"), *(line("agent", 101 + n, "保证收益") for n in range(5))]
    assert inspect(lines, RULES, T0, T0 + 200).score == 0


def test_forbidden_phrases_match_traditional_full_width_and_spaced_writing() -> None:
    assert forbidden_in("保證收益", RULES) == ["保证收益"]
    assert forbidden_in("稳 赚", RULES) == ["稳赚"]
    assert forbidden_in("收益稳健，不保证本金", RULES) == []


def test_served_lines_keep_the_ticket_window() -> None:
    lines = [line("customer", -50, "转人工"), line("agent", 10, "您好"), line("customer", 500, "再见"),
             {"role": "bot", "time": None, "text": "?"}]
    assert [item["text"] for item in served_lines(lines, T0, T0 + 100)] == ["您好"]
    assert [item["text"] for item in served_lines(lines, T0, None)] == ["您好", "再见"]


def test_the_shipped_rules_load_and_broken_rules_are_refused(tmp_path: Path) -> None:
    shipped = QualityRules.load()
    assert "保证收益" in shipped.forbidden and shipped.waiting_seconds > 0
    broken = tmp_path / "rules.yml"
    broken.write_text("greeting: [您好]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="质检规则"):
        QualityRules.load(broken)
    broken.write_text("forbidden_phrases: [\n", encoding="utf-8")
    with pytest.raises(ValueError, match="YAML"):
        QualityRules.load(broken)
