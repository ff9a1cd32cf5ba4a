"""Version history, diff and rollback, and the three-way import that keeps console edits across a restart."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from bot.content.files import import_content, read_content
from bot.content.yaml_export import export_yaml
from bot.core.db import session_factory
from bot.editing.drafts import Drafts
from bot.editing.fields import EditingError
from bot.editing.versions import Versions
from bot.kb.loader import load_faq_directory
from tests.editing.conftest import small_kb_dir


@pytest.fixture
def session(small_kb_url: str) -> Iterator[Session]:
    with session_factory(small_kb_url)() as session:
        yield session


def publish_answer(session: Session, entry_id: str, answer: str) -> int:
    drafts = Drafts(session)
    current = Versions(session).entry(entry_id)
    assert current is not None
    draft = drafts.create("editor-1", current.__class__.from_json({**current.as_json(), "answer": answer}))
    drafts.submit(draft.id, "editor-1")
    return drafts.approve(draft.id, "approver-1")


def answers(url: str) -> dict[str, str]:
    return {entry.id: entry.answer for entry in read_content(url).entries}


def test_history_and_diff_show_each_change(session: Session) -> None:
    before = Versions(session).entry("debit_card-004")
    assert before is not None
    version = publish_answer(session, "debit_card-004", "普通借记卡免年费，部分卡种收取小额账户管理费。")
    history = Versions(session).history()
    assert history[0].version == version and history[0].summary.startswith("修改 debit_card-004")
    assert history[-1].published_by == "kefu kb import"
    [change] = Versions(session).diff(version)
    assert change.change == "changed"
    assert change.before is not None and change.before["answer"] == before.answer
    assert change.after is not None and change.after["answer"].startswith("普通借记卡免年费")


def test_rollback_restores_an_earlier_version_as_a_new_one(session: Session, small_kb_url: str) -> None:
    first = publish_answer(session, "debit_card-004", "第一次修改。")
    publish_answer(session, "debit_card-007", "第二次修改。")
    publish_answer(session, "debit_card-004", "第三次修改。")
    rolled = Versions(session).rollback(first, "approver-1")
    stored = answers(small_kb_url)
    assert stored["debit_card-004"] == "第一次修改。"
    assert stored["debit_card-007"] == "请携带身份证件到网点重置密码。"
    assert Versions(session).get(rolled).rollback_of == first
    with pytest.raises(EditingError, match="当前版本"):
        Versions(session).rollback(rolled, "approver-1")


def test_restart_keeps_console_edits_and_takes_the_files_changes(tmp_path: Path, small_kb_url: str,
                                                                 session: Session) -> None:
    publish_answer(session, "debit_card-004", "控制台修改的答案。")
    kb_dir = small_kb_dir(tmp_path / "again")
    import_content(kb_dir, small_kb_url)
    assert answers(small_kb_url)["debit_card-004"] == "控制台修改的答案。"
    edited = (kb_dir / "faq" / "debit_card.yml").read_text(encoding="utf-8")
    (kb_dir / "faq" / "debit_card.yml").write_text(
        edited.replace("请携带身份证件到网点重置密码。", "请在手机银行重置密码。"), encoding="utf-8")
    import_content(kb_dir, small_kb_url)
    stored = answers(small_kb_url)
    assert stored["debit_card-004"] == "控制台修改的答案。"
    assert stored["debit_card-007"] == "请在手机银行重置密码。"


def test_export_writes_the_published_entries_back_to_their_files(tmp_path: Path, small_kb_url: str,
                                                                 session: Session) -> None:
    publish_answer(session, "debit_card-004", "控制台修改的答案。")
    stored = read_content(small_kb_url).entries
    export_yaml(stored, tmp_path / "exported")
    written = sorted(path.name for path in (tmp_path / "exported" / "faq").glob("*.yml"))
    assert written == ["credit_card.yml", "debit_card.yml", "transfer.yml"]
    back = {entry.id: entry for entry in load_faq_directory(tmp_path / "exported" / "faq")}
    assert back["debit_card-004"].answer == "控制台修改的答案。"
    assert {entry.id: entry.questions for entry in stored} == {key: entry.questions for key, entry in back.items()}
