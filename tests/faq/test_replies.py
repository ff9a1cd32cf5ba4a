"""FAQ replies as customers see them: answers, clarification buttons, the no-match offer, picking an option,
related questions."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from bot.faq.replies import (
    ALTERNATIVES_TEXT,
    HUMAN_BUTTON,
    NO_MATCH_TEXT,
    NONE_OF_THESE_BUTTON,
    RELATED_TEXT,
    build_reply,
    chosen_option,
    confident_answer,
    entry_id_of,
    entry_reply,
    faq_payload,
    with_related,
)
from bot.kb import Decision, KnowledgeBase
from bot.kb.assembly import assemble
from bot.kb.engine import Hit
from bot.kb.loader import load_and_validate
from tests.support.small_kb import write_kb


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    entries, synonyms = load_and_validate(write_kb(Path(tmp_path_factory.mktemp("faq_kb"))))
    return assemble(entries, synonyms, lexical=True)


def test_an_answer_carries_the_entry_text_and_its_analytics(kb: KnowledgeBase) -> None:
    reply = build_reply(kb, Decision("answer", "credit_card-004", 0.91))
    assert reply.text == kb.entry("credit_card-004").answer
    assert reply.buttons == []
    assert reply.metadata == {"faq_id": "credit_card-004", "faq_confidence": 0.91, "faq_outcome": "answer"}


def test_a_clarification_offers_at_most_three_entries_and_a_way_out(kb: KnowledgeBase) -> None:
    hits = [Hit(entry_id, 0.1, kb.entry(entry_id).question)
            for entry_id in ("debit_card-007", "credit_card-017", "credit_card-001", "transfer-001")]
    low = kb.thresholds.answer - 0.01
    reply = build_reply(kb, Decision("clarify", None, low, hits))
    assert reply.outcome == "clarify"
    assert [entry_id_of(button["payload"]) for button in reply.buttons[:-1]] == [
        "debit_card-007", "credit_card-017", "credit_card-001"]
    assert reply.buttons[-1] == NONE_OF_THESE_BUTTON


def test_an_answer_with_close_runner_ups_offers_them_as_buttons(kb: KnowledgeBase) -> None:
    runner_ups = [Hit(entry_id, 0.4, kb.entry(entry_id).question)
                  for entry_id in ("credit_card-017", "credit_card-001")]
    reply = build_reply(kb, Decision("answer", "debit_card-007", 0.5, runner_ups))
    assert (reply.outcome, reply.faq_id) == ("answer", "debit_card-007")
    assert reply.text.startswith(kb.entry("debit_card-007").answer) and reply.text.endswith(ALTERNATIVES_TEXT)
    assert [entry_id_of(button["payload"]) for button in reply.buttons] == ["credit_card-017", "credit_card-001"]


def test_no_match_is_polite_and_offers_a_human(kb: KnowledgeBase) -> None:
    reply = build_reply(kb, Decision("none", None, 0.02))
    assert (reply.text, reply.buttons, reply.faq_id) == (NO_MATCH_TEXT, [HUMAN_BUTTON], None)


def test_a_short_reply_picks_the_option_it_names(kb: KnowledgeBase) -> None:
    options = [faq_payload("debit_card-007"), faq_payload("credit_card-017")]
    assert chosen_option(kb, options, "信用卡的") == "credit_card-017"
    assert chosen_option(kb, options, "借记卡的吧") == "debit_card-007"
    assert chosen_option(kb, options, "密码") is None  # both options name it
    assert chosen_option(kb, [], "信用卡的") is None


@pytest.mark.parametrize("payload", ["/faq", "/faq{", "/faq[1]", "/greet", '/faq{"other": 1}'])
def test_malformed_payloads_select_no_entry(payload: str) -> None:
    assert entry_id_of(payload) is None


def test_only_a_sure_answer_is_given_without_asking(kb: KnowledgeBase) -> None:
    sure = confident_answer(kb, "信用卡年费是多少")
    assert sure is not None and sure.faq_id == "credit_card-004"
    assert confident_answer(kb, "今天天气怎么样") is None


@pytest.fixture(scope="module")
def related_kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    """The small knowledge base with debit_card-001 listing itself, a missing id, a repeat and four real
    related entries."""
    entries, synonyms = load_and_validate(write_kb(Path(tmp_path_factory.mktemp("related_kb"))))
    related = ("debit_card-001", "gone-404", "credit_card-001", "credit_card-001", "debit_card-007",
               "debit_card-004", "transfer-001")
    changed = [replace(entry, related=related) if entry.id == "debit_card-001" else entry for entry in entries]
    return assemble(changed, synonyms, lexical=True)


def test_an_answer_offers_up_to_three_related_questions_that_exist(related_kb: KnowledgeBase) -> None:
    answer = build_reply(related_kb, Decision("answer", "debit_card-001", 0.97))
    reply = with_related(related_kb, answer)
    assert reply.text == f"{related_kb.entry('debit_card-001').answer}\n\n{RELATED_TEXT}"
    assert reply.buttons == [
        {"title": "信用卡丢了怎么办", "payload": faq_payload("credit_card-001")},
        {"title": "借记卡密码忘了怎么办", "payload": faq_payload("debit_card-007")},
        {"title": "借记卡有年费吗", "payload": faq_payload("debit_card-004")},
    ]
    assert reply.related == ("credit_card-001", "debit_card-007", "debit_card-004")
    assert reply.metadata == answer.metadata
    assert reply.options == []


def test_related_questions_leave_out_the_entries_just_seen(related_kb: KnowledgeBase) -> None:
    reply = with_related(related_kb, entry_reply(related_kb, "debit_card-001"), exclude=["debit_card-007"])
    assert [entry_id_of(button["payload"]) for button in reply.buttons] == [
        "credit_card-001", "debit_card-004", "transfer-001"]


def test_an_entry_without_related_questions_is_answered_alone(related_kb: KnowledgeBase) -> None:
    answer = entry_reply(related_kb, "transfer-006")
    assert with_related(related_kb, answer) == answer
    everything_seen = ["credit_card-001", "debit_card-007", "debit_card-004", "transfer-001"]
    only_seen = with_related(related_kb, entry_reply(related_kb, "debit_card-001"), exclude=everything_seen)
    assert only_seen == entry_reply(related_kb, "debit_card-001")


def test_only_one_list_of_buttons_is_offered(related_kb: KnowledgeBase) -> None:
    runner_up = [Hit("credit_card-017", 0.4, related_kb.entry("credit_card-017").question)]
    with_alternatives = build_reply(related_kb, Decision("answer", "debit_card-001", 0.5, runner_up))
    clarification = build_reply(related_kb, Decision("clarify", None, 0.2, runner_up))
    no_match = build_reply(related_kb, Decision("none", None, 0.02))
    for reply in (with_alternatives, clarification, no_match):
        assert with_related(related_kb, reply) == reply
    assert with_alternatives.options == [faq_payload("credit_card-017")]
