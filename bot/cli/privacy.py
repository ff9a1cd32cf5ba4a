"""`kefu privacy`: purging records past their retention, and serving a customer's export or erasure request."""

from __future__ import annotations

import argparse
import json
import logging
import os
from pathlib import Path

from sqlalchemy import select

from bot.accounts.models import Customer
from bot.core.clock import system_clock
from bot.core.db import get_engine, session_factory
from bot.core.masking import mask_phone
from bot.core.settings import EMBEDDED, SCALED, Settings
from bot.db.migrate import upgrade
from bot.lifecycle.erasure import ERASED_NAME, KEPT_BECAUSE, OpenTicketError, erase_customer
from bot.lifecycle.export import UnknownCustomerError, export_customer
from bot.lifecycle.retention import KindPurge, PurgeReport, Retention, purge
from bot.lifecycle.schedule import repeat
from bot.lifecycle.stores import Stores, profile_stores
from bot.privacy.cli_reads import record_cli_read

logger = logging.getLogger("kefu.privacy")
KINDS = {
    "conversations": "会话记录", "tickets": "人工工单", "analytics": "统计事件", "sms_outbox": "短信发件箱",
    "identity_challenges": "验证码记录", "agent_sessions": "客服登录会话", "channel_bindings": "微信绑定",
    "login_failures": "客服登录失败记录",
}
TABLES = {
    "conversations": "个会话", "events": "条会话事件", "verifications": "条身份核验记录", "tickets": "张工单",
    "agent_messages": "条客服消息", "conversation_events": "条统计事件", "sms_outbox": "条短信",
    "identity_challenges": "条验证码记录", "agent_sessions": "个客服登录会话", "channel_bindings": "个渠道绑定",
    "customers": "位客户资料", "cards": "张银行卡", "accounts": "个账户", "transactions": "笔交易",
    "credit_card_bills": "期信用卡账单", "card_loss_reports": "条挂失记录", "policies": "份保单", "claims": "件理赔",
    "audit_log": "条访问审计记录", "agent_login_failures": "条登录失败记录",
}


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `privacy` command group."""
    privacy = subparsers.add_parser("privacy", help="个人信息：按保存期限清理，客户的查询复制与删除请求")
    commands = privacy.add_subparsers(dest="privacy_command", required=True)
    purge_command = commands.add_parser("purge", help="删除超过保存期限的记录（KEFU_RETENTION_DAYS_*）")
    purge_command.add_argument("--dry-run", action="store_true", help="只统计将删除的记录，不删除")
    purge_command.add_argument("--json", action="store_true", help="输出一个 JSON 对象")
    purge_command.add_argument("--daily", action="store_true", help="现在清理一次，之后每天一次（kefu run 使用）")
    purge_command.set_defaults(handler=_purge)
    export = commands.add_parser("export", help="导出一位客户的全部数据（JSON 文件）")
    export.add_argument("--out", type=Path, default=None, help="输出文件（默认 customer-<编号>-export.json）")
    export.set_defaults(handler=_export)
    erase = commands.add_parser("erase", help="删除或匿名化一位客户的个人信息（依法须保留的记录除外）")
    erase.add_argument("--yes", action="store_true", help="确认执行；不加时只列出将删除与保留的内容")
    erase.set_defaults(handler=_erase)
    for command in (export, erase):
        who = command.add_mutually_exclusive_group(required=True)
        who.add_argument("--customer", type=int, help="客户编号")
        who.add_argument("--phone", help="客户手机号（代替客户编号）")
    for command in (purge_command, export, erase):
        command.add_argument("--profile", choices=[EMBEDDED, SCALED], default=EMBEDDED,
                             help="会话存储所在：embedded（默认）或 scaled（KEFU_TRACKER_DB）")


def _stores(args: argparse.Namespace) -> tuple[Settings, Stores]:
    settings = Settings.from_environ(profile=args.profile)
    stores = profile_stores(settings, args.profile)
    upgrade(stores.database_url)
    return settings, stores


def _counts(counts: dict[str, int]) -> str:
    """「3 个会话、40 条会话事件」, leaving out what is zero."""
    return "、".join(f"{rows} {TABLES[table]}" for table, rows in counts.items() if rows)


def _kept(kind: KindPurge) -> str:
    """How long the kind is kept, e.g. 「保留 180 天」."""
    if kind.kind == "channel_bindings":
        return f"绑定 {kind.days} 天后失效"
    if kind.kind == "login_failures":
        return f"{kind.minutes} 分钟后不再计入登录锁定"
    return f"保留 {kind.days} 天"


def _kind_line(kind: KindPurge, dry_run: bool) -> str:
    """One kind's outcome, e.g. 「会话记录（保留 180 天，早于 2026-06-05 00:00）：删除 3 个会话、…」."""
    if kind.cutoff is None:
        return f"{KINDS[kind.kind]}：永久保留（保存期限为 0）"
    counts = _counts(kind.removed)
    outcome = f"{'将删除' if dry_run else '删除'} {counts}" if counts else "没有过期记录"
    return f"{KINDS[kind.kind]}（{_kept(kind)}，早于 {kind.cutoff:%Y-%m-%d %H:%M}）：{outcome}"


def _print_report(report: PurgeReport, as_json: bool) -> None:
    if as_json:
        print(json.dumps(report.as_dict(), ensure_ascii=False))
        return
    print(f"{'试运行，未删除任何记录' if report.dry_run else '清理完成'}（{report.now:%Y-%m-%d %H:%M}）；"
          "未结工单和未结理赔的相关记录一律保留")
    for kind in report.kinds:
        print(f"  {_kind_line(kind, report.dry_run)}")


def _purge(args: argparse.Namespace) -> int:
    settings, stores = _stores(args)
    retention = Retention.from_settings(settings)
    if not args.daily:
        _print_report(purge(stores, retention, system_clock(), args.dry_run), args.json)
        return 0
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")

    def daily() -> None:
        report = purge(stores, retention, system_clock(), args.dry_run)
        for kind in report.kinds:
            logger.info("%s", _kind_line(kind, report.dry_run))

    repeat(daily)
    return 0


def _customer_id(args: argparse.Namespace, stores: Stores) -> int | None:
    """The customer of `--customer`, or of `--phone` (None, with a message, when nobody has that phone)."""
    if args.phone is None:
        return args.customer
    with session_factory(stores.database_url)() as session:
        found = session.scalar(select(Customer.id).where(Customer.phone == args.phone.strip()))
    if found is None:
        print(f"没有手机号为 {mask_phone(args.phone.strip())} 的客户")
    return found


def _write_private(path: Path, text: str) -> None:
    """Write `text` to a file only its owner can read (it holds personal data)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(text)


def _export(args: argparse.Namespace) -> int:
    _, stores = _stores(args)
    customer = _customer_id(args, stores)
    if customer is None:
        return 1
    try:
        data = export_customer(stores, customer, system_clock())
    except UnknownCustomerError:
        print(f"没有编号为 {customer} 的客户")
        return 1
    out = args.out or Path(f"customer-{customer}-export.json")
    record_cli_read(get_engine(stores.database_url), "kefu privacy export", "data_export", [customer],
                    [section for section, value in data.items() if value and section != "exported_at"])
    _write_private(out, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    print(f"已导出客户 {customer} 的数据到 {out}：{len(data['conversations'])} 个会话、"
          f"{len(data['tickets'])} 张工单、{len(data['claims'])} 件理赔、{len(data['audit_log'])} 条访问审计记录")
    print("文件含个人信息，请通过安全渠道交付客户，交付后删除本地副本。")
    return 0


def _erase(args: argparse.Namespace) -> int:
    _, stores = _stores(args)
    customer = _customer_id(args, stores)
    if customer is None:
        return 1
    try:
        erasure = erase_customer(stores, customer, apply=args.yes)
    except UnknownCustomerError:
        print(f"没有编号为 {customer} 的客户")
        return 1
    except OpenTicketError:
        print(f"客户 {customer} 有未结束的人工工单，请先结束工单再删除")
        return 1
    if args.yes:
        record_cli_read(get_engine(stores.database_url), "kefu privacy erase", "data_erasure", [customer],
                        [table for table, rows in erasure.removed.items() if rows])
    head = "已删除" if args.yes else "将删除（未执行；确认后加 --yes 重新运行）"
    print(f"客户 {customer}：{head}：{_counts(erasure.removed) or '无'}")
    print(f"{'已' if args.yes else '将'}匿名化：客户资料（姓名改为「{ERASED_NAME}」，手机号、证件号清除）、"
          f"{erasure.anonymised['tickets']} 张工单（删除摘要、留言，解除与会话的关联）")
    print("依法保留：")
    for table, rows in erasure.kept.items():
        if rows:
                print(f"  {rows} {TABLES[table]}——{KEPT_BECAUSE[table]}")
    return 0
