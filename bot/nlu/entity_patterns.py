"""Rules that find structured entities in Chinese customer messages.

A spaCy pipeline finds amounts, dates, card tails, phone, policy and claim numbers: token patterns run in an
`EntityRuler` over jieba-segmented text; date expressions and card tails whose jieba segmentation is irregular
(「5日至」, 「后/四位」) are matched on the text and aligned to tokens. Card types are matched on the text,
whatever the segmentation (工资/卡, 信用卡), and stored under the name the account services take.
"""

from __future__ import annotations

import re

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from bot.core.patterns import PHONE_DIGITS

AMOUNT_UNITS = ["元", "块", "块钱", "万", "万元", "千", "千元", "百", "美元", "美金", "人民币"]
CN_NUMBER = r"^[零一二两三四五六七八九十百千万]+(块|块钱|元|万|万元)?$"
BARE_TAIL = re.compile(r"^\s*(\d{4})\s*$")
_CN_ROUND = "[一二两三四五六七八九十]+[百千万][零一二两三四五六七八九十百千万]*"
BARE_CN_AMOUNT = re.compile(rf"^\s*({_CN_ROUND}(?:块钱|块|元)?)\s*$")
RELATIVE_DATES = [
    "今天", "今日", "昨天", "昨日", "前天", "本周", "这周", "这个星期", "上周", "上个星期", "上上周", "本月", "这个月",
    "上个月", "上月", "上上个月", "今年", "去年", "上半年", "下半年",
]
TAIL_MARKERS = ["卡尾号", "尾号", "尾数", "末四位", "后四位"]
CARD_TAIL_REGEX = re.compile(rf"(?:{'|'.join(TAIL_MARKERS)})\s*是?\s*\d{{4}}(?!\d)")

# How customers name their cards, by the value stored: the names `bot.accounts.queries.card_kind` reads (储蓄卡 for
# a debit card, 信用卡 for a credit card). 工资卡 and 银行卡 are deposit cards; 咔 and 借计 are common typos.
CARD_TYPES = {
    "信用卡": ("信用卡", "信用咔", "贷记卡"),
    "储蓄卡": ("储蓄卡", "储蓄咔", "储畜卡", "借记卡", "借记咔", "借计卡", "银行卡", "银行咔", "工资卡", "工资咔"),
}
_CARD_TYPE_VALUES = {name: value for value, names in CARD_TYPES.items() for name in names}
CARD_TYPE_REGEX = re.compile("|".join(sorted(_CARD_TYPE_VALUES, key=len, reverse=True)))

_CN_DIGIT = "[0-9零一二两三四五六七八九十]"
_DAY = rf"{_CN_DIGIT}{{1,3}}\s*[号日]"
_MONTH_DAY = rf"(?:\d{{4}}\s*年\s*)?{_CN_DIGIT}{{1,2}}\s*月\s*(?:{_DAY})?"
_RANGE_TAIL = rf"(?:\s*(?:到|至|~|-|—)\s*(?:{_MONTH_DAY}|{_DAY}))?"
DATE_REGEX = re.compile(
    r"(?:今年|去年)(?:上半年|下半年)|上上(?:个)?(?:周|星期|月)"
    rf"|(?:{_MONTH_DAY}{_RANGE_TAIL})"
    rf"|(?:(?:最近|近|过去|前)\s*(?:{_CN_DIGIT}{{1,3}}|半)\s*(?:个)?\s*(?:天|日|周|星期|礼拜|个月|月|年))"
)


def _token_patterns() -> list[dict]:
    digits_with_unit = [{"TEXT": {"REGEX": r"^\d+(\.\d+)?$"}}, {"TEXT": {"IN": AMOUNT_UNITS}}]
    return [
        {"label": "phone", "pattern": [{"TEXT": {"REGEX": f"^{PHONE_DIGITS}$"}}]},
        {"label": "policy_number", "pattern": [{"TEXT": {"REGEX": r"^[Pp]\d{10}$"}}]},
        {"label": "claim_number", "pattern": [{"TEXT": {"REGEX": r"^[Cc]\d{10}$"}}]},
        {"label": "amount", "pattern": digits_with_unit},
        {"label": "amount", "pattern": [{"TEXT": {"REGEX": CN_NUMBER}}, {"TEXT": {"IN": AMOUNT_UNITS}}]},
        {"label": "amount", "pattern": [{"TEXT": {"REGEX": r"^[零一二两三四五六七八九十百千万]+块(钱)?$"}}]},
        {"label": "date", "pattern": [{"TEXT": {"IN": RELATIVE_DATES}}]},
    ]


@Language.component("kefu_date_regex")
def date_regex_component(doc: Doc) -> Doc:
    """Add date ranges and card tails matched on the raw text, aligned to tokens; a bare 4-digit message is a
    card tail and a bare Chinese round number (两千五) an amount."""
    spans = [
        doc.char_span(match.start(), match.end(), label="date", alignment_mode="expand")
        for match in DATE_REGEX.finditer(doc.text)
    ]
    for match in CARD_TAIL_REGEX.finditer(doc.text):
        tail = doc.char_span(match.start(), match.end(), label="card_tail", alignment_mode="contract")
        if tail is not None and tail.end_char == match.end():  # not when the digits run on inside a token
            spans.append(tail)
    for pattern, label in ((BARE_TAIL, "card_tail"), (BARE_CN_AMOUNT, "amount")):
        whole = pattern.match(doc.text)
        if whole:
            spans.append(doc.char_span(whole.start(1), whole.end(1), label=label, alignment_mode="expand"))
    found = [span for span in spans if span is not None]
    doc.ents = filter_spans(list(doc.ents) + found)
    return doc


def build_pipeline() -> Language:
    """A blank Chinese spaCy pipeline (jieba segmentation) with the entity rules."""
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    ruler = nlp.add_pipe("entity_ruler", config={"overwrite_ents": True})
    ruler.add_patterns(_token_patterns())
    nlp.add_pipe("kefu_date_regex")
    return nlp


def entity_value(span: Span) -> str:
    """The value stored for an entity: card tails keep only their digits."""
    if span.label_ == "card_tail":
        return re.sub(r"\D", "", span.text)[-4:]
    if span.label_ in ("policy_number", "claim_number"):
        return span.text.upper()
    return span.text.replace(" ", "")


def card_types(text: str) -> list[tuple[int, int, str]]:
    """Where `text` names a kind of card, with the value stored: 「工资卡」 → (start, end, "储蓄卡")."""
    return [(match.start(), match.end(), _CARD_TYPE_VALUES[match.group()]) for match in CARD_TYPE_REGEX.finditer(text)]
