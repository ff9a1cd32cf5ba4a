"""Rasa component that records a message about something no bank handles as `out_of_scope`.

The classifier learns off-topic chat from a few dozen examples, so 「下期双色球开什么号」 or 「滴滴司机绕路多收了我
三十块 怎么退」 read like FAQ questions (退, 多收) and 「今天北京天气咋样」 like a city given in a form. A message
that names a topic of daily life the bank has no part in — weather, lotteries, ride-hailing, food and parcel
delivery, tickets and bookings — and names nothing of banking or insurance is `out_of_scope`: the bot says
politely what it can do instead of answering with an unrelated FAQ entry. 「信用卡买机票有优惠吗」 or 「下雨天车
被淹了保险赔吗」 name a card or an insurance and stay what the classifier said.
"""

from __future__ import annotations

import re

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.core.text import normalize
from bot.nlu.relabel import relabel
from bot.nlu.stateless import StatelessComponent

OUT_OF_SCOPE_INTENT = "out_of_scope"
SURE = 1.0
OFF_TOPIC = re.compile(
    r"天气|下雨|下雪|带伞|气温|(几|多少)度|雾霾|空气质量|天气预报"
    r"|双色球|彩票|大乐透|福彩|体彩|开奖|中奖号"
    r"|打车|滴滴|出租车|网约车|代驾|司机绕路"
    r"|外卖|快递|顺丰|中通|圆通|韵达|申通|美团|饿了么|点餐|订餐|点个餐"
    r"|航班|机票|火车票|高铁票|动车票|订酒店|电影票|演唱会|球赛|比分"
)
BANKING = re.compile(
    r"银行|卡|账户|帐户|户头|转账|汇款|贷款|房贷|车贷|保险|保单|保费|理赔|险|赔|报销|理财|存款|存单|定期|活期"
    r"|网银|网点|柜台|ATM|取款|取钱|存钱|还款|额度|利息|利率|积分|分期|支付|付款|扣款|扣费|刷卡|年费"
    r"|外汇|换汇|购汇|结汇|汇率|基金|你们(行|家)|客服|人工|投诉",
    re.IGNORECASE,
)


def is_off_topic(text: str) -> bool:
    """Whether `text` is about a topic of daily life no bank handles and names nothing of banking."""
    clean = normalize(text)
    return OFF_TOPIC.search(clean) is not None and BANKING.search(clean) is None


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class OffTopicGuard(StatelessComponent):
    """Replaces the intent of a message about weather, lotteries, taxis, deliveries or bookings by `out_of_scope`."""

    def process(self, messages: list[Message]) -> list[Message]:
        """Mark the off-topic messages the classifier took for something else."""
        for message in messages:
            text = message.get(TEXT) or ""
            if text.startswith("/") or not is_off_topic(text):
                continue
            if (message.get(INTENT) or {}).get("name") != OUT_OF_SCOPE_INTENT:
                relabel(message, OUT_OF_SCOPE_INTENT, SURE)
        return messages
