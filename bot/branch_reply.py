"""Customer-facing text for branch searches."""

from __future__ import annotations

from collections.abc import Sequence

from bot.branches import Branch


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


def unknown_city_text(city: str, covered: Sequence[str]) -> str:
    """Re-ask politely for a city the directory does not cover."""
    return f"抱歉，暂时没有{city}的网点信息。目前可查询的城市有：{'、'.join(covered)}。请问您在哪个城市？"
