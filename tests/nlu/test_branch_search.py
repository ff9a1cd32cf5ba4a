"""A request for branches in a named place is `find_branch`, whatever the classifier's first choice."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.branch_search import BranchSearchRouter


def classified(text: str, intent: str, places: list[str]) -> Message:
    ranking = [{"name": intent, "confidence": 0.8}, {"name": "find_branch", "confidence": 0.1}]
    entities = [{"entity": kind, "value": "x"} for kind in places]
    message = Message({TEXT: text, INTENT: dict(ranking[0]), INTENT_RANKING_KEY: ranking, ENTITIES: entities})
    BranchSearchRouter().process([message])
    return message


@pytest.mark.parametrize(
    "text",
    ["北京海澱區有網點嗎", "哈尔滨有你们银行吗 想去柜台办点事", "南京鼓楼区的网点在哪", "哈尔滨哪里有你们的营业厅",
     "下周去三亚出差 那边哪有你们银行啊 要去柜台办点事"],
)
@pytest.mark.parametrize("intent", ["faq", "nlu_fallback", "out_of_scope"])
def test_a_branch_request_naming_a_place_is_find_branch(text: str, intent: str) -> None:
    message = classified(text, intent, ["city"])
    assert message.get(INTENT) == {"name": "find_branch", "confidence": 0.8}
    assert [item["name"] for item in message.get(INTENT_RANKING_KEY)] == ["find_branch", intent]


def test_no_place_or_no_branch_request_or_another_intent_stays() -> None:
    assert classified("有网点吗", "faq", []).get(INTENT)["name"] == "faq"
    assert classified("北京的网点营业时间是几点", "faq", ["city"]).get(INTENT)["name"] == "faq"
    assert classified("北京哪里有银行卡的介绍", "faq", ["city"]).get(INTENT)["name"] == "faq"
    assert classified("北京有网点吗", "check_balance", ["city"]).get(INTENT)["name"] == "check_balance"
