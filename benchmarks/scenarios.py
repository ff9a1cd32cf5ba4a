"""The simulated customers' conversations: what they type and what a resolved conversation shows.

A step's text may be `SMS_CODE`, which the load driver replaces with the one-time code the SMS stub wrote
for the customer's phone. `expect` is a regex one of the step's bot texts must match (checked against our
stack only: the bare Rasa floor answers with static texts).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.accounts.demo_data import CUSTOMERS, CustomerSpec

SMS_CODE = "{sms_code}"
HANDOFF_PATTERN = re.compile(r"正在为您转接|优先转接|马上为您转接|人工客服都不在线|不是人工服务时间|已收到您的留言")


@dataclass(frozen=True)
class Step:
    """One customer message and, optionally, what the bot's reply must contain."""

    text: str
    expect: str | None = None


@dataclass(frozen=True)
class Conversation:
    """A scripted multi-turn conversation; `phone` is set when it verifies the customer by SMS."""

    kind: str
    steps: tuple[Step, ...]
    phone: str | None = None


@dataclass(frozen=True)
class DemoIdentity:
    """What a simulated customer types to verify: phone, ID last four, and a credit card to report lost."""

    phone: str
    id_last4: str
    credit_tail: str


def demo_identities(customers: tuple[CustomerSpec, ...] = CUSTOMERS) -> list[DemoIdentity]:
    """The seeded demo customers that have an active credit card."""
    identities = []
    for spec in customers:
        tails = [card.tail for card in spec.cards if card.kind == "credit" and card.status == "active"]
        if tails:
            identities.append(DemoIdentity(spec.phone, spec.id_number[-4:], tails[0]))
    return identities


def _verification(identity: DemoIdentity, then: str) -> tuple[Step, ...]:
    """Phone, ID last four and the SMS code; `then` is what the reply to the code must show."""
    return (Step(identity.phone, "身份证"), Step(identity.id_last4, "验证码已发送"), Step(SMS_CODE, then))


def faq(_: DemoIdentity) -> Conversation:
    """Greeting, two FAQ questions, thanks."""
    return Conversation("faq", (
        Step("你好", "小金"),
        Step("信用卡还款日能改吗", "还款日"),
        Step("境外取现手续费多少", "取现"),
        Step("谢谢", "不客气"),
    ))


def faq_followup(_: DemoIdentity) -> Conversation:
    """An FAQ, an elliptical follow-up, an out-of-scope question, goodbye."""
    return Conversation("faq_followup", (
        Step("借记卡丢了怎么办", "挂失"),
        Step("那信用卡呢", "信用卡"),
        Step("今天天气怎么样", "超出了我的服务范围"),
        Step("再见", "再见"),
    ))


def balance(identity: DemoIdentity) -> Conversation:
    """Verification by SMS, then balance and last week's transactions."""
    return Conversation("balance_transactions", (
        Step("帮我查下账户余额", "验证身份"),
        *_verification(identity, "¥"),
        Step("最近一周的交易", "交易"),
        Step("谢谢", "不客气"),
    ), phone=identity.phone)


def card_loss(identity: DemoIdentity) -> Conversation:
    """Verification, then reporting a credit card lost and confirming."""
    return Conversation("card_loss", (
        Step(f"我的信用卡丢了 尾号{identity.credit_tail}", "验证身份"),
        *_verification(identity, f"确认挂失尾号{identity.credit_tail}"),
        Step("确认", r"GS\d+"),
    ), phone=identity.phone)


def branch(_: DemoIdentity) -> Conversation:
    """Looking for a branch, naming the city when asked."""
    return Conversation("branch", (
        Step("附近有没有营业网点", "哪个城市"),
        Step("北京朝阳区", "网点"),
        Step("谢谢", "不客气"),
    ))


def handoff(_: DemoIdentity) -> Conversation:
    """Asking for a human; with no agent logged in the customer leaves a message."""
    return Conversation("handoff", (
        Step("转人工", "留言"),
        Step("我想咨询房贷提前还款，请明天上午给我回电话", "已收到您的留言"),
    ))


TEMPLATES = (faq, balance, faq_followup, card_loss, branch, handoff)


def customer_script(index: int, count: int, identities: list[DemoIdentity]) -> list[Conversation]:
    """`count` conversations for simulated customer `index`: the templates in turn, starting at its own offset."""
    identity = identities[index % len(identities)]
    return [TEMPLATES[(index + number) % len(TEMPLATES)](identity) for number in range(count)]


def step_text(step: Step, sms_code: str | None) -> str:
    """The text to send: the step's own, or the SMS code in its place."""
    if step.text != SMS_CODE:
        return step.text
    return sms_code or "000000"


def matches(expect: str | None, texts: list[str]) -> bool:
    """Whether one of the bot's texts of a turn matches the expected pattern (no pattern: always)."""
    return expect is None or any(re.search(expect, text) for text in texts)


def ended_in_handoff(texts: list[str]) -> bool:
    """Whether the bot's reply hands the customer to a human (queue or leave-a-message offer)."""
    return any(HANDOFF_PATTERN.search(text) for text in texts)
