"""Importing the knowledge base into the database: validated, all or nothing, exportable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.content.files import ContentError, export_jsonl, import_content, load_content, read_content
from bot.core.paths import KNOWLEDGE_BASE_DIR
from tests.support.kb_fixture import FAQ, write_kb


def test_real_knowledge_base_is_valid_and_large_enough() -> None:
    content = load_content(KNOWLEDGE_BASE_DIR)
    assert len(content.entries) >= 300
    assert all(len(entry.similar) >= 3 for entry in content.entries)
    assert len(content.branches) >= 40


def test_import_then_read_back(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'kb.db'}"
    import_content(write_kb(tmp_path / "kb"), url)
    content = read_content(url)
    assert [entry.id for entry in content.entries] == ["card-001", "card-002"]
    assert content.entries[0].similar[0] == "储蓄卡不见了怎么办"
    assert content.synonyms == {"xyk": "信用卡"}
    assert content.branches[0].district == "朝阳区"


def test_bad_file_leaves_the_stored_knowledge_base_untouched(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'kb.db'}"
    import_content(write_kb(tmp_path / "good"), url)
    conflicting = FAQ + "- id: card-003\n  category: 信用卡\n  question: 借记卡丢了怎么挂失\n" \
        "  similar: [a1, b2, c3]\n  answer: 重复。\n"
    with pytest.raises(ContentError) as error:
        import_content(write_kb(tmp_path / "bad", faq=conflicting), url)
    assert any("cards.yml" in problem for problem in error.value.problems)
    assert [entry.id for entry in read_content(url).entries] == ["card-001", "card-002"]


def test_bad_branch_file_is_reported_with_its_line(tmp_path: Path) -> None:
    with pytest.raises(ContentError) as error:
        load_content(write_kb(tmp_path, branches="- id: X\n  name: 缺字段\n"))
    assert any("branches.yml:1" in problem for problem in error.value.problems)


def test_export_jsonl_is_the_evaluation_format(tmp_path: Path) -> None:
    content = load_content(write_kb(tmp_path / "kb"))
    out = tmp_path / "faq.jsonl"
    export_jsonl(content, out)
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert records[1]["id"] == "card-002"
    assert {"id", "question", "answer", "similar", "category"} <= set(records[1])
