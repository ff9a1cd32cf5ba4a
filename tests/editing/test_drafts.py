"""Drafts and four-eyes review on a real SQLite database: who may change what, and what publishing records."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session

from bot.content.files import read_content
from bot.core.db import session_factory
from bot.editing.drafts import PENDING, PUBLISHED, REJECTED, Drafts
from bot.editing.fields import EditingError, EntryFields
from bot.editing.versions import Versions

NEW_ENTRY = {
    "id": "debit_card-099", "category": "借记卡", "question": "借记卡能绑定几个手机号",
    "similar": "储蓄卡可以绑几个手机\n一张卡能绑两个手机号吗\n借记卡预留手机号能有几个",
    "answer": "每张借记卡只能预留一个手机号码。", "effective": "2026-01-01", "expires": "",
}


@pytest.fixture
def session(small_kb_url: str) -> Iterator[Session]:
    with session_factory(small_kb_url)() as session:
        yield session


def test_an_approved_draft_is_published_as_a_version(session: Session, small_kb_url: str) -> None:
    drafts = Drafts(session)
    draft = drafts.create("editor-1", EntryFields.from_json(NEW_ENTRY))
    assert draft.action == "create" and draft.status == "draft"
    assert drafts.submit(draft.id, "editor-1").status == PENDING
    version = drafts.approve(draft.id, "approver-1", "可以")
    stored = {entry.id: entry for entry in read_content(small_kb_url).entries}
    assert stored["debit_card-099"].answer == "每张借记卡只能预留一个手机号码。"
    assert str(stored["debit_card-099"].effective) == "2026-01-01"
    assert drafts.get(draft.id).status == PUBLISHED and drafts.get(draft.id).version == version
    published = Versions(session).get(version)
    assert (published.published_by, published.approved_by) == ("editor-1", "approver-1")
    assert [change.as_json()["change"] for change in published.changes] == ["added"]


def test_nobody_approves_their_own_draft(session: Session) -> None:
    drafts = Drafts(session)
    draft = drafts.create("editor-1", EntryFields.from_json(NEW_ENTRY))
    drafts.submit(draft.id, "editor-1")
    with pytest.raises(EditingError, match="不能审核自己"):
        drafts.approve(draft.id, "editor-1")
    assert drafts.get(draft.id).status == PENDING


def test_a_draft_is_approved_only_once_and_only_after_submission(session: Session) -> None:
    drafts = Drafts(session)
    draft = drafts.create("editor-1", EntryFields.from_json(NEW_ENTRY))
    with pytest.raises(EditingError, match="不在待审核"):
        drafts.approve(draft.id, "approver-1")
    drafts.submit(draft.id, "editor-1")
    drafts.approve(draft.id, "approver-1")
    with pytest.raises(EditingError, match="不在待审核"):
        drafts.approve(draft.id, "approver-2")


def test_a_rejected_draft_goes_back_to_its_author_with_the_comment(session: Session) -> None:
    drafts = Drafts(session)
    draft = drafts.create("editor-1", EntryFields.from_json(NEW_ENTRY))
    drafts.submit(draft.id, "editor-1")
    with pytest.raises(EditingError, match="意见"):
        drafts.reject(draft.id, "approver-1", " ")
    rejected = drafts.reject(draft.id, "approver-1", "答案请注明可在手机银行修改")
    assert (rejected.status, rejected.comment) == (REJECTED, "答案请注明可在手机银行修改")
    with pytest.raises(EditingError, match="自己的草稿"):
        drafts.update(draft.id, "editor-2", EntryFields.from_json(NEW_ENTRY))
    changed = drafts.update(draft.id, "editor-1", EntryFields.from_json({**NEW_ENTRY, "answer": "可在手机银行修改。"}))
    assert changed.status == "draft" and changed.fields is not None and changed.fields.answer == "可在手机银行修改。"


def test_a_change_that_breaks_the_knowledge_base_cannot_be_submitted(session: Session) -> None:
    drafts = Drafts(session)
    taken = {**NEW_ENTRY, "similar": "储蓄卡丢了怎么办\n一张卡能绑两个手机号吗\n借记卡预留手机号能有几个"}
    draft = drafts.create("editor-1", EntryFields.from_json(taken))
    with pytest.raises(EditingError, match="校验未通过"):
        drafts.submit(draft.id, "editor-1")
    dangling = drafts.create("editor-1", EntryFields.from_json({**NEW_ENTRY, "related": ["no-such-entry"]}))
    with pytest.raises(EditingError, match="校验未通过"):
        drafts.submit(dangling.id, "editor-1")


@pytest.mark.parametrize(("change", "message"), [
    ({"question": " "}, "请填写标准问题"),
    ({"similar": "只有一个"}, "至少需要 3 个相似问题"),
    ({"id": "带 空格"}, "知识编号只能"),
    ({"effective": "2026-02-01", "expires": "2026-01-01"}, "失效日期必须晚于生效日期"),
    ({"expires": "明年"}, "失效日期格式"),
    ({"answer": ["不是文本"]}, "答案格式不正确"),
])
def test_bad_fields_get_a_message_for_the_editor(change: dict[str, object], message: str) -> None:
    with pytest.raises(EditingError, match=message):
        EntryFields.from_json({**NEW_ENTRY, **change})


def test_add_similar_appends_new_wordings_once(session: Session, small_kb_url: str) -> None:
    drafts = Drafts(session)
    draft = drafts.add_similar("supervisor-1", "debit_card-001", ["卡不见了咋弄", "储蓄卡丢了怎么办", "卡不见了咋弄"])
    assert draft.action == "update"
    assert draft.fields is not None and draft.current is not None
    assert draft.fields.similar == (*draft.current.similar, "卡不见了咋弄")
    drafts.submit(draft.id, "supervisor-1")
    drafts.approve(draft.id, "approver-1")
    stored = {entry.id: entry for entry in read_content(small_kb_url).entries}
    assert "卡不见了咋弄" in stored["debit_card-001"].similar


def test_a_removal_draft_deletes_the_entry_when_approved(session: Session, small_kb_url: str) -> None:
    drafts = Drafts(session)
    draft = drafts.remove("editor-1", "debit_card-014")
    assert draft.action == "delete"
    drafts.submit(draft.id, "editor-1")
    drafts.approve(draft.id, "approver-1")
    assert "debit_card-014" not in {entry.id for entry in read_content(small_kb_url).entries}
