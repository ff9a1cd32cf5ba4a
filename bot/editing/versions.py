"""The published knowledge base's history: its versions, what each changed, rolling back to an earlier one, and
the published entries as an editor browses them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bot.content.publishing import Fields, latest_version, publish
from bot.core.clock import Clock, system_clock
from bot.db.kb_store import entry_of_row
from bot.db.models import FaqEntryRow, KbRevisionRow, KbVersionRow
from bot.editing.fields import EditingError, EntryFields


@dataclass(frozen=True)
class EntryChange:
    """One entry's fields before and after a version."""

    entry_id: str
    before: Fields | None
    after: Fields | None

    @property
    def change(self) -> str:
        """`added`, `changed` or `removed`."""
        if self.before is None:
            return "added"
        return "removed" if self.after is None else "changed"

    def as_json(self) -> dict[str, Any]:
        return {"entry_id": self.entry_id, "change": self.change, "before": self.before, "after": self.after}


@dataclass(frozen=True)
class VersionView:
    """A published version and the entries it changed."""

    version: int
    published_at: datetime
    published_by: str
    approved_by: str | None
    summary: str
    rollback_of: int | None
    changes: list[EntryChange]

    def as_json(self) -> dict[str, Any]:
        return {
            "version": self.version, "published_at": self.published_at.isoformat(),
            "published_by": self.published_by, "approved_by": self.approved_by, "summary": self.summary,
            "rollback_of": self.rollback_of,
            "changes": [{"entry_id": change.entry_id, "change": change.change} for change in self.changes],
        }


class Versions:
    """The versions on one database session."""

    def __init__(self, session: Session, clock: Clock = system_clock) -> None:
        self.session = session
        self.clock = clock

    def history(self, limit: int = 50) -> list[VersionView]:
        """The newest versions first."""
        rows = self.session.scalars(select(KbVersionRow).order_by(KbVersionRow.version.desc()).limit(limit)).all()
        return [self._view(row) for row in rows]

    def get(self, version: int) -> VersionView:
        row = self.session.get(KbVersionRow, version)
        if row is None:
            raise EditingError("该版本不存在")
        return self._view(row)

    def diff(self, version: int) -> list[EntryChange]:
        """Each entry `version` changed, with its fields before and after."""
        return self.get(version).changes

    def rollback(self, version: int, actor: str) -> int:
        """Publish the knowledge base as it was right after `version`, as a new version; its number."""
        self.get(version)
        if version == latest_version(self.session):
            raise EditingError("这已经是当前版本")
        later = self.session.scalars(
            select(KbRevisionRow).where(KbRevisionRow.version > version).order_by(KbRevisionRow.version)
        )
        state: dict[str, Fields | None] = {}
        for revision in later:
            state.setdefault(revision.entry_id, revision.before)
        published = publish(
            self.session, state, published_by=actor, approved_by=actor, summary=f"回滚到版本 {version}",
            rollback_of=version, now=self.clock(),
        )
        if published is None:
            raise EditingError("当前内容与该版本相同，无需回滚")
        self.session.commit()
        return published

    def entries(self, query: str = "", limit: int = 50) -> list[EntryFields]:
        """Published entries whose id or standard question contains `query`, in id order."""
        select_entries = select(FaqEntryRow).order_by(FaqEntryRow.id).limit(limit)
        if query.strip():
            pattern = f"%{query.strip()}%"
            select_entries = select_entries.where(or_(FaqEntryRow.id.like(pattern), FaqEntryRow.question.like(pattern)))
        return [EntryFields.of_entry(entry_of_row(row)) for row in self.session.scalars(select_entries)]

    def entry(self, entry_id: str) -> EntryFields | None:
        row = self.session.get(FaqEntryRow, entry_id)
        return EntryFields.of_entry(entry_of_row(row)) if row is not None else None

    def _view(self, row: KbVersionRow) -> VersionView:
        revisions = self.session.scalars(
            select(KbRevisionRow).where(KbRevisionRow.version == row.version).order_by(KbRevisionRow.entry_id)
        )
        return VersionView(
            version=row.version, published_at=row.published_at, published_by=row.published_by,
            approved_by=row.approved_by, summary=row.summary, rollback_of=row.rollback_of,
            changes=[EntryChange(revision.entry_id, revision.before, revision.after) for revision in revisions],
        )
