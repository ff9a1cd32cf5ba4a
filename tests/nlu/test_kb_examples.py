"""The `faq` intent's examples generated from the knowledge base at training time."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.core.paths import KNOWLEDGE_BASE_DIR, NLU_DATA_DIR
from bot.nlu.kb_examples import EXAMPLES_FILE, faq_examples, write_faq_examples

ENTRY = """\
- id: demo-001
  category: 演示
  question: 信用卡晚还几天有影响吗
  similar:
    - 信用卡逾期一两天会上征信吗
    - 我的信用卡还能刷多少
    - 你好
    - 附近的网点在哪里
    - 信用卡[宽限期](card_type)有几天
  answer: 一般有3天宽限期。
"""


def knowledge_base(tmp_path: Path) -> Path:
    (tmp_path / "faq").mkdir()
    (tmp_path / "faq" / "demo.yml").write_text(ENTRY, encoding="utf-8")
    return tmp_path


def hand_written(tmp_path: Path) -> Path:
    nlu = tmp_path / "nlu"
    nlu.mkdir()
    (nlu / "chitchat.yml").write_text('version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n    - 你好\n',
                                      encoding="utf-8")
    return nlu


def test_general_questions_become_faq_examples_but_personal_labelled_and_branch_searches_do_not(tmp_path: Path) -> None:
    examples = faq_examples(knowledge_base(tmp_path), hand_written(tmp_path))
    assert "信用卡晚还几天有影响吗" in examples
    assert "信用卡逾期一两天会上征信吗" in examples
    assert "我的信用卡还能刷多少" not in examples
    assert "你好" not in examples
    assert "附近的网点在哪里" not in examples


def test_written_file_is_rasa_training_data_without_stray_entity_syntax(tmp_path: Path) -> None:
    from rasa.shared.nlu.training_data.loading import load_data

    path = write_faq_examples(knowledge_base(tmp_path), hand_written(tmp_path), tmp_path / "out")
    assert path.name == EXAMPLES_FILE
    data = load_data(str(path))
    texts = {example.get("text") for example in data.intent_examples}
    assert {example.get("intent") for example in data.intent_examples} == {"faq"}
    assert "信用卡 宽限期 card_type 有几天" in texts
    assert not data.entity_examples


def test_unchanged_content_leaves_the_file_untouched(tmp_path: Path) -> None:
    kb, nlu = knowledge_base(tmp_path), hand_written(tmp_path)
    path = write_faq_examples(kb, nlu, tmp_path / "out")
    stamp = path.stat().st_mtime_ns
    write_faq_examples(kb, nlu, tmp_path / "out")
    assert path.stat().st_mtime_ns == stamp


def test_the_shipped_knowledge_base_gives_every_entry_a_voice() -> None:
    examples = faq_examples(KNOWLEDGE_BASE_DIR, NLU_DATA_DIR)
    entries = yaml.safe_load((KNOWLEDGE_BASE_DIR / "faq" / "debit_card.yml").read_text(encoding="utf-8"))
    assert len(examples) > 1000
    assert any(question in examples for entry in entries for question in [entry["question"], *entry["similar"]])
