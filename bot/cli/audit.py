"""`kefu audit verify` and `kefu audit show --customer ID [--json]`: the access audit log."""

from __future__ import annotations

import argparse
import json

from bot.core.db import database_session
from bot.db.migrate import upgrade
from bot.privacy.audit import as_dict, entries_for, verify_chain
from bot.privacy.cli_reads import record_cli_read

KINDS = {"bot": "机器人", "agent": "客服", "cli": "命令行"}
SHOWN_FIELDS = ("audit.actor", "audit.purpose", "audit.fields")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `audit` command group."""
    audit = subparsers.add_parser("audit", help="个人信息访问审计日志：校验哈希链、查看某位客户的访问记录")
    commands = audit.add_subparsers(dest="audit_command", required=True)
    commands.add_parser("verify", help="校验审计日志的哈希链是否完整（发现篡改时返回非零）").set_defaults(
        handler=_verify
    )
    show = commands.add_parser("show", help="列出某位客户的个人信息访问记录")
    show.add_argument("--customer", type=int, required=True, help="客户编号")
    show.add_argument("--json", action="store_true", help="输出一个 JSON 数组（供其他工具读取）")
    show.set_defaults(handler=_show)


def _verify(_args: argparse.Namespace) -> int:
    upgrade()
    with database_session() as session:
        check = verify_chain(session)
    if check.intact:
        print(f"audit chain intact: {check.entries} entries")
        return 0
    print(f"audit chain broken at entry {check.first_broken}: its content or link no longer matches its hash")
    return 1


def _show(args: argparse.Namespace) -> int:
    upgrade()
    with database_session() as session:
        rows = [as_dict(row) for row in entries_for(session, args.customer)]
        record_cli_read(session, "kefu audit show", "audit_review", [args.customer], SHOWN_FIELDS)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
        return 0
    if not rows:
        print(f"客户 {args.customer} 没有访问记录")
    for row in rows:
        where = " ".join(filter(None, [
            f"会话 {row['conversation_id']}" if row["conversation_id"] else "",
            f"工单 {row['ticket_id']}" if row["ticket_id"] else "",
        ]))
        print(f"{row['id']:>6}  {row['at']}Z  {KINDS[row['actor_kind']]} {row['actor']}  {row['purpose']}  "
              f"{where}  {','.join(row['fields'])}".rstrip())
    return 0
