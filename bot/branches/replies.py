"""Customer-facing text for branch searches."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.branches.directory import Branch, BranchDirectory
from bot.core.text import normalize

DETAIL_CUES = {
    "hours": re.compile(
        r"营业|开门|关门|几点|时间|周[一二三四五六日天末]|星期|礼拜|节假日|假期|过年|春节|国庆|下班|上班"
    ),
    "phone": re.compile(r"电话|号码|联系方式|怎么联系|打给"),
    "address": re.compile(r"地址|在哪|哪里|怎么走|位置|地铁|停车"),
}
# A request to find a branch (「我想找个网点办业务」, 「附近的网点在哪里」), not a question about branch services.
BRANCH_SEARCH = re.compile(
    r"(网点|营业厅|支行|分行|ATM|取款机).{0,6}(在哪|哪里|哪儿)|(附近|最近)的?.{0,3}(网点|ATM|银行|支行)"
    r"|找.{0,3}(网点|营业厅|支行|分行|营业部)|有(没有)?(你们|贵行|咱们)?的?(网点|营业厅|支行|分行|营业部|银行)(吗|嘛|么|没|不|[?？])"
    r"|(哪|哪里|哪儿)(有|能找到)(你们|贵行|咱们)?(家)?的?(网点|营业厅|支行|分行|营业部|ATM|取款机|银行(?![卡账]))"
)
DETAIL_LABELS = {"hours": "营业时间", "phone": "电话", "address": "地址"}
MAX_DETAIL_CHARS = 20


def branches_text(city: str | None, district: str | None, branches: Sequence[Branch]) -> str:
    """A numbered list of branches with address, phone, hours and services."""
    if not city or not branches:
        return "抱歉，暂时没有找到该地区的营业网点。您可以在手机银行APP「网点查询」中查看全部网点。"
    place = f"{city}{district or ''}"
    lines = [f"为您找到{place}附近的营业网点："]
    for number, branch in enumerate(branches, start=1):
        lines.append(f"{number}. {branch.name}")
        lines.append(f"   地址：{branch.address}")
        if branch.phone:
            lines.append(f"   电话：{branch.phone}")
        lines.append(f"   营业时间：{branch.hours}")
        if branch.services:
            lines.append(f"   服务：{'、'.join(branch.services)}")
    lines.append("大额取现（5万元以上）请提前一天预约。")
    return "\n".join(lines)


def search_reply(directory: BranchDirectory, city: str, district: str | None) -> tuple[str, list[Branch]]:
    """The reply to a branch search and the branches it lists.

    A city without branches gets those of the nearest covered city in its province, or the other ways
    to be served and the cities that have branches.
    """
    if city in directory.cities:
        found = directory.find(city, district)
        return branches_text(city, district, found), found
    nearest = directory.nearest_city(city)
    if nearest is None:
        return no_branch_text(city, directory.cities), []
    found = directory.find(nearest)
    listed = branches_text(nearest, None, found).split("\n", 1)[1]
    return f"{city}暂无本行网点，离您最近的是{nearest}的网点：\n{listed}", found


def no_branch_text(city: str, covered: Sequence[str]) -> str:
    """A city where the bank has no branch and none nearby: the other ways to be served."""
    return (
        f"抱歉，{city}暂无本行网点。大部分业务可以通过手机银行APP或拨打本行客服热线办理；"
        f"目前设有网点的城市有：{'、'.join(covered)}。"
    )


def unknown_city_text(city: str, covered: Sequence[str]) -> str:
    """Re-ask politely for a city the directory does not cover."""
    return f"抱歉，暂时没有{city}的网点信息。目前可查询的城市有：{'、'.join(covered)}。请问您在哪个城市？"


def asks_for_branches(text: str) -> bool:
    """Whether the message asks to find a branch."""
    return BRANCH_SEARCH.search(text) is not None


def asked_details(text: str) -> list[str]:
    """The branch details (hours, phone, address) a short follow-up such as 「周日营业吗」 asks about."""
    if len(text) > MAX_DETAIL_CHARS:
        return []
    clean = normalize(text)
    return [detail for detail, cue in DETAIL_CUES.items() if cue.search(clean)]


def _detail(branch: Branch, detail: str) -> str:
    return {"hours": branch.hours, "phone": branch.phone or "暂无", "address": branch.address}[detail]


def branch_details_text(branches: Sequence[Branch], details: Sequence[str]) -> str:
    """The asked details of the branches just listed, one line per branch."""
    labels = "、".join(DETAIL_LABELS[detail] for detail in details)
    lines = [f"刚才为您列出的网点{labels}如下："]
    for branch in branches:
        parts = "；".join(f"{DETAIL_LABELS[detail]}：{_detail(branch, detail)}" for detail in details)
        lines.append(f"· {branch.name}：{parts}")
    if "hours" in details:
        lines.append("节假日营业时间可能调整，请以网点公告为准。")
    return "\n".join(lines)
