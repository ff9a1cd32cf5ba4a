"""`kefu db`: migrations, the knowledge base and demo data, the development SMS outbox, and backups of the
embedded SQLite database. Reading the outbox and taking a backup are recorded in the access audit log."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.accounts.sms import latest_outbox
from bot.content.files import ContentError, import_content
from bot.core.db import database_session
from bot.core.masking import mask_phone
from bot.core.paths import KNOWLEDGE_BASE_DIR
from bot.core.settings import current_settings
from bot.db.backup import BackupError, backup, restore
from bot.db.migrate import upgrade
from bot.db.seed import seed_demo_customers
from bot.handoff.demo import seed_demo_agents
from bot.privacy.cli_reads import customers_of_phones, record_cli_read

SMS_FIELDS = ("sms_outbox.phone", "sms_outbox.text")
BACKUP_FIELDS = ("database",)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `db` command group."""
    db = subparsers.add_parser("db", help="数据库：迁移与演示数据")
    commands = db.add_subparsers(dest="db_command", required=True)
    commands.add_parser("upgrade", help="执行数据库迁移到最新版本").set_defaults(handler=_upgrade)
    commands.add_parser("seed", help="迁移并导入知识库内容").set_defaults(handler=lambda _args: seed_database())
    sms = commands.add_parser("sms", help="查看开发环境短信发件箱（验证码）")
    sms.add_argument("--limit", type=int, default=5)
    sms.set_defaults(handler=_sms)
    backup_command = commands.add_parser("backup", help="在线备份内嵌 SQLite 数据库（运行中也一致）")
    backup_command.add_argument("out", type=Path, help="备份文件")
    backup_command.set_defaults(handler=_backup)
    restore_command = commands.add_parser("restore", help="从备份恢复内嵌 SQLite 数据库（请先停止 kefu run）")
    restore_command.add_argument("backup_file", type=Path, metavar="in", help="备份文件")
    restore_command.set_defaults(handler=_restore)
    for command in (backup_command, restore_command):
        command.add_argument("--url", default=None, help="数据库 URL（默认 DATABASE_URL）")


def seed_database() -> int:
    """Migrate, import the knowledge base and add missing demo customers and agents; 1 when the content is invalid."""
    try:
        content = import_content(KNOWLEDGE_BASE_DIR)
    except ContentError as error:
        print(error)
        return 1
    print(f"已导入 {len(content.entries)} 条问答和 {len(content.branches)} 个网点")
    print(f"新增演示客户 {seed_demo_customers()} 位、演示客服 {seed_demo_agents()} 位（见 README）")
    return 0


def _upgrade(_args: argparse.Namespace) -> int:
    upgrade()
    print("数据库已迁移到最新版本")
    return 0


def _sms(args: argparse.Namespace) -> int:
    messages = latest_outbox(args.limit)
    with database_session() as session:
        record_cli_read(session, "kefu db sms", "sms_outbox_review",
                        customers_of_phones(session, [message.phone for message in messages]), SMS_FIELDS)
    for message in messages:
        print(f"{message.created_at:%H:%M:%S} {mask_phone(message.phone)} {message.text}")
    return 0


def _backup(args: argparse.Namespace) -> int:
    try:
        revision = backup(args.url or current_settings().database_url, args.out)
    except BackupError as error:
        print(error)
        return 1
    with database_session() as session:
        record_cli_read(session, "kefu db backup", "backup", [None], BACKUP_FIELDS)
    print(f"已备份到 {args.out}（迁移版本 {revision}）")
    return 0


def _restore(args: argparse.Namespace) -> int:
    try:
        revision = restore(args.backup_file, args.url or current_settings().database_url)
    except BackupError as error:
        print(f"未恢复：{error}")
        return 1
    print(f"已从 {args.backup_file} 恢复（迁移版本 {revision}）；kefu run 启动时会迁移到最新版本")
    return 0
