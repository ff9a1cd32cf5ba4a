"""Store the knowledge base (FAQ entries, synonyms, branches) in the database and read it back."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.branches.directory import Branch
from bot.db.models import BranchRow, FaqEntryRow, SynonymRow
from bot.kb.entry import FaqEntry


def row_of_entry(entry: FaqEntry) -> FaqEntryRow:
    """A new row holding `entry`."""
    return FaqEntryRow(
        id=entry.id,
        category=entry.category,
        question=entry.question,
        similar=list(entry.similar),
        answer=entry.answer,
        keywords=list(entry.keywords),
        related=list(entry.related),
        source=entry.source,
        line=entry.line,
        effective=entry.effective,
        expires=entry.expires,
    )


def entry_of_row(row: FaqEntryRow) -> FaqEntry:
    """The entry a row holds."""
    return FaqEntry(
        id=row.id,
        question=row.question,
        answer=row.answer,
        category=row.category,
        similar=tuple(row.similar),
        keywords=tuple(row.keywords),
        related=tuple(row.related),
        source=row.source,
        line=row.line,
        effective=row.effective,
        expires=row.expires,
    )


def replace_language_content(session: Session, synonyms: Mapping[str, str], branches: Iterable[Branch]) -> None:
    """Replace the stored synonyms and branches in the session's transaction (all or nothing on commit)."""
    for model in (SynonymRow, BranchRow):
        session.execute(delete(model))
    session.add_all(SynonymRow(variant=variant, canonical=canonical) for variant, canonical in synonyms.items())
    session.add_all(
        BranchRow(
            id=branch.id,
            name=branch.name,
            city=branch.city,
            district=branch.district,
            address=branch.address,
            phone=branch.phone,
            hours=branch.hours,
            services=list(branch.services),
        )
        for branch in branches
    )


def read_entries(session: Session) -> list[FaqEntry]:
    """All stored FAQ entries, in id order."""
    return [entry_of_row(row) for row in session.execute(select(FaqEntryRow).order_by(FaqEntryRow.id)).scalars()]


def read_synonyms(session: Session) -> dict[str, str]:
    """Stored synonyms as variant → canonical."""
    rows = session.execute(select(SynonymRow)).scalars()
    return {row.variant: row.canonical for row in rows}


def read_branches(session: Session) -> list[Branch]:
    """All stored branches, in id order."""
    rows = session.execute(select(BranchRow).order_by(BranchRow.id)).scalars()
    return [
        Branch(
            id=row.id,
            name=row.name,
            city=row.city,
            district=row.district,
            address=row.address,
            hours=row.hours,
            phone=row.phone,
            services=tuple(row.services),
        )
        for row in rows
    ]
