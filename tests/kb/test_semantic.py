"""Sentence embeddings (the real e5 and USE models), the answer index and the prior."""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from bot.core.paths import KNOWLEDGE_BASE_DIR, NLU_DATA_DIR
from bot.core.settings import current_settings
from bot.kb import KnowledgeBase
from bot.kb.assembly import assemble
from bot.kb.index.answer_index import AnswerIndex
from bot.kb.index.embedder import DIMENSIONS, MODEL_NAME, SEGMENTS, Embedder
from bot.kb.index.lexical_index import LexicalIndex
from bot.kb.index.tokenizer import TextAnalyzer
from bot.kb.loader import load_and_validate, load_terms
from bot.kb.prior_fit import fit_prior
from bot.kb.rank.negatives import load_negatives
from bot.kb.rank.prior import PRIOR_PATHS, load_prior, needs_prior, standard_questions_only


def _stored_keys(directory: Path) -> np.ndarray:
    return np.load(directory / f"{MODEL_NAME}.keys.npy")


@pytest.mark.parametrize("segment", SEGMENTS)
def test_each_model_puts_paraphrases_closer_than_other_topics(tmp_path: Path, segment: slice) -> None:
    vectors = Embedder(tmp_path).questions(["信用卡还款日能改吗", "信用卡的还款日期可以调整吗", "车险出险了怎么报案"])
    assert vectors.shape == (3, DIMENSIONS)
    model = vectors[:, segment]
    np.testing.assert_allclose(np.linalg.norm(model, axis=1), 1.0, atol=1e-2)
    assert model[0] @ model[1] > model[0] @ model[2] + 0.05


def test_cache_keeps_knowledge_base_texts_but_not_customer_messages(tmp_path: Path) -> None:
    embedder = Embedder(tmp_path)
    first = embedder.questions(["借记卡丢了怎么挂失"], persist=True)
    embedder.questions(["我的手机号是13800138000，帮我查下余额"])
    embedder.answers(["请通过手机银行或客服热线办理挂失。"])
    assert len(_stored_keys(tmp_path)) == 2

    again = Embedder(tmp_path).questions(["借记卡丢了怎么挂失"])
    # The cache stores float16: a vector read back from it is exactly representable in float16,
    # which a freshly computed one is not.
    np.testing.assert_array_equal(again, again.astype(np.float16).astype(np.float32))
    np.testing.assert_allclose(again, first, atol=2e-3)


def test_processes_sharing_a_cache_embed_one_after_the_other(tmp_path: Path) -> None:
    """The second embedder (another server process) waits for the first and computes nothing again."""
    texts = ["信用卡年费怎么收", "车险出险后多久报案", "理财产品能提前赎回吗"]
    first, second = Embedder(tmp_path), Embedder(tmp_path)  # both read the (empty) cache now
    held = threading.Event()

    def embed_first() -> None:
        with first.exclusively():
            held.set()
            first.questions(texts, persist=True)

    thread = threading.Thread(target=embed_first)
    thread.start()
    held.wait(10)
    with second.exclusively():
        vectors = second.questions(texts, persist=True)
    thread.join()
    assert (first.computed, second.computed) == (3, 0)
    np.testing.assert_allclose(vectors, first.questions(texts), atol=2e-3)


def test_unreadable_cache_is_replaced(tmp_path: Path) -> None:
    (tmp_path / f"{MODEL_NAME}.keys.npy").write_bytes(b"not numpy")
    (tmp_path / f"{MODEL_NAME}.vectors.npy").write_bytes(b"\x00" * 10)
    Embedder(tmp_path).questions(["转账限额是多少"], persist=True)
    assert len(_stored_keys(tmp_path)) == 1


def test_answer_index_finds_words_only_the_answer_has() -> None:
    analyzer = TextAnalyzer()
    answers = [
        "等待期一般为30天，等待期内生病不予报销。",
        "意外险保障意外身故、伤残和意外医疗。",
        "转账默认单日限额5万元。",
    ]
    query = LexicalIndex(analyzer, ["占位"], np.zeros(1, dtype=np.int64)).query("买完多少天以后生病才能报销")
    scores = AnswerIndex(analyzer, answers).score([query])[0]
    assert scores.argmax() == 0
    assert scores[2] == 0.0
    assert 0.0 < scores[0] <= 1.0


def test_sure_lexical_answers_skip_the_embedding(kb: KnowledgeBase) -> None:
    embedder = Embedder(None)
    with_embeddings = KnowledgeBase(kb.entries, embedder=embedder)
    before = embedder.computed
    decision = with_embeddings.answer("信用卡还款日可以修改吗")
    assert (decision.outcome, decision.answer_id) == ("answer", "credit_card-006")
    assert embedder.computed == before
    with_embeddings.answer("能不能把每个月要还钱的那天往后挪一挪")
    assert embedder.computed == before + 1


def test_shipped_priors_match_the_current_features() -> None:
    assert load_prior(semantic=True) is not None
    assert load_prior(semantic=False) is not None


def test_knowledge_base_without_paraphrases_uses_the_prior(kb: KnowledgeBase) -> None:
    standard_only = [replace(entry, similar=()) for entry in kb.entries]
    assert needs_prior(standard_only) and not needs_prior(kb.entries)
    cold = assemble(standard_only)
    shipped = load_prior(semantic=True)
    assert shipped is not None
    np.testing.assert_array_equal(cold.reranker.coefficients, shipped.reranker.coefficients)
    assert cold.thresholds == shipped.thresholds


# Paraphrases written for this test (not the benchmark's held-out set) of standard questions of
# knowledge_base/, several without a content word in common with their standard question.
COLD_PARAPHRASES = {
    "柜员机把我的卡吃进去了": "debit_card-014",
    "生娃的钱医疗险给报销不": "medical_insurance-016",
    "房贷能不能早点还清": "loan-001",
    "车险出了事故第一步该干嘛": "auto_insurance-001",
    "密码输错太多次卡被锁了": "debit_card-009",
    "给外地的卡转钱要手续费不": "transfer-003",
    "往信用卡里多打了钱 能弄回储蓄卡吗": "credit_card-019",
    "钱打给了不认识的人 能要回来不": "transfer-006",
    "签完保险合同后悔了有几天能反悔": "insure-001",
    "账单上有笔消费不是我花的": "credit_card-020",
    "被人忽悠着打了钱过去 咋办": "transfer-012",
    "买保险时得老实交代啥": "insure-003",
    "卡能刷的钱太少了想多点": "credit_card-012",
    "柜台卖保险干嘛要拍视频": "insure-011",
}


def _top1_hits(kb: KnowledgeBase) -> int:
    return sum(kb.search(query)[0].id == expected for query, expected in COLD_PARAPHRASES.items())


def test_embeddings_find_paraphrases_in_a_faq_without_paraphrases() -> None:
    entries, synonyms = load_and_validate(KNOWLEDGE_BASE_DIR)
    standard_only = standard_questions_only(entries)
    semantic = assemble(standard_only, synonyms)
    lexical = KnowledgeBase(standard_only, synonyms, embedder=None)
    assert semantic.semantic is not None and lexical.semantic is None
    # The priors are refitted whenever the KB changes: the check is the margin, not which queries are found.
    assert _top1_hits(semantic) >= _top1_hits(lexical) + 3
    assert semantic.answer("柜员机把我的卡吃进去了").answer_id == "debit_card-014"


@pytest.mark.slow
@pytest.mark.parametrize("semantic", [True, False])
def test_shipped_priors_are_what_the_knowledge_base_gives(semantic: bool) -> None:
    entries, synonyms = load_and_validate(KNOWLEDGE_BASE_DIR)
    refitted = fit_prior(
        entries,
        synonyms,
        load_terms(KNOWLEDGE_BASE_DIR / "terms.txt"),
        load_negatives(NLU_DATA_DIR),
        Embedder(current_settings().embedding_cache) if semantic else None,
    )
    shipped = load_prior(semantic)
    assert shipped is not None, f"run `kefu kb prior` ({PRIOR_PATHS[semantic].name} is stale)"
    np.testing.assert_allclose(refitted.reranker.coefficients, shipped.reranker.coefficients, atol=0.05)
    assert abs(refitted.thresholds.answer - shipped.thresholds.answer) < 0.03


def test_priors_given_to_a_knowledge_base_replace_the_shipped_ones(kb: KnowledgeBase) -> None:
    entries = kb.entries
    fitted = fit_prior(entries[: len(entries) // 2], {}, [], [], None)
    shipped = load_prior(semantic=False)
    assert shipped is not None
    assert not np.array_equal(fitted.reranker.coefficients, shipped.reranker.coefficients)
    standard_only = [replace(entry, similar=()) for entry in entries[len(entries) // 2 :]]
    given = KnowledgeBase(standard_only, priors={False: fitted})
    np.testing.assert_array_equal(given.reranker.coefficients, fitted.reranker.coefficients)
    assert given.thresholds == fitted.thresholds
