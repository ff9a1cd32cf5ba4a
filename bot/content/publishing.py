"""Publishing changes of FAQ entries: every change of the stored entries (an approved draft, a rollback, an import
of the files) becomes one numbered version that records each changed entry's fields before and after.

An entry's fields are the JSON of `entry_fields`; the file it came from (`source`, `line`) is kept apart, so that
an edit in the console keeps its place in `knowledge_base/` on export.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.core.clock import system_clock
from bot.db.kb_store import entry_of_row, row_of_entry
from bot.db.models import FaqEntryRow, KbRevisionRow, KbVersionRow
from bot.kb.entry import FaqEntry

Fields = dict[str, Any]
"""An entry's editable fields as stored in JSON: id, question, answer, category, similar, keywords, related,
effective and expires (ISO dates or None)."""


def entry_fields(entry: FaqEntry) -> Fields:
    """The editable fields of `entry`."""
    return {
        "id": entry.id,
        "question": entry.question,
        "answer": entry.answer,
        "category": entry.category,
        "similar": list(entry.similar),
        "keywords": list(entry.keywords),
        "related": list(entry.related),
        "effective": entry.effective.isoformat() if entry.effective else None,
        "expires": entry.expires.isoformat() if entry.expires else None,
    }


def entry_of_fields(fields: Mapping[str, Any], source: str = "", line: int = 0) -> FaqEntry:
    """The entry with `fields` (as `entry_fields` writes them), placed at `source`:`line`."""
    return FaqEntry(
        id=fields["id"],
        question=fields["question"],
        answer=fields["answer"],
        category=fields.get("category") or "",
        similar=tuple(fields.get("similar") or ()),
        keywords=tuple(fields.get("keywords") or ()),
        related=tuple(fields.get("related") or ()),
        source=source,
        line=line,
        effective=_day(fields.get("effective")),
        expires=_day(fields.get("expires")),
    )


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def latest_version(session: Session) -> int:
    """The number of the newest published version (0 before the first)."""
    return session.scalar(select(func.max(KbVersionRow.version))) or 0


def publish(
    session: Session,
    changes: Mapping[str, Fields | None],
    *,
    published_by: str,
    summary: str,
    approved_by: str | None = None,
    rollback_of: int | None = None,
    sources: Mapping[str, tuple[str, int]] | None = None,
    now: datetime | None = None,
) -> int | None:
    """Apply `changes` (entry id -> its new fields, or None to remove it) in the session's transaction and record
    them as a new version; the version's number, or None when no entry actually changes.

    `sources` places new or moved entries in the files (id -> (source, line)); other entries keep theirs.
    """
    rows = {row.id: row for row in session.scalars(select(FaqEntryRow).where(FaqEntryRow.id.in_(list(changes))))}
    revisions: list[KbRevisionRow] = []
    for entry_id, after in sorted(changes.items()):
        row = rows.get(entry_id)
        before = entry_fields(entry_of_row(row)) if row is not None else None
        source, line = (sources or {}).get(entry_id, (row.source, row.line) if row is not None else ("", 0))
        moved = row is not None and (row.source, row.line) != (source, line)
        if before == after and not moved:
            continue
        if before != after:
            revisions.append(KbRevisionRow(entry_id=entry_id, before=before, after=after))
        if row is not None:
            session.delete(row)
            session.flush()
        if after is not None:
            session.add(row_of_entry(entry_of_fields(after, source, line)))
    if not revisions:
        session.flush()
        return None
    version = KbVersionRow(
        published_at=now or system_clock(), published_by=published_by, approved_by=approved_by, summary=summary,
        rollback_of=rollback_of,
    )
    session.add(version)
    session.flush()
    for revision in revisions:
        revision.version = version.version
    session.add_all(revisions)
    session.flush()
    return version.version
