"""`kefu analytics report [--json] [--days N]`: the service team's figures from the application database."""

from __future__ import annotations

import argparse
import json

from bot.core.db import database_session
from bot.db.migrate import upgrade
from bot.operations.report import build_report


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `analytics` command group."""
    analytics = subparsers.add_parser("analytics", help="运营数据：会话量、解决率、转人工率、无答案率、满意度")
    commands = analytics.add_subparsers(dest="analytics_command", required=True)
    report = commands.add_parser("report", help="运营报表（读取 DATABASE_URL）")
    report.add_argument("--json", action="store_true", help="输出一个 JSON 对象（供其他工具读取）")
    report.add_argument("--days", type=int, default=None, help="只统计最近 N 天（含今天；默认全部）")
    report.set_defaults(handler=_report)


def _report(args: argparse.Namespace) -> int:
    if args.days is not None and args.days < 1:
        print("--days 应为正整数")
        return 2
    upgrade()
    with database_session() as session:
        report = build_report(session, args.days)
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
        return 0
    print(f"会话 {report['conversations']} 个；机器人独立解决率 {report['containment_rate']:.1%}，"
          f"转人工率 {report['handoff_rate']:.1%}")
    print(f"知识库回复中：未找到答案 {report['no_answer_rate']:.1%}，需要澄清 {report['clarify_rate']:.1%}")
    csat = "暂无评价" if report["csat_avg"] is None else f"{report['csat_avg']} 分（5 分制）"
    print(f"满意度 {csat}")
    for entry in report["top_entries"]:
        print(f"  {entry['hits']:>5}  {entry['id']}  {entry['question']}")
    print(f"从未命中的问答 {len(report['cold_entries'])} 条")
    return 0
