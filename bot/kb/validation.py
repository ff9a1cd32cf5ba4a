"""Consistency checks over loaded FAQ entries."""

from __future__ import annotations

import re

from bot.core.text import normalize
from bot.core.yaml_lines import Problem
from bot.kb.entry import FaqEntry

MIN_SIMILAR = 3

_NOT_CONTENT = re.compile(r"[^0-9a-z\u3400-\u9fff]+")


def question_key(text: str) -> str:
    """Comparison key of a question: normalized, lower-cased, without punctuation or spaces."""
    return _NOT_CONTENT.sub("", normalize(text).lower())


def _check_entry(entry: FaqEntry) -> list[Problem]:
    problems = []
    if not entry.question.strip():
        problems.append(Problem(entry.source, entry.line, f"{entry.id}: empty question"))
    if not entry.answer.strip():
        problems.append(Problem(entry.source, entry.line, f"{entry.id}: empty answer"))
    if entry.effective is not None and entry.expires is not None and entry.expires <= entry.effective:
        problems.append(Problem(entry.source, entry.line, f"{entry.id}: expires must be later than effective"))
    if len(entry.similar) < MIN_SIMILAR:
        problems.append(
            Problem(
                entry.source,
                entry.line,
                f"{entry.id}: needs at least {MIN_SIMILAR} similar questions, has {len(entry.similar)}",
            )
        )
    seen: set[str] = set()
    for question in entry.questions:
        key = question_key(question)
        if key in seen:
            problems.append(Problem(entry.source, entry.line, f"{entry.id}: duplicate question {question!r}"))
        seen.add(key)
    return problems


def _check_ids(entries: list[FaqEntry]) -> list[Problem]:
    problems = []
    first: dict[str, FaqEntry] = {}
    for entry in entries:
        earlier = first.setdefault(entry.id, entry)
        if earlier is not entry:
            problems.append(
                Problem(
                    entry.source,
                    entry.line,
                    f"duplicate id {entry.id!r} (first at {earlier.source}:{earlier.line})",
                )
            )
    for entry in entries:
        problems.extend(
            Problem(entry.source, entry.line, f"{entry.id}: related id {related!r} does not exist")
            for related in entry.related
            if related not in first
        )
    return problems


def _check_conflicts(entries: list[FaqEntry]) -> list[Problem]:
    """The same question under two different entries: report it at both places."""
    problems = []
    owner: dict[str, FaqEntry] = {}
    for entry in entries:
        for question in dict.fromkeys(question_key(q) for q in entry.questions):
            if not question:
                continue
            earlier = owner.setdefault(question, entry)
            if earlier is entry:
                continue
            message = f"question {question!r} appears in both {earlier.id!r} and {entry.id!r}"
            problems.append(Problem(earlier.source, earlier.line, f"conflict: {message}"))
            problems.append(Problem(entry.source, entry.line, f"conflict: {message}"))
    return problems


def validate_entries(entries: list[FaqEntry]) -> list[Problem]:
    """Every problem found in the entries, in a stable order."""
    problems: list[Problem] = []
    for entry in entries:
        problems.extend(_check_entry(entry))
    problems.extend(_check_ids(entries))
    problems.extend(_check_conflicts(entries))
    return problems
