"""What to do with each kind of message or event an Official Account receives.

Menu buttons: configure CLICK buttons in the Official Account's custom menu (自定义菜单) with the keys of
`MENU_MESSAGES`; a click sends the mapped text to the bot as if the customer had typed it.
"""

from __future__ import annotations

from dataclasses import dataclass

from wechatpy.messages import BaseMessage

WELCOME = (
    "您好，欢迎关注！我是智能客服小金。\n"
    "我可以解答银行卡、信用卡、贷款和保险业务的常见问题，也可以帮您查询余额、账单、保单和理赔进度，"
    "或者查找附近的网点。请直接发送文字告诉我您想办理的业务。"
)
ONLY_TEXT = "抱歉，目前只能处理文字消息，请用文字描述您的问题。"
VOICE_NOT_RECOGNISED = "抱歉，没能听清您的语音，请用文字描述您的问题。"
EMPTY_TEXT = "请输入您想咨询的问题。"
UNKNOWN_MENU = "抱歉，该菜单暂不可用，请直接发送文字描述您的问题。"

MENU_MESSAGES: dict[str, str] = {
    "KEFU_BALANCE": "查余额",
    "KEFU_CREDIT_BILL": "这个月信用卡要还多少",
    "KEFU_CARD_LOSS": "我的卡丢了",
    "KEFU_BRANCH": "附近的网点",
    "KEFU_CLAIM_STATUS": "理赔到哪一步了",
    "KEFU_REPAYMENT": "信用卡怎么还款",
    "KEFU_HUMAN": "转人工",
}

SUBSCRIBE_EVENTS = {"subscribe", "subscribe_scan"}


@dataclass(frozen=True)
class Inbound:
    """Either text for the bot, or a fixed reply, or neither (answer `success`); `unsubscribed` ends the
    follower's binding to a customer."""

    bot_text: str | None = None
    reply: str | None = None
    unsubscribed: bool = False


def _text(value: object) -> str:
    """A field's stripped text; nested or repeated elements (which WeChat never sends) count as missing."""
    return value.strip() if isinstance(value, str) else ""


def well_formed(message: BaseMessage) -> bool:
    """Whether the fields the channel relies on have WeChat's shapes: a sender, numeric MsgId and CreateTime."""
    try:
        numbers = (message.id, message.time)
    except (TypeError, ValueError):
        return False
    shaped = all(number is None or isinstance(number, int) for number in numbers)
    return shaped and bool(_text(message.source)) and (message.target is None or isinstance(message.target, str))


def interpret(message: BaseMessage) -> Inbound:
    """Text and recognised voice go to the bot; subscribing gets a welcome; unsubscribing unbinds; other events
    get no answer."""
    if message.type == "text":
        content = _text(message.content)
        return Inbound(bot_text=content) if content else Inbound(reply=EMPTY_TEXT)
    if message.type == "voice":
        recognition = _text(message.recognition)
        return Inbound(bot_text=recognition) if recognition else Inbound(reply=VOICE_NOT_RECOGNISED)
    if message.type == "event":
        event = _text(getattr(message, "event", ""))
        if event in SUBSCRIBE_EVENTS:
            return Inbound(reply=WELCOME)
        if event == "unsubscribe":
            return Inbound(unsubscribed=True)
        if event == "click":
            text = MENU_MESSAGES.get(_text(message.key))
            return Inbound(bot_text=text) if text else Inbound(reply=UNKNOWN_MENU)
        return Inbound()
    return Inbound(reply=ONLY_TEXT)


def delivery_key(message: BaseMessage) -> str:
    """Identifies a delivery across WeChat's retries: MsgId, or sender, time and event name for events.

    Only for `well_formed` messages."""
    if message.id:
        return f"msg:{message.id}"
    return f"event:{message.source}:{message.time}:{getattr(message, 'event', message.type)}"
