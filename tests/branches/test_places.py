"""Place recognition with the real cpca gazetteer: cities, districts, no false places, nearest covered city."""

from __future__ import annotations

import pytest

from bot.branches.places import Place, find_place, nearest_covered, province_of, short_name

COVERED_CITIES = ("北京", "上海", "广州", "深圳", "杭州", "成都", "武汉", "南京", "西安", "重庆")


@pytest.fixture(scope="module")
def covered() -> dict[str, str]:
    provinces = {city: province_of(city) for city in COVERED_CITIES}
    assert None not in provinces.values()
    return {city: province for city, province in provinces.items() if province is not None}


@pytest.mark.parametrize(
    ("text", "place"),
    [
        # Cities, with and without 市, in colloquial sentences.
        ("拉萨有网点吗", Place("西藏自治区", "拉萨市", None)),
        ("我在昆明", Place("云南省", "昆明市", None)),
        ("那三亚呢", Place("海南省", "三亚市", None)),
        ("杭州市哪里有你们的支行", Place("浙江省", "杭州市", None)),
        ("成都高新区附近", Place("四川省", "成都市", None)),
        ("苏州工业园区有网点吗", Place("江苏省", "苏州市", None)),
        ("我确定西安有网点吗", Place("陕西省", "西安市", None)),
        ("延边", Place("吉林省", "延边朝鲜族自治州", None)),
        # Municipalities and special administrative regions: the province is the city.
        ("北京", Place("北京市", "北京市", None)),
        ("在香港ATM取现扣多少钱", Place("香港特别行政区", "香港特别行政区", None)),
        # Districts with their city, by full or short name.
        ("深圳南山", Place("广东省", "深圳市", "南山区")),
        ("深圳市南山区科技园", Place("广东省", "深圳市", "南山区")),
        ("我在上海浦东", Place("上海市", "上海市", "浦东新区")),
        ("北京朝阳", Place("北京市", "北京市", "朝阳区")),
        ("重庆忠县", Place("重庆市", "重庆市", "忠县")),
        ("黑龙江鹤岗南山区", Place("黑龙江省", "鹤岗市", "南山区")),
        # Districts alone imply their city; same-named districts go to the bigger city.
        ("浦东新区", Place("上海市", "上海市", "浦东新区")),
        ("硚口区有取款机吗", Place("湖北省", "武汉市", "硚口区")),
        ("朝阳区", Place("北京市", "北京市", "朝阳区")),
        ("南山区", Place("广东省", "深圳市", "南山区")),
        # County-level cities: under their prefecture, or the city itself when directly under the province.
        ("晋江有吗", Place("福建省", "泉州市", "晋江市")),
        ("我在仙桃", Place("湖北省", "仙桃市", None)),
        # The first place named wins; a province alone does not stop the search for a city.
        ("我在昆明想去拉萨", Place("云南省", "昆明市", None)),
        ("我是广东人，在杭州工作", Place("浙江省", "杭州市", None)),
        # Common words that are place names count with their suffix or their parent.
        ("合作市", Place("甘肃省", "甘南藏族自治州", "合作市")),
        ("阳泉城区", Place("山西省", "阳泉市", "城区")),
    ],
)
def test_find_place(text: str, place: Place) -> None:
    assert find_place(text) == place


@pytest.mark.parametrize(
    "text",
    [
        "信用卡怎么办",
        "你好",
        "",
        "广东有网点吗",  # a province names no city
        "我要查最新余额",  # 新余 across 最新|余额
        "帮我更新密码",  # 新密
        "三明治",
        "大同小异",
        "我想了解一下合作机构",
        "纸白银怎么买",
        "祝您安康",
        "永安财险怎么理赔",
        "城区网点",
        "南京路附近的网点",
        "中山路",
        "营业时间是北京时间吗",
        "芒果",  # 芒 alone is cpca's short name of 芒市
    ],
)
def test_no_place(text: str) -> None:
    assert find_place(text) is None


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("深圳市", "深圳"),
        ("南山区", "南山"),
        ("浦东新区", "浦东"),
        ("内蒙古自治区", "内蒙古"),
        ("广西壮族自治区", "广西"),
        ("新疆维吾尔自治区", "新疆"),
        ("香港特别行政区", "香港"),
        ("延边朝鲜族自治州", "延边"),
        ("海西蒙古族藏族自治州", "海西"),
        ("鄂伦春自治旗", "鄂伦春"),
        ("忠县", "忠县"),
        ("深圳", "深圳"),
    ],
)
def test_short_name(name: str, short: str) -> None:
    assert short_name(name) == short


def test_province_of() -> None:
    assert province_of("深圳") == "广东省"
    assert province_of("深圳市") == "广东省"
    assert province_of("北京") == "北京市"
    assert province_of("昆山") == "江苏省"
    assert province_of("火星") is None


@pytest.mark.parametrize(
    ("text", "nearest"),
    [
        ("深圳南山", "深圳"),  # covered itself
        ("北京朝阳", "北京"),
        ("浦东新区", "上海"),
        ("苏州", "南京"),  # the only covered city of the province
        ("绵阳", "成都"),
        ("东莞", "广州"),  # two covered cities in 广东: the nearer one
        ("珠海", "深圳"),
        ("汕头", "深圳"),
        ("拉萨", None),  # no covered city in 西藏
        ("昆明", None),
    ],
)
def test_nearest_covered(text: str, nearest: str | None, covered: dict[str, str]) -> None:
    place = find_place(text)
    assert place is not None
    assert nearest_covered(place, covered) == nearest


def test_nearest_covered_with_one_or_no_candidate() -> None:
    place = Place("广东省", "东莞市", None)
    assert nearest_covered(place, {"深圳": "广东省"}) == "深圳"
    assert nearest_covered(place, {}) is None
