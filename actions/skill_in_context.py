"""「那你直接帮我查一下吧」 right after the answer to 「怎么查余额」 asks for that lookup itself: a bare request to look
something up (or do it) names no object, so the object is the one of the FAQ entry just answered — when that entry
is about a lookup or an act the bot does itself (balance, transactions, bill, policy, claim status, reporting a
claim, reporting a lost card)."""

from __future__ import annotations

import re

from rasa_sdk import Tracker

from actions.context import just_answered
from bot.content.services import knowledge_base
from bot.core.text import normalize

BARE_REQUEST = re.compile(
    r"^(?:那|那就|就|好|好的|行|嗯)?(?:你|您)?(?:直接|现在|马上|就)?(?:帮|给|替)(?:我|俺)(?:直接|现在|马上)?"
    r"(?:查|看|办|弄|挂失|报案|处理|查询)(?:一下|一查|一看|查|看|下)?(?:我(?:自己)?的|一下我(?:自己)?的)?"
    r"(?:吧|呗|呀|啊|好吗|可以吗|行吗|好不好)?$"
)
ENTRY_SKILLS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"查.{0,4}余额|余额.{0,3}查"), "action_check_balance"),
    (re.compile(r"查.{0,4}(交易明细|明细|交易记录|流水)"), "action_check_transactions"),
    (re.compile(r"查.{0,4}账单|账单.{0,3}查"), "action_check_credit_card_bill"),
    (re.compile(r"理赔进度"), "action_check_claim_status"),
    (re.compile(r"^保单怎么查|查.{0,3}保单$"), "action_check_policy"),
    (re.compile(r"怎么报案"), "action_start_file_claim"),
    (re.compile(r"怎么挂失"), "action_start_card_loss"),
)
"""Standard questions of entries about something the bot does for the customer, and the action that does it."""


def is_bare_request(text: str) -> bool:
    """Whether the message asks to have something looked up or done, naming nothing (「那帮我查一下吧」)."""
    clean = re.sub(r"[\s,，。.!！~?？]+", "", normalize(text))
    return BARE_REQUEST.match(clean) is not None


def skill_in_context(tracker: Tracker) -> str | None:
    """The skill action a bare request right after an FAQ answer asks for, if that answer is about one."""
    if not is_bare_request(tracker.latest_message.get("text") or ""):
        return None
    previous = just_answered(tracker)
    kb = knowledge_base()
    if previous is None or previous not in kb:
        return None
    question = normalize(kb.entry(previous).question)
    return next((action for pattern, action in ENTRY_SKILLS if pattern.search(question)), None)
