"""质检 of human agents: the rules (a YAML file) and the score of one served conversation.

A conversation is inspected from its transcript lines (`bot.handoff.transcript`) from the moment an agent took
it. Rules: forbidden phrases in an agent's reply, the first reply later than N seconds, no greeting in the
first reply, a customer's message unanswered for more than N seconds. Each broken rule is a flag on a line
with a deduction; the score is 100 minus the deductions, at least 0.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.core.settings import current_settings
from bot.core.text import normalize

FULL_SCORE = 100
FORBIDDEN_PHRASE = "forbidden_phrase"
NO_GREETING = "no_greeting"
SLOW_FIRST_RESPONSE = "slow_first_response"
CUSTOMER_WAITING = "customer_waiting"
RULE_LABELS = {
    FORBIDDEN_PHRASE: "禁用语",
    NO_GREETING: "未使用问候语",
    SLOW_FIRST_RESPONSE: "首次响应超时",
    CUSTOMER_WAITING: "客户等待超时",
}


@dataclass(frozen=True)
class QualityRules:
    """The rules and what breaking each costs."""

    forbidden: Mapping[str, str]
    """Forbidden phrase (normalised) -> its category, e.g. 保证收益 -> 违规承诺."""
    forbidden_deduction: int
    greetings: tuple[str, ...]
    greeting_deduction: int
    first_response_seconds: float
    first_response_deduction: int
    waiting_seconds: float
    waiting_deduction: int

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> QualityRules:
        """Rules from the YAML layout of `knowledge_base/quality_rules.yml`; `ValueError` when it is broken."""
        try:
            forbidden = data["forbidden_phrases"]
            greeting, first, waiting = data["greeting"], data["first_response"], data["customer_waiting"]
            phrases = {
                _canonical(str(phrase)): str(category)
                for category, listed in forbidden["categories"].items() for phrase in listed
            }
            rules = cls(
                forbidden=phrases, forbidden_deduction=int(forbidden["deduction"]),
                greetings=tuple(_canonical(str(phrase)) for phrase in greeting["phrases"]),
                greeting_deduction=int(greeting["deduction"]),
                first_response_seconds=float(first["seconds"]), first_response_deduction=int(first["deduction"]),
                waiting_seconds=float(waiting["seconds"]), waiting_deduction=int(waiting["deduction"]),
            )
        except (KeyError, TypeError, AttributeError, ValueError) as error:
            raise ValueError(f"质检规则格式不正确：{error!r}") from error
        if "" in phrases or "" in rules.greetings or min(rules.first_response_seconds, rules.waiting_seconds) <= 0:
            raise ValueError("质检规则格式不正确：用语不能为空，时长必须大于 0")
        return rules

    @classmethod
    def load(cls, path: Path | None = None) -> QualityRules:
        """The rules in `path`, by default `KEFU_QUALITY_RULES`; `OSError` or `ValueError` when unreadable."""
        source = path or current_settings().quality_rules
        try:
            data = yaml.safe_load(source.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as error:
            raise ValueError(f"质检规则不是有效的 YAML：{source}") from error
        return cls.from_mapping(data)


@dataclass(frozen=True)
class Flag:
    """A broken rule on one transcript line (`line` indexes the inspected lines)."""

    rule: str
    line: int
    time: float | None
    detail: str
    deduction: int

    def as_dict(self) -> dict[str, Any]:
        """JSON form, with the rule's label."""
        return {
            "rule": self.rule, "label": RULE_LABELS[self.rule], "line": self.line, "time": self.time,
            "detail": self.detail, "deduction": self.deduction,
        }


@dataclass(frozen=True)
class Inspection:
    """The score of one conversation and why."""

    score: int
    flags: tuple[Flag, ...]


def _canonical(text: str) -> str:
    return "".join(normalize(text).split()).lower()


def served_lines(lines: Sequence[Mapping[str, Any]], start: float, end: float | None) -> list[Mapping[str, Any]]:
    """The transcript lines between `start` and `end` (UNIX seconds; `end` None: until now)."""
    return [
        line for line in lines
        if isinstance(line.get("time"), (int, float)) and line["time"] >= start and (end is None or line["time"] <= end)
    ]


def forbidden_in(text: str, rules: QualityRules) -> list[str]:
    """The forbidden phrases in an agent's text, in the rules' order."""
    canonical = _canonical(text)
    return [phrase for phrase in rules.forbidden if phrase in canonical]


def inspect(lines: Sequence[Mapping[str, Any]], rules: QualityRules, start: float, end: float) -> Inspection:
    """Score the served part of a conversation: `lines` from `served_lines`, served from `start` to `end`."""
    flags: list[Flag] = []
    agent_lines = [index for index, line in enumerate(lines) if line.get("role") == "agent"]
    for index in agent_lines:
        if found := forbidden_in(str(lines[index].get("text") or ""), rules):
            detail = "、".join(f"「{phrase}」（{rules.forbidden[phrase]}）" for phrase in found)
            flags.append(Flag(FORBIDDEN_PHRASE, index, lines[index]["time"], detail, rules.forbidden_deduction))
    if agent_lines:
        first = agent_lines[0]
        delay = lines[first]["time"] - start
        if delay > rules.first_response_seconds:
            flags.append(Flag(
                SLOW_FIRST_RESPONSE, first, lines[first]["time"],
                f"接入后 {delay:.0f} 秒才首次回复（上限 {rules.first_response_seconds:g} 秒）",
                rules.first_response_deduction,
            ))
        if not any(phrase in _canonical(str(lines[first].get("text") or "")) for phrase in rules.greetings):
            flags.append(Flag(
                NO_GREETING, first, lines[first]["time"], "第一条回复没有问候语", rules.greeting_deduction,
            ))
    elif end - start > rules.first_response_seconds:
        flags.append(Flag(
            SLOW_FIRST_RESPONSE, -1, None, f"接入 {end - start:.0f} 秒内客服没有回复", rules.first_response_deduction,
        ))
    flags.extend(_waiting(lines, rules, end))
    flags.sort(key=lambda flag: (flag.line, flag.rule))
    return Inspection(max(0, FULL_SCORE - sum(flag.deduction for flag in flags)), tuple(flags))


def _waiting(lines: Sequence[Mapping[str, Any]], rules: QualityRules, end: float) -> list[Flag]:
    """One flag per run of customer messages that waited longer than allowed for the agent's next reply."""
    flags, waiting_since = [], None
    for index, line in enumerate([*lines, {"role": "end", "time": end}]):
        if line.get("role") == "customer" and waiting_since is None:
            waiting_since = index
        elif line.get("role") in ("agent", "end") and waiting_since is not None:
            asked = lines[waiting_since]["time"]
            waited = line["time"] - asked
            if waited > rules.waiting_seconds:
                answer = "客服才回复" if line.get("role") == "agent" else "客服仍未回复"
                flags.append(Flag(
                    CUSTOMER_WAITING, waiting_since, asked,
                    f"客户等待 {waited:.0f} 秒{answer}（上限 {rules.waiting_seconds:g} 秒）", rules.waiting_deduction,
                ))
            waiting_since = None
    return flags
