"""The jieba dictionary and the served knowledge base read `terms.txt` by the same rules."""

from __future__ import annotations

from pathlib import Path

from bot.kb.loader import load_terms
from bot.nlu.jieba_dict import collect_terms, write_dictionary
from tests.support.kb_fixture import write_kb


def test_comments_and_extra_fields_never_become_terms(tmp_path: Path) -> None:
    kb_dir = write_kb(tmp_path / "kb")
    (kb_dir / "terms.txt").write_text("# 领域术语\n借记卡 2000\n信用卡  # 贷记卡\n\n挂失\n", encoding="utf-8")
    served = load_terms(kb_dir / "terms.txt")
    assert served == ["借记卡", "信用卡", "挂失"]
    assert set(served) <= set(collect_terms(kb_dir))
    assert not any("#" in term or " " in term for term in collect_terms(kb_dir))
    dictionary = write_dictionary(kb_dir, tmp_path / "jieba").read_text(encoding="utf-8").splitlines()
    assert "借记卡 2000" in dictionary and not any(line.startswith("#") for line in dictionary)


def test_a_knowledge_base_without_terms_has_none(tmp_path: Path) -> None:
    assert load_terms(tmp_path / "terms.txt") == []
