"""Loading and validation of knowledge-base files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.kb import FaqEntry, KbValidationError, Problem
from bot.kb.loader import load_and_validate, load_faq_file, load_jsonl, load_synonyms, validate_entries
from tests.support.small_kb import write_kb


def _entry(entry_id: str, question: str, similar: tuple[str, ...], line: int, **extra: object) -> FaqEntry:
    return FaqEntry(entry_id, question, "answer", similar=similar, source="faq/a.yml", line=line, **extra)


def test_valid_directory_loads(kb_dir: Path) -> None:
    entries, synonyms = load_and_validate(kb_dir)
    assert len(entries) == 10
    assert synonyms["xyk"] == "信用卡"
    first = entries[0]
    assert (first.id, first.line, Path(first.source).name) == ("credit_card-001", 1, "credit_card.yml")


def test_missing_key_and_wrong_type_point_at_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yml"
    path.write_text(
        "- id: a-1\n  question: 问题一\n  similar: [甲, 乙, 丙]\n  answer: 答\n"
        "- id: a-2\n  question: 问题二\n  similar: 不是列表\n  answer: 答\n"
        "- id: a-3\n  question: 问题三\n  similar: [甲一, 乙一, 丙一]\n",
        encoding="utf-8",
    )
    problems: list[Problem] = []
    entries = load_faq_file(path, problems)
    assert [entry.id for entry in entries] == ["a-1"]
    messages = [str(problem) for problem in problems]
    assert f"{path}:7: 'similar' must be a list of non-empty strings" in messages
    assert f"{path}:9: missing required key 'answer'" in messages


def test_yaml_syntax_error_is_reported_with_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.yml"
    path.write_text("- id: a\n  question: [unclosed\n", encoding="utf-8")
    with pytest.raises(KbValidationError) as raised:
        load_faq_file(path)
    assert str(raised.value.problems[0]).startswith(f"{path}:")
    assert "invalid YAML" in raised.value.problems[0].message


def test_duplicate_question_inside_one_entry() -> None:
    entry = _entry("a-1", "信用卡怎么还款", ("信用卡怎么还款？", "还钱的方法", "如何还信用卡"), line=4)
    problems = validate_entries([entry])
    expected = "faq/a.yml:4: a-1: duplicate question '信用卡怎么还款？'"
    assert [str(problem) for problem in problems] == [expected]


def test_conflict_between_entries_reports_both_places() -> None:
    first = _entry("a-1", "信用卡怎么还款", ("还钱的方法", "如何还信用卡", "还款途径"), line=1)
    second = _entry("a-2", "信用卡还款方式", ("如何 还信用卡!", "还款渠道", "在哪还款"), line=9)
    problems = validate_entries([first, second])
    places = {(problem.line, problem.message.startswith("conflict")) for problem in problems}
    assert places == {(1, True), (9, True)}


def test_other_entry_checks() -> None:
    entries = [
        _entry("a-1", "问题一", ("甲", "乙"), line=1, related=("a-9",)),
        FaqEntry("a-1", "问题二", " ", similar=("丙", "丁", "戊"), source="faq/a.yml", line=6),
    ]
    messages = [problem.message for problem in validate_entries(entries)]
    assert "a-1: needs at least 3 similar questions, has 2" in messages
    assert "a-1: empty answer" in messages
    assert "duplicate id 'a-1' (first at faq/a.yml:1)" in messages
    assert "a-1: related id 'a-9' does not exist" in messages


def test_load_and_validate_raises_with_all_problems(tmp_path: Path) -> None:
    root = write_kb(tmp_path)
    extra = "- id: credit_card-001\n  question: 信用卡丢了怎么办\n  similar: [甲, 乙]\n  answer: 答\n"
    (root / "faq" / "zz.yml").write_text(extra, encoding="utf-8")
    with pytest.raises(KbValidationError) as raised:
        load_and_validate(root)
    text = str(raised.value)
    assert f"{root / 'faq' / 'zz.yml'}:1: duplicate id 'credit_card-001'" in text
    assert "needs at least 3 similar questions" in text
    assert "conflict" in text


def test_synonym_problems(tmp_path: Path) -> None:
    path = tmp_path / "synonyms.yml"
    path.write_text(
        "- canonical: 信用卡\n  variants: [xyk, 借记卡]\n- canonical: 借记卡\n  variants: [xyk, 储蓄卡]\n",
        encoding="utf-8",
    )
    problems: list[Problem] = []
    load_synonyms(path, problems)
    messages = [str(problem) for problem in problems]
    assert f"{path}:1: variant '借记卡' is also a canonical word" in messages
    assert f"{path}:3: variant 'xyk' already belongs to '信用卡' (line 1)" in messages


def test_load_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "faq.jsonl"
    rows = [
        {"id": "f1", "question": "怎么开通信用卡", "answer": "答一"},
        {"id": "f2", "question": "消费贷额度", "answer": "答二"},
    ]
    path.write_text("\n".join(json.dumps(row, ensure_ascii=False) for row in rows) + "\n", encoding="utf-8")
    entries = load_jsonl(path)
    assert [(entry.id, entry.line, entry.similar) for entry in entries] == [("f1", 1, ()), ("f2", 2, ())]
