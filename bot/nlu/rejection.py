"""Whether a message the classifier read as `deny` really rejects something, or is a follow-up question.

After an answer, 「不对」「不是这个」「没用」 reject it; 「办一个要钱不」 or 「财务说要盖章的」 resemble them to the
classifier but carry no rejecting word — a 不 or 没 that only ends a question (「要钱不」「到了没」) does not count.
The other way round, a short no that asks nothing (「不是这个意思」) rejects the answer whatever the classifier said.
"""

from __future__ import annotations

import re

from bot.core.text import normalize

REJECTING = re.compile(
    r"不对|不是|(?<!行)不行|(?<!要)不要|不用|不需要|不想|不了|不必|没用|没有|没帮|没解决|没懂|不懂|不明白|不清楚|不相关|"
    r"无关|(?<![没不])错|答非所问|文不对题|算了|^别|别了|取消|拒绝|不同意|不确认|不可以|(?<!好)不好(?!意思)|否|"
    r"(?<![a-z])(no|nope|wrong)(?![a-z])",
    re.IGNORECASE,
)
MAX_BARE_REJECTION_CHARS = 10
FILLER = re.compile(r"[这那个意思我你您要想的了啊呀吧哦嗯还是就再也都说问回答案样么\s,，.。!！~]")
"""Words around a no that name nothing (「不是这个意思」, 「还是不对啊」), unlike 「不是银行卡 是APP的」."""
ASKS = re.compile(r"[吗嘛呢么?？]")
BARE_NO = re.compile(r"[不没\s!！。~]+")
QUESTION_END = re.compile(r"[不没吗呢吧啊呀][\s?？!！。~]*$")


def rejects(text: str) -> bool:
    """Whether the message says no: a rejecting word outside a question's final 不/没."""
    clean = re.sub(r"\s+", "", normalize(text))
    if BARE_NO.fullmatch(clean):
        return True
    return REJECTING.search(QUESTION_END.sub("", clean)) is not None


def is_bare_rejection(text: str) -> bool:
    """A short no that asks and names nothing (「不是这个意思」, 「没用」): not 「不对 我问的是怎么取现」,
    「要不要先挂失」 or 「是银行卡的 不是app」."""
    clean = re.sub(r"\s+", "", normalize(text))
    if len(clean) > MAX_BARE_REJECTION_CHARS or ASKS.search(clean) or not rejects(clean):
        return False
    return len(FILLER.sub("", REJECTING.sub("", clean))) < 2
