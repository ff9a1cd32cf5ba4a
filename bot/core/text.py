"""Customer text normalisation shared by the NLU pipeline and the knowledge base.

Full-width characters become half-width, Traditional Chinese becomes Simplified (OpenCC), common
English banking words mixed into Chinese become the Chinese term, emoji and control characters are
dropped, runs of repeated punctuation collapse to one mark and white space is folded.
"""

from __future__ import annotations

import functools
import re
import unicodedata

import opencc

MAX_NLU_CHARS = 500
_MAX_REPEAT = 4

_REPEATED_PUNCT = re.compile(r"([!?.,;:~\-_=*#、，。！？；：…～])\1+")
_SPACES = re.compile(r"\s+")
_MEANINGFUL = re.compile(r"[0-9A-Za-z\u3400-\u9fff]")
# Characters that are never dropped (printable ASCII, white space, CJK ideographs assigned in the
# Unicode version of `unicodedata`, common CJK punctuation): only the others are looked up.
_UNUSUAL = re.compile(
    r"[^\x20-\x7e\n\t\u3400-\u4dbf\u4e00-\u9ffc\u3001\u3002\u3008-\u3011\u2014\u2018\u2019\u201c\u201d\u2026\u00b7]"
)
_HALF_WIDTH = {0x3000: " ", **{code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}}
# English banking words that customers mix into Chinese (「credit card年费多少钱」), read as the Chinese term.
# Abbreviations used as such in Chinese (ATM, APP, ETC, NCD, U盾) are kept as they are.
ENGLISH_TERMS = {
    "credit card": "信用卡", "debit card": "借记卡", "bank card": "银行卡", "card": "卡", "bank": "银行",
    "transfer": "转账", "balance": "余额", "password": "密码", "account": "账户", "bill": "账单",
    "loan": "贷款", "mortgage": "房贷", "insurance": "保险", "claim": "理赔", "refund": "退款",
    "fee": "手续费", "deposit": "存款", "withdraw": "取款", "interest": "利息", "exchange rate": "汇率",
    "money": "钱", "policy": "保单", "branch": "网点",
}
_ENGLISH_TERM = re.compile(
    r"(?<![A-Za-z])(" + "|".join(sorted((re.escape(t).replace(r"\ ", r"\s*") for t in ENGLISH_TERMS), key=len,
                                       reverse=True)) + r")(?![A-Za-z])",
    re.IGNORECASE,
)


@functools.lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def _is_droppable(char: str) -> bool:
    """Emoji, symbols of the 'So' category, variation selectors and control characters."""
    category = unicodedata.category(char)
    if category in ("So", "Cs", "Co", "Cn") or category == "Cc" and char not in "\n\t":
        return True
    return category in ("Mn", "Cf") and not ("\u0300" <= char <= "\u036f")


def to_half_width(text: str) -> str:
    """Map full-width ASCII variants and the ideographic space to their half-width forms."""
    return text.translate(_HALF_WIDTH)


def to_simplified(text: str) -> str:
    """Convert Traditional Chinese characters to Simplified with OpenCC."""
    return _converter().convert(text)


def normalize(text: str | None, max_chars: int | None = None) -> str:
    """Return the canonical form of a customer's message (may be empty)."""
    if not text:
        return ""
    text = to_simplified(to_half_width(text))
    if not text.lstrip().startswith("/"):  # button payloads (/faq{"faq_id": "loan-001"}) stay as sent
        text = _ENGLISH_TERM.sub(lambda match: ENGLISH_TERMS[" ".join(match.group().lower().split())], text)
    text = _UNUSUAL.sub(lambda match: "" if _is_droppable(match.group()) else match.group(), text)
    text = _REPEATED_PUNCT.sub(r"\1", text)
    text = _SPACES.sub(" ", text).strip()
    if max_chars is not None:
        text = text[:max_chars]
    return text


def has_content(text: str | None) -> bool:
    """True when the text holds a Chinese character, letter or digit and is not one key held down.

    「我我我我我」 or 「1111111」 carry nothing to understand; short repeats such as 「嗯嗯」 do.
    """
    meaningful = _MEANINGFUL.findall(text or "")
    if not meaningful:
        return False
    return len(set(meaningful)) > 1 or len(meaningful) <= _MAX_REPEAT
