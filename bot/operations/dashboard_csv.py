"""The dashboard's figures (as `bot.operations.dashboard.summary` shapes them) as one CSV table for spreadsheets."""

from __future__ import annotations

import csv
import io
from typing import Any

HEADER = ("维度", "取值", "会话数", "机器人独立解决率", "转人工率", "无答案率", "澄清率", "人工会话数",
              "满意度均分", "首次响应(秒)", "处理时长(秒)", "命中次数")


def as_csv(figures: dict[str, Any], label: str) -> str:
    """The dashboard as one CSV table (UTF-8 with BOM, so spreadsheets read the Chinese): the period (`label`),
    each day, each channel, each agent, then every entry with its hits (cold entries with 0)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    rows = [("合计", label, figures), *(("日期", day["date"], day) for day in figures["by_day"]),
            *(("渠道", name, group) for name, group in figures["by_channel"].items())]
    for dimension, value, group in rows:
        writer.writerow([dimension, value, *_figures(group), ""])
    for agent in figures["agents"]:
        writer.writerow(["客服", agent["name"], "", "", "", "", "", agent["tickets"], *_optional(agent), ""])
    for entry in [*figures["top_entries"], *figures["cold_entries"]]:
        writer.writerow(["问答", f"{entry['id']} {entry['question']}", *[""] * 9, entry.get("hits", 0)])
    return "\ufeff" + out.getvalue()


def _figures(group: dict[str, Any]) -> list[Any]:
    return [group["conversations"], group["containment_rate"], group["handoff_rate"], group["no_answer_rate"],
            group["clarify_rate"], group["tickets"], *_optional(group)]


def _optional(group: dict[str, Any]) -> list[Any]:
    return ["" if group[key] is None else group[key] for key in ("csat_avg", "first_response_s", "handling_s")]
