"""The branch directory: validation with file:line, and search by city and district."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.branches.directory import BranchDataError, BranchDirectory, load_branches
from bot.branches.replies import asked_details, branch_details_text, search_reply
from bot.core.paths import KNOWLEDGE_BASE_DIR


@pytest.fixture(scope="module")
def directory() -> BranchDirectory:
    return BranchDirectory(load_branches(KNOWLEDGE_BASE_DIR / "branches.yml"))


def test_real_directory_covers_ten_cities(directory: BranchDirectory) -> None:
    assert {"北京", "上海", "广州", "深圳", "杭州", "成都", "武汉", "南京", "西安", "重庆"} <= set(directory.cities)


def test_city_and_district_short_forms(directory: BranchDirectory) -> None:
    assert directory.match_city("上海浦东有网点吗") == "上海"
    assert directory.match_district("上海浦东有网点吗", "上海") == "浦东新区"
    assert directory.city_of_district("浦东新区") == "上海"
    assert directory.match_city("拉萨") is None


def test_a_branch_name_given_as_a_landmark_names_its_district(directory: BranchDirectory) -> None:
    assert directory.match_place("重庆解放碑附近有网点不") == ("重庆", "渝中区")
    assert directory.find("重庆", "渝中区")[0].name == "解放碑支行"
    assert directory.match_place("南京新街口有网点吗") == ("南京", "玄武区")
    assert directory.match_district("南京有网点吗", "南京") is None


def test_branches_in_the_district_come_first(directory: BranchDirectory) -> None:
    found = directory.find("上海", "浦东新区")
    assert found[0].district == "浦东新区"
    assert all(branch.city == "上海" for branch in found)


def test_missing_field_is_reported_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "branches.yml"
    path.write_text(
        "- id: A\n  name: 甲\n  city: 北京\n  district: 朝阳区\n  address: 某路1号\n  hours: 9-17\n"
        "- id: B\n  name: 乙\n  city: 北京\n  district: 海淀区\n  hours: 9-17\n",
        encoding="utf-8",
    )
    with pytest.raises(BranchDataError, match=r"branches\.yml:7: .*address"):
        load_branches(path)


def test_duplicate_id_is_reported(tmp_path: Path) -> None:
    entry = "- id: A\n  name: 甲\n  city: 北京\n  district: 朝阳区\n  address: 某路1号\n  hours: 9-17\n"
    path = tmp_path / "branches.yml"
    path.write_text(entry + entry, encoding="utf-8")
    with pytest.raises(BranchDataError, match=r":7: .*A.*第 1 行"):
        load_branches(path)


def test_follow_up_questions_name_the_details_they_ask_for() -> None:
    assert asked_details("周日营业吗") == ["hours"]
    assert asked_details("电话多少") == ["phone"]
    assert asked_details("地址在哪") == ["address"]
    assert asked_details("週六開不開") == ["hours"]
    assert asked_details("信用卡怎么申请") == []
    assert asked_details("我想问一下你们那个网点周末到底开不开门因为我上班没时间平时去不了") == []


def test_details_of_listed_branches_are_given_per_branch() -> None:
    directory = BranchDirectory(load_branches(KNOWLEDGE_BASE_DIR / "branches.yml"))
    listed = directory.find("北京", "朝阳区")
    assert directory.by_ids([branch.id for branch in listed] + ["nope"]) == listed
    text = branch_details_text(listed, ["hours", "phone"])
    for branch in listed:
        assert f"· {branch.name}：营业时间：{branch.hours}；电话：{branch.phone}" in text


def test_a_search_in_a_city_without_branches_offers_the_nearest_or_other_ways() -> None:
    directory = BranchDirectory(load_branches(KNOWLEDGE_BASE_DIR / "branches.yml"))
    assert directory.locate("我在德阳") == ("德阳", None)
    assert directory.locate("信用卡怎么还") == (None, None)
    text, listed = search_reply(directory, "德阳", None)
    assert text.startswith("德阳暂无本行网点，离您最近的是成都的网点：")
    assert listed and all(branch.city == "成都" for branch in listed)
    text, listed = search_reply(directory, "拉萨", None)
    assert "拉萨暂无本行网点" in text and "手机银行" in text and not listed
