"""The mining benchmark on a few dozen messages: every seeded unresolved question is mined, for its reason."""

from __future__ import annotations

import random

import pytest

from benchmarks.bench_mining import REASONS, measure, wording
from bot.core.paths import KNOWLEDGE_BASE_DIR
from bot.core.text import normalize
from bot.kb.loader import load_faq_directory


@pytest.mark.slow
def test_every_seeded_unresolved_question_is_mined_once_for_its_reason() -> None:
    result = measure(messages=60, days=3, cores=0)
    assert sum(result["rows"]["reasons"].values()) == 60
    assert set(result["rows"]["reasons"]) == set(REASONS)
    assert result["mined"] == result["rows"]["reasons"]
    assert result["rows"]["events"] > result["rows"]["conversations"] * 6
    assert 1 <= result["clusters"] <= 60 and result["suggested"] == result["clusters"]
    assert result["seconds"] > 0 and result["passed"] is (result["seconds"] < result["target_s"])


def test_the_messages_are_seeded_varied_and_not_the_knowledge_bases_own_questions() -> None:
    once, again = random.Random(5), random.Random(5)
    assert [wording(once) for _ in range(50)] == [wording(again) for _ in range(50)]
    rng = random.Random(17)
    messages = {normalize(wording(rng)) for _ in range(2000)}
    assert len(messages) > 1000
    entries = load_faq_directory(KNOWLEDGE_BASE_DIR / "faq")
    known = {normalize(question) for entry in entries for question in entry.questions}
    assert not messages & known
