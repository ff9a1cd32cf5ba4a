"""Online backup of the embedded SQLite database while it is in use, restore into a fresh path, and the checks
that keep a foreign file from replacing the database."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from bot.db.backup import BackupError, backup, restore
from bot.db.migrate import upgrade
from bot.db.seed import seed_demo_customers


def table_rows(path: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(path) as connection:
        tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {table: sorted(connection.execute(f'SELECT * FROM "{table}"'), key=repr) for table in tables}


def test_backup_in_use_and_restore_into_a_fresh_path(tmp_path: Path) -> None:
    source = tmp_path / "kefu.db"
    seed_demo_customers(f"sqlite:///{source}")
    busy = sqlite3.connect(source, isolation_level=None)
    busy.execute("BEGIN IMMEDIATE")  # a writer in the middle of its transaction
    busy.execute("INSERT INTO sms_outbox (phone, text, created_at) VALUES ('13800000000', '未提交', ?)",
                 (datetime.now().isoformat(),))
    try:
        backup(f"sqlite:///{source}", tmp_path / "kefu.backup")
    finally:
        busy.execute("ROLLBACK")
        busy.close()
    restored = tmp_path / "fresh" / "restored.db"
    revision = restore(tmp_path / "kefu.backup", f"sqlite:///{restored}")
    rows = table_rows(restored)
    assert rows["alembic_version"] == [(revision,)]
    assert rows == table_rows(source)
    assert len(rows["customers"]) >= 5 and rows["sms_outbox"] == []


def test_restore_refuses_what_is_not_a_kefu_database(tmp_path: Path) -> None:
    target = tmp_path / "kefu.db"
    upgrade(f"sqlite:///{target}")
    before = table_rows(target)
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE notes (text TEXT)")
    text_file = tmp_path / "notes.txt"
    text_file.write_text("not a database " * 100, encoding="utf-8")
    refused = ((other, "不是 kefu 数据库"), (text_file, "不是 SQLite 数据库"), (tmp_path / "none.db", "找不到"))
    for bad, reason in refused:
        with pytest.raises(BackupError, match=reason):
            restore(bad, f"sqlite:///{target}")
    assert table_rows(target) == before
    with pytest.raises(BackupError, match="pg_dump"):
        backup("postgresql://postgres@127.0.0.1:5432/kefu", tmp_path / "pg.backup")
