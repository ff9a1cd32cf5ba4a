"""Cities, districts and card types found by rule: any Chinese place, no common words, the values the actions take."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from rasa.core.agent import Agent
from rasa.shared.nlu.constants import ENTITIES, EXTRACTOR, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.accounts.queries import card_kind
from bot.branches.directory import BranchDirectory, load_branches
from bot.core.paths import KNOWLEDGE_BASE_DIR
from bot.nlu.spacy_entities import RULE_ONLY, SpacyRuleEntityExtractor

PLACE_ENTITIES = ("city", "district")


@pytest.fixture(scope="module")
def extractor() -> SpacyRuleEntityExtractor:
    return SpacyRuleEntityExtractor()


@pytest.fixture(scope="module")
def directory() -> BranchDirectory:
    return BranchDirectory(load_branches(KNOWLEDGE_BASE_DIR / "branches.yml"))


def found(extractor: SpacyRuleEntityExtractor, text: str, kinds: tuple[str, ...]) -> list[tuple[str, str, str]]:
    """(entity, the characters it covers, value) of the entities of these kinds in `text`."""
    return [
        (entity["entity"], text[entity["start"]:entity["end"]], entity["value"])
        for entity in extractor.extract(text)
        if entity["entity"] in kinds
    ]


def processed(extractor: SpacyRuleEntityExtractor, text: str, intent: str, entities: list[dict[str, Any]]) -> Message:
    message = Message({TEXT: text, INTENT: {"name": intent, "confidence": 0.9}, ENTITIES: entities})
    extractor.process([message])
    return message


@pytest.mark.parametrize(
    ("text", "places"),
    [
        # Cities with branches, with and without 市, and their districts by full or short name.
        ("杭州有网点吗", [("city", "杭州", "杭州")]),
        ("杭州市哪里有你们的支行", [("city", "杭州市", "杭州")]),
        ("北京朝阳区的网点在哪", [("city", "北京", "北京"), ("district", "朝阳区", "朝阳区")]),
        ("北京朝阳有ATM吗", [("city", "北京", "北京"), ("district", "朝阳", "朝阳区")]),
        ("我在上海浦东，附近有营业厅吗", [("city", "上海", "上海"), ("district", "浦东", "浦东新区")]),
        ("深圳市南山区科技园那边", [("city", "深圳市", "深圳"), ("district", "南山区", "南山区")]),
        ("南京鼓楼有网点吗", [("city", "南京", "南京"), ("district", "鼓楼", "鼓楼区")]),
        # Cities without branches, anywhere in China, and their districts.
        ("拉萨有你们的网点吗", [("city", "拉萨", "拉萨")]),
        ("我在德阳，最近的网点在哪", [("city", "德阳", "德阳")]),
        ("延边有营业厅吗", [("city", "延边", "延边")]),
        ("乌鲁木齐的支行地址", [("city", "乌鲁木齐", "乌鲁木齐")]),
        ("大连中山区有取款机吗", [("city", "大连", "大连"), ("district", "中山区", "中山区")]),
        ("重庆忠县有网点吗", [("city", "重庆", "重庆"), ("district", "忠县", "忠县")]),
        ("黑龙江鹤岗南山区", [("city", "鹤岗", "鹤岗"), ("district", "南山区", "南山区")]),
        # A district alone; county-level cities are cities unless their prefecture is named before them.
        ("硚口区有取款机吗", [("district", "硚口区", "硚口区")]),
        ("昆山有网点吗", [("city", "昆山", "昆山")]),
        ("苏州昆山有网点吗", [("city", "苏州", "苏州"), ("district", "昆山", "昆山市")]),
        # A province names no city; every place named counts.
        ("我是广东人，在杭州工作", [("city", "杭州", "杭州")]),
        ("我在昆明想去拉萨", [("city", "昆明", "昆明"), ("city", "拉萨", "拉萨")]),
        # Common words that are place names count with their suffix or their city.
        ("天津和平区网点", [("city", "天津", "天津"), ("district", "和平区", "和平区")]),
        ("石家庄新华区有支行吗", [("city", "石家庄", "石家庄"), ("district", "新华区", "新华区")]),
        ("阳泉城区有网点吗", [("city", "阳泉", "阳泉"), ("district", "城区", "城区")]),
        ("中山有网点吗", [("city", "中山", "中山")]),
        ("开封有网点吗", [("city", "开封", "开封")]),
        ("合作市有网点吗", [("city", "合作市", "合作市")]),
    ],
)
def test_cities_and_districts(
    extractor: SpacyRuleEntityExtractor, text: str, places: list[tuple[str, str, str]]
) -> None:
    assert found(extractor, text, PLACE_ENTITIES) == places


@pytest.mark.parametrize(
    "text",
    [
        "世界和平",
        "新华保险怎么理赔",
        "城区网点几点关门",
        "开发区有网点吗",
        "中山装多少钱",
        "中山大学附近的ATM",
        "中山医院旁边有取款机吗",
        "我有张宁波银行的卡",
        "新卡还没开封能激活吗",
        "我要查最新余额",  # 新余 across 最新|余额
        "帮我更新密码",  # 新密
        "三明治",
        "大同小异",
        "东方财富",
        "纸白银怎么买",
        "南京路附近的网点",
        "营业时间是北京时间吗",
        "芒果",  # 芒 alone is cpca's short name of 芒市
        "广东有网点吗",
        "信用卡怎么还款",
    ],
)
def test_common_words_are_no_places(extractor: SpacyRuleEntityExtractor, text: str) -> None:
    assert found(extractor, text, PLACE_ENTITIES) == []


@pytest.mark.parametrize(
    ("text", "city", "district"),
    [
        ("杭州市哪里有你们的支行", "杭州", None),
        ("上海浦东有网点吗", "上海", "浦东新区"),
        ("北京朝阳有ATM吗", "北京", "朝阳区"),
        ("深圳市南山区科技园那边", "深圳", "南山区"),
        ("西安市雁塔区的网点", "西安", "雁塔区"),
        ("重庆渝北有营业厅吗", "重庆", "渝北区"),
    ],
)
def test_place_values_are_what_the_branch_search_takes(
    extractor: SpacyRuleEntityExtractor, directory: BranchDirectory, text: str, city: str, district: str | None
) -> None:
    values = {entity: value for entity, _, value in found(extractor, text, PLACE_ENTITIES)}
    assert values["city"] == city and city in directory.cities
    assert values.get("district") == district
    if district:
        assert directory.match_district(values["district"], city) == district
        assert directory.in_district(city, district)


@pytest.mark.parametrize("text", ["拉萨有你们的网点吗", "我在德阳，最近的网点在哪", "延边有营业厅吗", "昆山有网点吗"])
def test_cities_without_branches_are_located_by_the_branch_search(
    extractor: SpacyRuleEntityExtractor, directory: BranchDirectory, text: str
) -> None:
    (city,) = [value for entity, _, value in found(extractor, text, ("city",))]
    assert city not in directory.cities
    assert directory.locate(city)[0] is not None


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("我的信用卡丢了", "信用卡", "信用卡"),
        ("信用咔账单多少", "信用咔", "信用卡"),
        ("贷记卡这期要还多少", "贷记卡", "信用卡"),
        ("查一下储蓄卡余额", "储蓄卡", "储蓄卡"),
        ("我那张借记卡被偷了", "借记卡", "储蓄卡"),
        ("银行卡里还有多少钱", "银行卡", "储蓄卡"),
        ("帮我看看工资卡里还剩多少", "工资卡", "储蓄卡"),
    ],
)
def test_card_types_take_the_names_the_account_services_read(
    extractor: SpacyRuleEntityExtractor, text: str, span: str, value: str
) -> None:
    assert found(extractor, text, ("card_type",)) == [("card_type", span, value)]
    assert card_kind(value) == ("credit" if value == "信用卡" else "debit")


def test_two_cards_in_one_message(extractor: SpacyRuleEntityExtractor) -> None:
    assert [value for _, _, value in found(extractor, "能用工资卡还信用卡吗", ("card_type",))] == ["储蓄卡", "信用卡"]


@pytest.mark.parametrize("text", ["我的卡丢了", "卡里还有多少钱", "信用额度多少", "银行的客服电话"])
def test_no_card_type_without_a_card_name(extractor: SpacyRuleEntityExtractor, text: str) -> None:
    assert found(extractor, text, ("card_type",)) == []


def test_card_tail_and_card_type_side_by_side(extractor: SpacyRuleEntityExtractor) -> None:
    entities = found(extractor, "查一下我信用卡尾号8866的余额", ("card_type", "card_tail"))
    assert entities == [("card_type", "信用卡", "信用卡"), ("card_tail", "8866", "8866")]


def test_statistical_places_and_card_types_give_way_to_the_rules(extractor: SpacyRuleEntityExtractor) -> None:
    diet = [
        {"entity": "city", "start": 0, "end": 2, "value": "中山", EXTRACTOR: "DIETClassifier"},  # 中山装
        {"entity": "card_type", "start": 4, "end": 6, "value": "卡里", EXTRACTOR: "DIETClassifier"},
        {"entity": "rating", "start": 7, "end": 8, "value": "5", EXTRACTOR: "DIETClassifier"},
    ]
    message = processed(extractor, "中山装的卡里钱多少", "check_balance", diet)
    assert [(e["entity"], e["value"]) for e in message.get(ENTITIES)] == [("rating", "5")]
    message = processed(extractor, "北京朝阳区网点", "find_branch", [
        {"entity": "city", "start": 0, "end": 4, "value": "北京朝阳", EXTRACTOR: "DIETClassifier"},
    ])
    assert [(e["entity"], e["value"], e[EXTRACTOR]) for e in message.get(ENTITIES)] == [
        ("city", "北京", "SpacyRuleEntityExtractor"),
        ("district", "朝阳区", "SpacyRuleEntityExtractor"),
    ]


@pytest.mark.parametrize(
    ("text", "intent", "card_type"),
    [
        ("信用卡逾期会影响征信吗", "faq", None),  # a question about the product
        ("工资卡能不能换成别的银行的", "faq", None),
        ("工资卡里的钱还剩多少", "faq", "储蓄卡"),  # a request DIET took for a question
        ("信用卡这个月出账了吗", "check_credit_card_bill", "信用卡"),
        ("我的信用卡丢了", "report_card_loss", "信用卡"),
    ],
)
def test_general_questions_get_no_card_type(
    extractor: SpacyRuleEntityExtractor, text: str, intent: str, card_type: str | None
) -> None:
    message = processed(extractor, text, intent, [])
    assert next((e["value"] for e in message.get(ENTITIES) if e["entity"] == "card_type"), None) == card_type


def test_places_in_general_questions_are_kept(extractor: SpacyRuleEntityExtractor) -> None:
    message = processed(extractor, "北京的网点周六开门吗", "faq", [])
    assert [(e["entity"], e["value"]) for e in message.get(ENTITIES)] == [("city", "北京")]


@pytest.fixture(scope="module")
def agent(model_path: Path) -> Agent:
    return Agent.load(str(model_path))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("拉萨有你们的网点吗", {"city": "拉萨"}),
        ("北京朝阳区的网点在哪", {"city": "北京", "district": "朝阳区"}),
        ("上海浦东有网点吗", {"city": "上海", "district": "浦东新区"}),
        ("帮我看看工资卡里还剩多少", {"card_type": "储蓄卡"}),
        ("我的信用卡丢了", {"card_type": "信用卡"}),
        ("中山装多少钱", {}),
    ],
)
def test_the_trained_pipeline_outputs_the_rule_entities(agent: Agent, text: str, expected: dict[str, str]) -> None:
    """After every component, EntitySynonymMapper included: only the rules' places and card types, their values."""
    parsed = asyncio.run(agent.parse_message(text))
    ruled = [entity for entity in parsed[ENTITIES] if entity["entity"] in RULE_ONLY]
    assert {entity["entity"]: entity["value"] for entity in ruled} == expected
    assert {entity[EXTRACTOR] for entity in ruled} <= {"SpacyRuleEntityExtractor"}
