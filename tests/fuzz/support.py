"""Shared hypothesis settings and text strategies for the property-based tests."""

from __future__ import annotations

from hypothesis import settings
from hypothesis import strategies as st


def fuzz_settings(max_examples: int) -> settings:
    """Reproducible settings: a fixed seed per test, no example database, no per-example deadline."""
    return settings(max_examples=max_examples, deadline=None, derandomize=True, database=None)


COMMON_HANZI = "的一是了我不人在他有这个上们来到时大地为子中你说生国年着就那和要她出也得里后自以会"
BANKING_HANZI = "信用卡借记账户余额转账挂失理赔保单还款网点密码手机银行年费额度取现汇款开户销冻结"
TRADITIONAL_HANZI = "帳戶餘額轉賬掛失理賠保單還款網點密碼銀行額度開戶凍結請問嗎這個們"
FULL_WIDTH = "".join(chr(code) for code in range(0xFF01, 0xFF5F)) + "\u3000"
PUNCTUATION = "，。！？；：、…～!?.,;:~-_=*#/{}[]\"' \t\n"

hanzi = st.sampled_from(COMMON_HANZI + BANKING_HANZI + TRADITIONAL_HANZI)
mixed_text = st.text(
    alphabet=st.one_of(
        hanzi,
        st.sampled_from(FULL_WIDTH + PUNCTUATION),
        st.characters(codec="utf-8"),
        st.sampled_from("😀👍🏦💳\u200b\u200d\ufe0f\u0301\x00\x1b\x7f\r"),
    ),
    max_size=80,
)
"""Customer-like text: Chinese, full-width, punctuation, emoji, control and combining characters, any unicode."""

any_text = st.one_of(mixed_text, st.text(), st.text(alphabet=hanzi, min_size=600, max_size=3000))
"""Everything a customer could send, including surrogate-free random unicode and very long messages."""
