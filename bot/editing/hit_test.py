"""命中测试: which entry each test question reaches today, and which it would reach with a draft published.

Both sides are the index the bot serves (entries in effect today, the calibrated thresholds); the side with the
draft is built for the test with the same re-rankers, as publishing it would be (under a second for the shipped
knowledge base: only the draft's new texts are embedded), so callers run it off the event loop.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from bot.content.serving import serving_knowledge_base
from bot.db.kb_store import read_entries, read_synonyms
from bot.editing.fields import EditingError, EntryFields
from bot.kb import KnowledgeBase

MAX_QUESTIONS = 50


def hit_test(
    session: Session, fields: EntryFields | None, questions: list[str], removed: str | None = None,
    today: KnowledgeBase | None = None, day: date | None = None,
) -> list[dict[str, Any]]:
    """For each question: the outcome today and with the draft (`fields` added or changed, or `removed` taken out).

    `today` is the index answering now (built from the database when not given).
    """
    questions = [question.strip() for question in questions if question.strip()]
    if not questions:
        raise EditingError("请填写至少一个测试问题")
    if len(questions) > MAX_QUESTIONS:
        raise EditingError(f"一次最多测试 {MAX_QUESTIONS} 个问题")
    day = day or date.today()
    entries = [entry for entry in read_entries(session) if entry.in_effect(day)]
    synonyms = read_synonyms(session)
    changed = {fields.id if fields else None, removed} - {None}
    drafted = [entry for entry in entries if entry.id not in changed]
    if fields is not None and fields.entry().in_effect(day):
        drafted.append(fields.entry())
    current = today or serving_knowledge_base(entries, synonyms)
    candidate = serving_knowledge_base(drafted, synonyms, like=current)
    rows = []
    for question in questions:
        before, after = _reached(current, question), _reached(candidate, question)
        rows.append({"question": question, "today": before, "with_draft": after, "changed": before != after})
    return rows


def _reached(kb: KnowledgeBase, question: str) -> dict[str, Any]:
    """The outcome (`answer`, `clarify`, `none`) and the entry answered or asked about first."""
    decision = kb.answer(question)
    entry_id = decision.answer_id or (decision.suggestions[0].id if decision.suggestions else None)
    return {
        "outcome": decision.outcome,
        "entry_id": entry_id,
        "entry_question": kb.entry(entry_id).question if entry_id else None,
    }
