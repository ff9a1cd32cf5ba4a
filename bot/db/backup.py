"""Backing up and restoring the embedded SQLite application database with sqlite3's online backup API:
a backup taken while the bot runs is a consistent snapshot; PostgreSQL uses pg_dump (docs/deployment.md)."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy.engine import make_url

from bot.db.migrate import alembic_config

KEFU_TABLES = ("alembic_version", "customers", "tickets", "faq_entries")
"""Tables every migrated kefu database has."""


class BackupError(ValueError):
    """The database or the file cannot be backed up or restored (the message says why, in Chinese)."""


def sqlite_file(url: str) -> Path:
    """The file of a SQLite URL; other databases are backed up with their own tools."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        raise BackupError("只支持内嵌的 SQLite 数据库；PostgreSQL 请用 pg_dump / pg_restore（见 docs/deployment.md）")
    return Path(parsed.database)


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def check_kefu_database(path: Path) -> str:
    """The migration revision of the kefu database in `path`, after checking its integrity and tables."""
    if not path.is_file():
        raise BackupError(f"找不到文件 {path}")
    try:
        with closing(_read_only(path)) as connection:
            if connection.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError(f"{path} 已损坏（integrity_check 未通过）")
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            missing = [table for table in KEFU_TABLES if table not in tables]
            if missing:
                raise BackupError(f"{path} 不是 kefu 数据库（缺少表 {'、'.join(missing)}）")
            revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} 不是 SQLite 数据库：{error}") from None
    if revision is None:
        raise BackupError(f"{path} 没有迁移版本")
    try:
        ScriptDirectory.from_config(alembic_config()).get_revision(revision[0])
    except CommandError:
        raise BackupError(f"{path} 的迁移版本 {revision[0]} 未知（可能来自更新版本的 kefu）") from None
    return revision[0]


def _copy(source: sqlite3.Connection, target: Path) -> None:
    with closing(sqlite3.connect(target)) as destination:
        source.backup(destination)


def backup(url: str, out: Path) -> str:
    """Write a consistent copy of the database at `url` to `out` (replaced only once complete); its revision."""
    source = sqlite_file(url)
    check_kefu_database(source)
    partial = out.with_name(out.name + ".partial")
    partial.unlink(missing_ok=True)
    with closing(_read_only(source)) as connection:
        _copy(connection, partial)
    revision = check_kefu_database(partial)
    partial.replace(out)
    return revision


def restore(backup_file: Path, url: str) -> str:
    """Replace the database at `url` with the kefu database in `backup_file`; its revision.

    The copy is one transaction on the target, but servers still running keep what they read before:
    stop `kefu run` first.
    """
    revision = check_kefu_database(backup_file)
    target = sqlite_file(url)
    target.parent.mkdir(parents=True, exist_ok=True)
    with closing(_read_only(backup_file)) as connection:
        _copy(connection, target)
    return revision
