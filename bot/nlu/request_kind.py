"""Tell a personal request (「帮我查我的账单」) from a general question about the same product (「账单日是什么意思」).

The cues are surface forms of Chinese: a request names the customer's own accounts, cards, policies or money
or asks the bot to act (帮我/给我查, 我的卡, 尾号1234, 我要挂失) — 「寄给我的」 or 「我那台车」 names nothing the bank
holds; a general question asks how, what, whether or how much
(怎么, 什么是, 能不能, 会不会, 多少钱, 有影响吗). A message may carry both (「我的卡丢了怎么挂失」).
"""

from __future__ import annotations

import re
from enum import Enum

from bot.core.text import normalize

GATED_KEY = "general_question_of"
"""Parse-data key holding the skill NLU saw in a message that was re-labelled as a general question."""
SKILL_INTENTS = frozenset({
    "check_balance", "check_transactions", "check_credit_card_bill", "report_card_loss",
    "check_policy", "check_claim_status", "file_claim",
})
"""The intents that ask for the customer's own data or act on it (they need a verified customer)."""

PERSONAL = re.compile(
    r"(帮|(?<![寄发打转退汇送还交递传])给|替)(我|俺|咱)(?![妈爸家老儿女孩爷奶姥外媳父母]|买的|买了|买过|投保的|办的)|我(名下|账户|帐户|户头|卡|信用卡|储蓄卡|借记卡|保单|账单|帐单|余额)"
    r"|我(的|这|那)[^\s，。？?！!]{0,3}?(卡|银行卡|信用卡|储蓄卡|借记卡|工资卡|账户|帐户|户头|保单|保险|账单|帐单|余额|钱|存款|定期"
    r"|理财|贷款|房贷|额度|交易|流水|明细|理赔|案子|赔款)"
    r"|我(要|想|得|需要)(查|看|挂失|冻结|报案|理赔|申请理赔|报个案)|尾号|末四位|后四位|\d{4}那张"
    r"|(查|看)(一?下|一下子)?(我|本人)|本人的|^(查|看)(一?下)?(余额|账单|帐单|流水|交易|保单|理赔)"
    r"|我(现在|目前|这张|那张|的|这|那)?(银行|储蓄|信用|工资)?(卡|账户|帐户|户头|账)(里|上)"
    r"|(卡|账户|帐户|户头|账上)[里上]?(还|现在|目前)?(剩|有)(多少|几|钱)"
    r"|(今天|昨天|前天|这个月|上个月|本月|上月|这期|上期|本期|这周|上周)[^\s，。？?！!]{0,4}?(账单|帐单|消费|支出|花了|进账|扣款)"
    r"|我(是不是|有没有)?(买过|办过|投保过|开过)|我在你们(这|这里|那)?(买|办|开|投)的"
    r"|有一?笔\d|有一?笔[^\s，。？?！!]{0,3}?(支出|扣款|消费|交易|入账|进账)"
    r"|我(的|这|那)[^\s，。？?！!]{0,3}?报销"
)
STATUS = re.compile(
    r"(进账|到账|出账|入账|批|赔|通过|(结果|审核|审批|结论)出来|处理|办好|处理好|批下来|赔下来)(了(吗|么|没有?)|没有?)"
    r"[\s?？。!！]*$"
    r"|到(哪个?|什么)(阶段|步|一步|环节|进度)|到哪(了|儿了)"
)
"""A question about where something of the customer's own stands (「工资进账了吗」, 「理赔到哪一步了」); a general
question asks how long such things take (「理赔一般多久到账」)."""
GENERAL = re.compile(
    r"怎么|怎样|如何|咋|什么|啥|为什么|为何|能不能|能否|可不可以|可以不|会不会|是不是|要不要|需不需要|用不用"
    r"|有没有|多少钱|(?:存|交|买|贷|借|赔|退|收|扣|保)多少|多少(?:倍|年|天|万)|多久|多长时间|几天|哪天|几号|何时|哪些|哪里|哪儿|哪个|去哪|在哪|哪能|哪弄|有影响|影响大|划算|区别|意思|规定|条件"
    r"|流程|手续|材料|(?P<verb>[^\s不没])[不没](?P=verb)"
    r"|手续费|利息|费用|收费|年费|违约金|罚息"
    r"|[吗呢么嘛吧不没][\s?？!！。~]*$|[?？]"
)

CONTENT_QUESTION = re.compile(
    r"哪|怎么|怎样|如何|咋|什么|啥|多少|多久|多长|几[天号点次个年月岁]|为什么|为啥|能不能|可不可以|是不是|会不会|要不要"
    r"|有没有|(?P<verb>[^\s不没])[不没](?P=verb)"
)
"""Words that ask about something (where, how, how much, whether), unlike a bare 吗 or 吧 that may end a
greeting or a stop (「在吗」, 「算了吧」)."""


class RequestKind(str, Enum):
    """How a message reads: a request about the customer's own data, a general question, both, or neither."""

    PERSONAL = "personal"
    GENERAL = "general"
    MIXED = "mixed"
    NEUTRAL = "neutral"


def request_kind(text: str) -> RequestKind:
    """Classify `text` (normalised first, so Traditional and full-width forms read the same)."""
    clean = normalize(text)
    personal = PERSONAL.search(clean) is not None or STATUS.search(clean) is not None
    general = GENERAL.search(clean) is not None
    if personal and general:
        return RequestKind.MIXED
    if personal:
        return RequestKind.PERSONAL
    return RequestKind.GENERAL if general else RequestKind.NEUTRAL


def asks_about_content(text: str) -> bool:
    """Whether the message asks about something (not only ends in a question particle)."""
    return CONTENT_QUESTION.search(normalize(text)) is not None


def reads_as_general(text: str) -> bool:
    """True when the message asks a general question and names nothing of the customer's own."""
    return request_kind(text) is RequestKind.GENERAL
