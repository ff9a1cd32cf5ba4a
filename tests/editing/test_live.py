"""The served index follows what is published, without a restart: a new wording is answered after an approval,
an expired entry is no longer answered, and the hit test shows the difference before anything is published."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from bot.content.files import import_content, read_content
from bot.content.live import LiveKnowledgeBase
from bot.content.serving import serving_knowledge_base
from bot.core.db import session_factory
from bot.core.paths import KNOWLEDGE_BASE_DIR
from bot.editing.drafts import Drafts
from bot.editing.fields import EntryFields
from bot.editing.hit_test import hit_test
from bot.editing.versions import Versions
from bot.kb.index.embedder import default_embedder

NEW_WORDING = "芝麻开门的那个东西咋弄出来"
TARGET = "mobile_banking-001"


@pytest.fixture(scope="module")
def shipped_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('live') / 'kefu.db'}"
    import_content(KNOWLEDGE_BASE_DIR, url)
    return url


def approve(url: str, change: EntryFields) -> int:
    with session_factory(url)() as session:
        drafts = Drafts(session)
        draft = drafts.create("editor-1", change)
        drafts.submit(draft.id, "editor-1")
        return drafts.approve(draft.id, "approver-1")


def with_similar(url: str, entry_id: str, wording: str) -> EntryFields:
    with session_factory(url)() as session:
        current = Versions(session).entry(entry_id)
    assert current is not None
    return EntryFields.from_json({**current.as_json(), "similar": [*current.similar, wording]})


def test_a_published_wording_is_answered_after_the_next_check(shipped_url: str) -> None:
    live = LiveKnowledgeBase(shipped_url)
    before = live.current().answer(NEW_WORDING)
    assert before.answer_id != TARGET
    assert live.refresh() is False
    version = approve(shipped_url, with_similar(shipped_url, TARGET, NEW_WORDING))
    assert live.refresh() is True
    assert live.version == version
    after = live.current().answer(NEW_WORDING)
    assert (after.outcome, after.answer_id) == ("answer", TARGET)


@pytest.mark.slow
def test_an_entry_is_answered_from_its_effective_day_until_it_expires(shipped_url: str) -> None:
    day = date.today()
    timed = EntryFields.from_json({
        "id": "promo-001", "category": "活动", "question": "冬季积分翻倍活动怎么参加",
        "similar": ["积分翻倍活动怎么报名", "冬天的积分双倍活动", "信用卡积分翻倍活动参加方式"],
        "answer": "活动期间刷卡消费即可自动获得双倍积分。",
        "effective": (day + timedelta(days=1)).isoformat(), "expires": (day + timedelta(days=3)).isoformat(),
    })
    approve(shipped_url, timed)
    today = [day]
    live = LiveKnowledgeBase(shipped_url, today=lambda: today[0])
    assert live.current().answer("冬季积分翻倍活动怎么参加").answer_id != "promo-001"
    today[0] = day + timedelta(days=1)
    assert live.refresh() is True
    assert live.current().answer("冬季积分翻倍活动怎么参加").answer_id == "promo-001"
    today[0] = day + timedelta(days=3)
    assert live.refresh() is True
    assert live.current().answer("冬季积分翻倍活动怎么参加").answer_id != "promo-001"


def test_the_hit_test_shows_where_questions_go_with_the_draft(shipped_url: str) -> None:
    wording = "那个手机上的银行怎么弄开来啊我弄了半天"
    draft = with_similar(shipped_url, "mobile_banking-002", "芝士蛋糕银行怎么开")
    with session_factory(shipped_url)() as session:
        rows = hit_test(session, draft, ["芝士蛋糕银行怎么开", wording])
    by_question = {row["question"]: row for row in rows}
    moved = by_question["芝士蛋糕银行怎么开"]
    assert moved["with_draft"]["entry_id"] == "mobile_banking-002" and moved["changed"]
    assert moved["today"]["entry_id"] != "mobile_banking-002"
    assert by_question[wording]["today"] == by_question[wording]["with_draft"]


def test_a_change_indexed_with_the_days_rankers_answers_as_a_fresh_fit_would(shipped_url: str) -> None:
    content = read_content(shipped_url)
    fresh = serving_knowledge_base(content.entries, content.synonyms)
    reused = serving_knowledge_base(content.entries, content.synonyms, like=fresh)
    questions = ["信用卡年费是多少", "卡丢了咋办", "今天天气怎么样", "境外取现手续费多少", "保险买了后悔能退吗",
                 "转账多久到账", "理赔要准备什么材料"]
    for question in questions:
        one, other = fresh.answer(question), reused.answer(question)
        assert (one.outcome, one.answer_id, round(one.confidence, 6)) == (
            other.outcome, other.answer_id, round(other.confidence, 6)), question


@pytest.mark.slow
def test_content_with_many_new_texts_is_answered_at_once_and_embedded_in_the_background(
    small_kb_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KEFU_EMBEDDING_CACHE", str(tmp_path / "embeddings"))
    monkeypatch.setenv("KEFU_KB_EMBED_AT_MOST", "10")
    default_embedder.cache_clear()  # the process-wide embedder, on the empty cache above
    try:
        live = LiveKnowledgeBase(small_kb_url)
        at_once = live.current()
        assert at_once.embeddings_deferred and at_once.semantic is None
        assert at_once.answer("工资卡掉了怎么挂失").answer_id == "debit_card-001"
        assert live.refresh() is False  # the embedding under way is not started again
        assert live.wait_for_embeddings(timeout=600)
        embedded = live.current()
        assert embedded.semantic is not None and not embedded.embeddings_deferred
        assert embedded.answer("工资卡掉了怎么挂失").answer_id == "debit_card-001"
        # Now that its texts are embedded, a published change is indexed with embeddings straight away.
        approve(small_kb_url, with_similar(small_kb_url, "debit_card-004", "借记卡每年收多少钱"))
        assert live.refresh() is True
        changed = live.current()
        assert changed.semantic is not None and changed is not embedded
        assert live.wait_for_embeddings(timeout=0)
    finally:
        default_embedder.cache_clear()
