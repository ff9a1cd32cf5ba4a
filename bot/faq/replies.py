"""Turn a knowledge-base decision into the message a customer sees."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from bot.kb import Decision, KnowledgeBase

CLARIFY_TEXT = "您是不是想问："
ALTERNATIVES_TEXT = "如果您想问的是下面的问题，请点击："
RELATED_TEXT = "您可能还想了解："
MAX_RELATED = 3
NO_MATCH_TEXT = "抱歉，我暂时没有找到这个问题的答案。您可以换个说法再问一次，或点击下方按钮由人工客服为您解答。"
HUMAN_BUTTON = {"title": "转人工客服", "payload": "/request_human"}
NONE_OF_THESE_BUTTON = {"title": "都不是，转人工", "payload": "/request_human"}
MAX_CHOICE_CHARS = 10
_CHOICE_FILLER = re.compile(r"^(那|是|就是|我说的是|我问的是|我是说)|(的|呢|吧|啊|呀|那个|这个|的那个)+$")


@dataclass(frozen=True)
class FaqReply:
    """Text, buttons and the analytics metadata of one FAQ reply; `related`: the entries its buttons offer as
    related questions (关联问), if that is what they offer."""

    text: str
    outcome: str
    confidence: float
    faq_id: str | None = None
    buttons: list[dict[str, str]] = field(default_factory=list)
    related: tuple[str, ...] = ()

    @property
    def options(self) -> list[str]:
        """The payloads of the entries offered as what the customer may have meant (not related questions)."""
        return [] if self.related else [b["payload"] for b in self.buttons if b["payload"].startswith("/faq")]

    @property
    def metadata(self) -> dict[str, object]:
        """What analytics reads from the bot message: entry id, confidence and outcome."""
        return {"faq_id": self.faq_id, "faq_confidence": round(self.confidence, 4), "faq_outcome": self.outcome}


def faq_payload(faq_id: str) -> str:
    """The button payload that selects one FAQ entry."""
    return "/faq" + json.dumps({"faq_id": faq_id}, ensure_ascii=False)


def entry_reply(kb: KnowledgeBase, faq_id: str, confidence: float = 1.0) -> FaqReply:
    """The answer of a known entry."""
    entry = kb.entry(faq_id)
    return FaqReply(text=entry.answer, outcome="answer", confidence=confidence, faq_id=entry.id)


def entry_id_of(payload: str) -> str | None:
    """The entry id a clarification button's payload selects."""
    if not payload.startswith("/faq"):
        return None
    try:
        return json.loads(payload.removeprefix("/faq")).get("faq_id")
    except (json.JSONDecodeError, AttributeError):
        return None


def chosen_option(kb: KnowledgeBase, payloads: Sequence[str], text: str) -> str | None:
    """The clarification option a short reply names (「信用卡的」 after 「密码忘了」), when exactly one does."""
    fragment = _CHOICE_FILLER.sub("", text.strip(" ，。？?！!")).strip()
    if not payloads or not 2 <= len(fragment) <= MAX_CHOICE_CHARS:
        return None
    ids = [entry_id for entry_id in map(entry_id_of, payloads) if entry_id and entry_id in kb]
    named = [entry_id for entry_id in ids if fragment in kb.entry(entry_id).question]
    return named[0] if len(named) == 1 else None


def entry_button(kb: KnowledgeBase, faq_id: str) -> dict[str, str]:
    """A button showing an entry's standard question that selects the entry."""
    return {"title": kb.entry(faq_id).question, "payload": faq_payload(faq_id)}


def related_ids(kb: KnowledgeBase, faq_id: str, exclude: Iterable[str] = ()) -> list[str]:
    """Up to `MAX_RELATED` related entries of `faq_id` in the order the entry lists them: only entries the
    knowledge base answers (not removed, not expired), never the entry itself, a repeat or an id in `exclude`."""
    skipped = {faq_id, *exclude}
    offered: list[str] = []
    for entry_id in kb.entry(faq_id).related:
        if entry_id in kb and entry_id not in skipped:
            offered.append(entry_id)
            skipped.add(entry_id)
    return offered[:MAX_RELATED]


def with_related(kb: KnowledgeBase, reply: FaqReply, exclude: Iterable[str] = ()) -> FaqReply:
    """An answer offering no buttons, followed by 「您可能还想了解：」 and its related entries as buttons (see
    `related_ids`); any other reply (one already offering buttons, a clarification, a no-match) is unchanged."""
    if reply.outcome != "answer" or reply.buttons or reply.faq_id is None or reply.faq_id not in kb:
        return reply
    offered = related_ids(kb, reply.faq_id, exclude)
    if not offered:
        return reply
    buttons = [entry_button(kb, entry_id) for entry_id in offered]
    return replace(reply, text=f"{reply.text}\n\n{RELATED_TEXT}", buttons=buttons, related=tuple(offered))


def build_reply(kb: KnowledgeBase, decision: Decision) -> FaqReply:
    """Answer (with close runner-ups as buttons), clarification with up to three buttons, or a polite
    no-match with a human offer."""
    if decision.outcome == "answer" and decision.answer_id:
        answer = entry_reply(kb, decision.answer_id, decision.confidence)
        buttons = [{"title": hit.question, "payload": faq_payload(hit.id)} for hit in decision.suggestions]
        if not buttons:
            return answer
        return replace(answer, text=f"{answer.text}\n\n{ALTERNATIVES_TEXT}", buttons=buttons)
    if decision.outcome == "clarify" and decision.suggestions:
        buttons = [{"title": hit.question, "payload": faq_payload(hit.id)} for hit in decision.suggestions[:3]]
        return FaqReply(
            text=CLARIFY_TEXT,
            outcome="clarify",
            confidence=decision.confidence,
            buttons=[*buttons, NONE_OF_THESE_BUTTON],
        )
    return FaqReply(text=NO_MATCH_TEXT, outcome="none", confidence=decision.confidence, buttons=[HUMAN_BUTTON])


def confident_answer(kb: KnowledgeBase, text: str, previous_id: str | None = None) -> FaqReply | None:
    """The answer when the knowledge base answers (not a clarification or a no-match), else None;
    `previous_id` is the entry answered last, for follow-ups."""
    decision = kb.answer(text, previous_id=previous_id)
    return build_reply(kb, decision) if decision.outcome == "answer" and decision.answer_id else None
