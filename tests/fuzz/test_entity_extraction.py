"""Property-based tests of the rule-based entity extractor and the Chinese date and transaction parsers."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.accounts.dates import parse_date_range
from bot.accounts.transaction_query import COUNT_DAYS, DEFAULT_DAYS, TransactionQuery, parse_transaction_query
from bot.nlu.spacy_entities import SpacyRuleEntityExtractor
from tests.fuzz.support import any_text, fuzz_settings, mixed_text

# Chinese words around a generated number: no numerals, date, unit or tail-marker characters that could
# legitimately make the number part of a longer entity (「13812345678元」 is an amount, not a phone number).
SURROUNDING = "我的手机是请帮查下保单理赔进度怎么样谢谢您好在吗想问一个问题信用卡还款网点客服"
around = st.text(alphabet=SURROUNDING, max_size=12)
separator = st.sampled_from(["", " ", "，", "：", "。", "、"])
DATE_WORDS = ["今天", "昨天", "上个月", "本月", "最近7天", "近三个月", "最近一周", "3月5号", "3月5日到10号",
              "2024年2月", "去年", "上周", "最近半年"]


@pytest.fixture(scope="module")
def extractor() -> SpacyRuleEntityExtractor:
    """The spaCy rule extractor, built as the NLU pipeline builds it."""
    return SpacyRuleEntityExtractor()


def check_spans(text: str, entities: list[dict[str, Any]]) -> None:
    """Spans lie within the text, do not overlap, and cover what their value was read from."""
    previous_end = 0
    for entity in sorted(entities, key=lambda found: found["start"]):
        start, end = entity["start"], entity["end"]
        assert 0 <= start < end <= len(text)
        assert start >= previous_end, f"overlapping entities in {text!r}: {entities}"
        previous_end = end
        covered = text[start:end]
        if entity["entity"] in ("policy_number", "claim_number"):
            assert covered.upper() == entity["value"]
        else:
            assert covered.replace(" ", "") == entity["value"]


def values_of(extractor: SpacyRuleEntityExtractor, text: str, label: str) -> list[str]:
    """Values of the entities of one label found in `text`."""
    return [entity["value"] for entity in extractor.extract(text) if entity["entity"] == label]


@fuzz_settings(150)
@given(st.one_of(any_text, st.builds("".join, st.lists(st.one_of(mixed_text, st.sampled_from(DATE_WORDS)),
                                                          max_size=5))))
def test_extraction_never_raises_and_spans_match_the_text(extractor: SpacyRuleEntityExtractor, text: str) -> None:
    check_spans(text, extractor.extract(text))


@fuzz_settings(100)
@given(around, separator, st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True), separator, around)
def test_mobile_number_in_chinese_text_is_a_phone(
    extractor: SpacyRuleEntityExtractor, before: str, left: str, phone: str, right: str, after: str
) -> None:
    text = before + left + phone + right + after
    assert values_of(extractor, text, "phone") == [phone]


@fuzz_settings(100)
@given(around, separator, st.sampled_from("PpCc"), st.from_regex(r"[0-9]{10}", fullmatch=True), separator, around)
def test_policy_and_claim_numbers_are_found(
    extractor: SpacyRuleEntityExtractor, before: str, left: str, letter: str, digits: str, right: str, after: str
) -> None:
    number = letter + digits
    label = "policy_number" if letter in "Pp" else "claim_number"
    assert values_of(extractor, before + left + number + right + after, label) == [number.upper()]


@fuzz_settings(100)
@given(around, st.sampled_from(["尾号", "尾号是", "卡尾号", "尾数", "后四位", "末四位"]),
       st.from_regex(r"[0-9]{4}", fullmatch=True), st.sampled_from(["", "的卡", "的信用卡", "，"]))
def test_card_tail_after_a_marker_is_found(
    extractor: SpacyRuleEntityExtractor, before: str, marker: str, tail: str, after: str
) -> None:
    text = before + marker + tail + after
    (entity,) = [entity for entity in extractor.extract(text) if entity["entity"] == "card_tail"]
    assert entity["value"] == tail == text[entity["start"]:entity["end"]]


@fuzz_settings(100)
@given(mixed_text, st.lists(st.tuples(st.integers(0, 80), st.integers(1, 10)), max_size=3))
def test_rule_entities_replace_overlapping_earlier_ones(
    extractor: SpacyRuleEntityExtractor, text: str, earlier: list[tuple[int, int]]
) -> None:
    statistical = [{"entity": "amount", "start": start, "end": start + length, "value": "x"} for start, length
                   in earlier]
    message = Message({TEXT: text, ENTITIES: statistical})
    extractor.process([message])
    rule = [entity for entity in message.get(ENTITIES) if entity.get("extractor") == "SpacyRuleEntityExtractor"]
    kept = [entity for entity in message.get(ENTITIES) if entity not in rule]
    assert len(rule) + len(kept) == len(message.get(ENTITIES))
    assert all(a["end"] <= b["start"] or b["end"] <= a["start"] for a in rule for b in kept)


@fuzz_settings(300)
@given(st.one_of(any_text, st.builds("".join, st.lists(st.one_of(mixed_text, st.sampled_from(DATE_WORDS),
                                                                  st.from_regex(r"[0-9]{1,5}", fullmatch=True),
                                                                  st.sampled_from("月日号年天周个到至~-近最笔")),
                                                        max_size=8))),
       st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)))
def test_date_and_transaction_parsing_never_raise(text: str, today: date) -> None:
    found = parse_date_range(text, today)
    if found is not None:
        assert all(isinstance(day, date) for day in found)
    query = parse_transaction_query(text, today)
    assert query.end <= today
    if found is None:
        days = COUNT_DAYS if query.count else DEFAULT_DAYS
        assert (query.start, query.end) == (today - timedelta(days=days - 1), today)
    assert TransactionQuery.from_json(query.to_json()) == query


@fuzz_settings(200)
@given(st.integers(1, 99), st.sampled_from(["最近{}天", "近{}天", "最近{}周", "近{}个月", "最近{}年"]),
       st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)))
def test_recent_periods_end_today_and_start_before(count: int, template: str, today: date) -> None:
    start, end = parse_date_range(template.format(count), today)
    assert start <= end == today
