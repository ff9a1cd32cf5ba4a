"""Customer text normalisation."""

from __future__ import annotations

import pytest

from bot.core.text import has_content, normalize, to_half_width


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("信用卡還款日能改嗎？？？", "信用卡还款日能改吗?"),
        ("ＡＴＭ取款１００元！！", "ATM取款100元!"),
        ("  你好\t\n  在吗 ", "你好 在吗"),
        ("转账👍👍成功了吗😀", "转账成功了吗"),
        ("哈哈~~~~", "哈哈~"),
        (None, ""),
    ],
)
def test_normalize(raw: str | None, expected: str) -> None:
    assert normalize(raw) == expected


def test_normalize_truncates_to_the_limit() -> None:
    assert len(normalize("卡" * 900, max_chars=500)) == 500


def test_full_width_space_becomes_a_space() -> None:
    assert to_half_width("信用卡\u3000年费") == "信用卡 年费"


@pytest.mark.parametrize("text", ["", "   ", "😀😀", "???!!!", "我" * 50, "1111111"])
def test_texts_without_readable_content(text: str) -> None:
    assert not has_content(normalize(text))


@pytest.mark.parametrize("text", ["嗯嗯", "ATM", "挂失", "a1", "1234"])
def test_texts_with_readable_content(text: str) -> None:
    assert has_content(normalize(text))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("挂\u200b失\ufe0f银行卡\u0007", "挂失银行卡"),
        ("〒邮编\u2605 ☎客服", "邮编 客服"),
        ("《理财》“收益”…—·、【说明】", "《理财》“收益”…—·、【说明】"),
        ("café\u0301", "café\u0301"),
    ],
)
def test_invisible_and_symbol_characters_are_dropped_punctuation_kept(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("credit card年费多少钱", "信用卡年费多少钱"),
        ("我想transfer到国外", "我想转账到国外"),
        ("Credit  Card还款日", "信用卡还款日"),
        ("ATM吞卡 APP登不上", "ATM吞卡 APP登不上"),
        ("cards和foreigner", "cards和foreigner"),
        ('/faq{"faq_id": "loan-001"}', '/faq{"faq_id": "loan-001"}'),
    ],
)
def test_english_banking_words_read_as_chinese_but_payloads_stay(raw: str, expected: str) -> None:
    assert normalize(raw) == expected
