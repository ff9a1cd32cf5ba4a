"""Negative (off-topic / chitchat) training messages and the vectorised build helpers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sklearn.feature_extraction.text import CountVectorizer

from bot.kb import KnowledgeBase
from bot.kb.assembly import assemble, assemble_directory
from bot.kb.index import analysis_memo
from bot.kb.index.char_ngrams import CharNgrams
from bot.kb.index.tokenizer import TextAnalyzer
from bot.kb.rank.negatives import load_negatives, parse_examples
from tests.support.small_kb import write_kb

NLU_YAML = """version: "3.1"
nlu:
- intent: greet
  examples: |
    - 你好
    - 在吗
- intent: ask_balance
  examples: |
    - 查一下余额
- intent: out_of_scope
  examples: |
    - 今天[北京](city)天气怎么样
    - 帮我订[明天]{"entity": "date"}的机票
"""


def test_parse_examples_keeps_negative_intents_and_strips_entities() -> None:
    assert parse_examples(NLU_YAML) == ["你好", "在吗", "今天北京天气怎么样", "帮我订明天的机票"]


def test_from_directory_loads_negatives_next_to_the_kb(tmp_path: Path) -> None:
    kb_dir = write_kb(tmp_path / "knowledge_base")
    nlu = tmp_path / "data" / "nlu"
    nlu.mkdir(parents=True)
    (nlu / "out_of_scope.yml").write_text(NLU_YAML, encoding="utf-8")
    assert load_negatives(nlu) == parse_examples(NLU_YAML)
    assert load_negatives(tmp_path / "missing") == []
    kb = assemble_directory(kb_dir)
    assert kb.answer("今天上海天气怎么样").outcome == "none"
    assert kb.answer("信用卡还款日可以修改吗？").answer_id == "credit_card-006"


def test_from_entries_accepts_negatives(kb: KnowledgeBase) -> None:
    rebuilt = assemble(kb.entries, negatives=["你好", "今天天气怎么样", "讲个笑话"])
    assert rebuilt.answer("讲个笑话听听").outcome == "none"


def test_char_ngrams_match_count_vectorizer() -> None:
    texts = ["信用卡怎么还款", "", "a", "ab12", "还款还款"]
    reference = CountVectorizer(analyzer="char", ngram_range=(1, 2))
    expected = reference.fit_transform(texts)
    grams = CharNgrams()
    counts = grams.fit_transform(texts)
    columns = [grams.grams.index(gram) for gram in reference.get_feature_names_out()]
    assert sorted(grams.grams) == sorted(reference.get_feature_names_out())
    assert np.array_equal(counts[:, columns].toarray(), expected.toarray())
    queries = ["还款日", "龘", ""]
    assert np.array_equal(grams.transform(queries)[:, columns].toarray(), reference.transform(queries).toarray())


def test_domain_words_stay_private_to_their_analyzer() -> None:
    with_term = TextAnalyzer(None, ["还款日"])
    without = TextAnalyzer(None, [])
    text = with_term.prepare("信用卡还款日是哪天？")
    assert with_term.words(text) == ["信用卡", "还款日", "哪", "天"]
    assert without.words(text) == ["信用卡", "还款", "日", "哪", "天"]
    assert with_term.words("") == [] and with_term.words("？！") == []


def test_a_rebuild_analyses_only_the_texts_it_has_not_seen(monkeypatch: pytest.MonkeyPatch) -> None:
    analysis_memo.forget()
    first = TextAnalyzer({"信用咭": "信用卡"}, ["还款日"])
    assert first.analyse(["信用咭还款日是哪天", "怎么开户"]) == [
        ("信用卡还款日是哪天", ("信用卡", "还款日", "哪", "天")),
        ("怎么开户", ("怎么", "开户")),
    ]
    again = TextAnalyzer({"信用咭": "信用卡"}, ["还款日"])
    segmented: list[str] = []
    words = again.words
    monkeypatch.setattr(again, "words", lambda text: segmented.append(text) or words(text))
    assert again.analyse(["怎么开户", "怎么销户", "怎么开户"])[1] == ("怎么销户", ("怎么", "销户"))
    assert segmented == ["怎么销户"]


def test_analysers_configured_differently_do_not_share_analyses() -> None:
    analysis_memo.forget()
    assert TextAnalyzer(None, ["还款日"]).analyse(["信用咭还款日"]) == [("信用咭还款日", ("信用", "咭", "还款日"))]
    assert TextAnalyzer({"信用咭": "信用卡"}, []).analyse(["信用咭还款日"]) == [
        ("信用卡还款日", ("信用卡", "还款", "日"))
    ]
