"""Mining what the bot did not answer: which messages count, once each, redacted, grouped by need."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.content.files import import_content
from bot.core.paths import PROJECT_ROOT
from bot.kb.assembly import assemble
from bot.kb.index.embedder import default_embedder
from bot.kb.loader import load_and_validate
from bot.operations.unanswered import Unanswered, cluster_messages, mine, unanswered_messages
from bot.privacy.tracker_stores import RedactingSQLTrackerStore
from tests.support.kb_fixture import write_kb


def user(text: str, intent: str) -> UserUttered:
    return UserUttered(text, intent={"name": intent, "confidence": 0.9},
                       parse_data={"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": []})


def bot(outcome: str, faq_id: str | None = None) -> BotUttered:
    return BotUttered("…", metadata={"faq_outcome": outcome, "faq_id": faq_id})


CONVERSATIONS: dict[str, list[Event]] = {
    "clarified": [user("信用卡能分期吗", "faq"), bot("clarify"), user('/faq{"faq_id":"card-002"}', "faq"),
                  bot("answer", "card-002"), user("谢谢", "thanks")],
    "no_match_then_human": [user("xyk可以分期还款不", "faq"), bot("none"), user("转人工", "request_human"),
                            ActionExecuted("action_handoff")],
    "rejected": [user("哪里能换美元", "faq"), bot("answer", "card-001"), user("不对", "deny")],
    "answered": [user("信用卡年费多少", "faq"), bot("answer", "card-002"), user("好的谢谢", "thanks")],
    "handoff": [user("我想改保单受益人", "faq"), ActionExecuted("action_handoff")],
    "personal": [user("我手机号13812345678换号了怎么改", "faq"), bot("none")],
}


def store(url: str) -> None:
    tracker_store = RedactingSQLTrackerStore(host=url)
    for sender, events in CONVERSATIONS.items():
        asyncio.run(tracker_store.save(DialogueStateTracker.from_events(sender, events)))
    tracker_store.engine.dispose()


@pytest.fixture
def url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'kefu.db'}"
    import_content(write_kb(tmp_path / "kb"), url)
    store(url)
    return url


def test_each_unresolved_message_is_found_once_with_its_reason(url: str) -> None:
    found = {(message.text, message.reason) for message in unanswered_messages(url)}
    assert found == {
        ("信用卡能分期吗", "clarify"),
        ("xyk可以分期还款不", "no_match"),
        ("哪里能换美元", "rejected"),
        ("我想改保单受益人", "handoff"),
        ("我手机号138****5678换号了怎么改", "no_match"),
    }


def test_no_conversations_yet_means_nothing_to_mine(tmp_path: Path) -> None:
    assert unanswered_messages(f"sqlite:///{tmp_path / 'new.db'}") == []


def messages(*texts: str) -> list[Unanswered]:
    return [Unanswered(text, "no_match", datetime(2026, 12, 1, 9, minute)) for minute, text in enumerate(texts)]


def test_sentence_embeddings_group_paraphrases_of_one_need() -> None:
    found = messages("信用卡能分期吗", "信用卡账单可以分期还款吗", "去哪里兑换外币", "哪里能换美元", "信用卡能不能分期")
    groups = cluster_messages(found, default_embedder().questions)
    assert sorted(sorted(m.text for m in group) for group in groups) == [
        ["信用卡能不能分期", "信用卡能分期吗", "信用卡账单可以分期还款吗"], ["去哪里兑换外币", "哪里能换美元"]]


def test_without_embeddings_character_ngrams_still_group_close_wordings() -> None:
    groups = cluster_messages(messages("信用卡能分期吗", "信用卡能不能分期吗", "哪里能换美元"))
    assert [len(group) for group in groups] == [2, 1]


def test_rare_wordings_join_the_group_of_the_closest_frequent_one() -> None:
    frequent = ["信用卡分期手续费多少"] * 3 + ["哪里能换美元"] * 2 + ["转账限额是多少"] * 2
    rare = ["信用卡分期手续费是多少啊", "哪里可以换美元现钞", "我的快递到哪了"]
    groups = cluster_messages(messages(*frequent, *rare), default_embedder().questions, max_embedded=3)
    by_text = {message.text: index for index, group in enumerate(groups) for message in group}
    assert by_text["信用卡分期手续费是多少啊"] == by_text["信用卡分期手续费多少"]
    assert by_text["哪里可以换美元现钞"] == by_text["哪里能换美元"]
    assert by_text["我的快递到哪了"] not in {by_text[text] for text in set(frequent)}
    assert sum(len(group) for group in groups) == len(frequent) + len(rare)


def test_each_cluster_suggests_the_closest_entry(tmp_path: Path) -> None:
    entries, synonyms = load_and_validate(write_kb(tmp_path / "kb"))
    kb = assemble(entries, synonyms, lexical=True)
    clusters = mine(messages("信用卡年费怎么收", "信用卡年费怎么收", "信用卡年费是怎么收的"), kb)
    assert len(clusters) == 1
    assert clusters[0].examples[0] == "信用卡年费怎么收"
    assert clusters[0].suggested_entry["id"] == "card-002"
    assert clusters[0].as_json()["size"] == 3


def test_the_command_prints_the_clusters_as_json(url: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli.main", "kb", "unanswered", "--json"], cwd=PROJECT_ROOT,
        env={**os.environ, "DATABASE_URL": url, "KEFU_KB_EMBEDDINGS": "0"},
        capture_output=True, text=True, timeout=300, check=True,
    )
    clusters = json.loads(result.stdout)["clusters"]
    assert sum(cluster["size"] for cluster in clusters) == 5
    assert all({"size", "examples", "suggested_entry"} <= cluster.keys() for cluster in clusters)
    assert "13812345678" not in result.stdout
