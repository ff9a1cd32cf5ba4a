"""Drafts of knowledge-base changes and their four-eyes review.

A draft creates, changes or removes one entry. Its author edits it while it is a draft (or after a rejection)
and submits it; an approver other than the author approves it, which publishes it as a new version, or rejects
it with a comment. A change is checked against the whole published knowledge base (duplicate questions, related
entries that do not exist) when it is submitted and again when it is approved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.content.publishing import Fields, publish
from bot.core.clock import Clock, system_clock
from bot.db.kb_store import read_entries
from bot.db.models import KbDraftRow
from bot.editing.fields import EditingError, EntryFields
from bot.editing.versions import Versions
from bot.kb.validation import validate_entries

DRAFT, PENDING, REJECTED, PUBLISHED = "draft", "pending", "rejected", "published"
STATUSES = (DRAFT, PENDING, REJECTED, PUBLISHED)
EDITABLE = (DRAFT, REJECTED)
MAX_COMMENT = 500


@dataclass(frozen=True)
class DraftView:
    """A draft as the console shows it: its change beside the entry published now."""

    id: int
    entry_id: str
    status: str
    author: str
    reviewer: str | None
    comment: str | None
    fields: EntryFields | None
    current: EntryFields | None
    created_at: datetime
    updated_at: datetime
    version: int | None

    @property
    def action(self) -> str:
        """`create`, `update` or `delete`."""
        if self.fields is None:
            return "delete"
        return "update" if self.current is not None else "create"

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "entry_id": self.entry_id, "action": self.action, "status": self.status,
            "author": self.author, "reviewer": self.reviewer, "comment": self.comment,
            "fields": self.fields.as_json() if self.fields else None,
            "current": self.current.as_json() if self.current else None,
            "created_at": self.created_at.isoformat(), "updated_at": self.updated_at.isoformat(),
            "version": self.version,
        }


class Drafts:
    """Drafts and their review on one database session (each call commits)."""

    def __init__(self, session: Session, clock: Clock = system_clock) -> None:
        self.session = session
        self.clock = clock

    def create(self, author: str, fields: EntryFields) -> DraftView:
        """A draft of a new entry, or of a change to the published entry with the same id."""
        return self._new(author, fields.id, fields.as_json())

    def remove(self, author: str, entry_id: str) -> DraftView:
        """A draft that removes a published entry."""
        if self._published(entry_id) is None:
            raise EditingError("该知识不存在")
        return self._new(author, entry_id, None)

    def add_similar(self, author: str, entry_id: str, questions: list[str]) -> DraftView:
        """A draft of a published entry with `questions` added to its similar questions (those it already has,
        in any wording the knowledge base compares equal, are left out)."""
        current = self._published(entry_id)
        if current is None:
            raise EditingError("该知识不存在")
        fields = current.as_json()
        fields["similar"] = [*fields["similar"], *questions]
        return self._new(author, entry_id, EntryFields.from_json(fields).as_json())

    def update(self, draft_id: int, author: str, fields: EntryFields) -> DraftView:
        """Change a draft; only its author, and only before it is submitted or after a rejection."""
        row = self._row(draft_id)
        self._check_author(row, author)
        if row.status not in EDITABLE:
            raise EditingError("已提交审核或已发布的草稿不能修改")
        if fields.id != row.entry_id:
            raise EditingError("草稿的知识编号不能修改")
        row.fields = fields.as_json()
        row.status, row.updated_at = DRAFT, self.clock()
        return self._commit(row)

    def submit(self, draft_id: int, author: str) -> DraftView:
        """Send a draft to review, after checking it against the published knowledge base."""
        row = self._row(draft_id)
        self._check_author(row, author)
        if row.status not in EDITABLE:
            raise EditingError("该草稿已提交审核或已发布")
        self._check_applies(row.entry_id, row.fields)
        row.status, row.updated_at = PENDING, self.clock()
        return self._commit(row)

    def approve(self, draft_id: int, approver: str, comment: str = "") -> int:
        """Publish a submitted draft; returns the new version. The approver cannot be its author."""
        row = self._pending_for(draft_id, approver)
        self._check_applies(row.entry_id, row.fields)
        version = publish(
            self.session, {row.entry_id: row.fields}, published_by=row.author, approved_by=approver,
            summary=_summary(row, self._published(row.entry_id) is not None), now=self.clock(),
        )
        if version is None:
            raise EditingError("该草稿与已发布的内容相同，无需发布")
        row.status, row.reviewer, row.comment = PUBLISHED, approver, _comment(comment)
        row.version, row.updated_at = version, self.clock()
        self._commit(row)
        return version

    def reject(self, draft_id: int, approver: str, comment: str) -> DraftView:
        """Send a submitted draft back to its author with a comment (required)."""
        row = self._pending_for(draft_id, approver)
        if not comment.strip():
            raise EditingError("驳回时请填写意见")
        row.status, row.reviewer, row.comment, row.updated_at = REJECTED, approver, _comment(comment), self.clock()
        return self._commit(row)

    def get(self, draft_id: int) -> DraftView:
        return self._view(self._row(draft_id))

    def list(self, status: str | None = None) -> list[DraftView]:
        """Drafts, newest first; of one status when given."""
        query = select(KbDraftRow).order_by(KbDraftRow.id.desc())
        if status is not None:
            if status not in STATUSES:
                raise EditingError("未知的草稿状态")
            query = query.where(KbDraftRow.status == status)
        return [self._view(row) for row in self.session.scalars(query)]

    def _new(self, author: str, entry_id: str, fields: Fields | None) -> DraftView:
        now = self.clock()
        row = KbDraftRow(entry_id=entry_id, fields=fields, status=DRAFT, author=author, created_at=now,
                         updated_at=now)
        self.session.add(row)
        return self._commit(row)

    def _commit(self, row: KbDraftRow) -> DraftView:
        self.session.commit()
        return self._view(row)

    def _row(self, draft_id: int) -> KbDraftRow:
        row = self.session.get(KbDraftRow, draft_id)
        if row is None:
            raise EditingError("草稿不存在")
        return row

    @staticmethod
    def _check_author(row: KbDraftRow, author: str) -> None:
        if row.author != author:
            raise EditingError("只能修改自己的草稿")

    def _pending_for(self, draft_id: int, approver: str) -> KbDraftRow:
        row = self._row(draft_id)
        if row.status != PENDING:
            raise EditingError("该草稿不在待审核状态")
        if row.author == approver:
            raise EditingError("不能审核自己提交的修改")
        return row

    def _published(self, entry_id: str) -> EntryFields | None:
        return Versions(self.session).entry(entry_id)

    def _check_applies(self, entry_id: str, fields: Fields | None) -> None:
        """`EditingError` unless the published knowledge base with this change is still valid."""
        entries = [entry for entry in read_entries(self.session) if entry.id != entry_id]
        if fields is not None:
            entries.append(EntryFields.of(fields).entry(source="草稿"))
        problems = validate_entries(entries)
        if problems:
            raise EditingError("修改后知识库校验未通过：" + "；".join(problem.message for problem in problems[:3]))

    def _view(self, row: KbDraftRow) -> DraftView:
        return DraftView(
            id=row.id, entry_id=row.entry_id, status=row.status, author=row.author, reviewer=row.reviewer,
            comment=row.comment, fields=EntryFields.of(row.fields) if row.fields else None,
            current=self._published(row.entry_id), created_at=row.created_at, updated_at=row.updated_at,
            version=row.version,
        )


def _summary(row: KbDraftRow, exists: bool) -> str:
    if row.fields is None:
        return f"删除 {row.entry_id}"
    return f"{'修改' if exists else '新增'} {row.entry_id}：{row.fields['question']}"


def _comment(comment: str) -> str | None:
    return comment.strip()[:MAX_COMMENT] or None
