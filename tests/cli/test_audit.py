"""`kefu audit show` and `kefu audit verify`, run as real processes on a real SQLite file."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from bot.core.db import create_db_engine
from bot.db.migrate import upgrade
from bot.privacy.audit import Access, append
from tests.cli.test_cli import kefu


def _database_with_reads(tmp_path: Path) -> Path:
    database = tmp_path / "kefu.db"
    upgrade(f"sqlite:///{database}")
    engine = create_db_engine(f"sqlite:///{database}")
    append(engine, Access("bot", "action_check_balance", "answer_customer", customer_id=1, conversation_id="c-1",
                          fields=("account.balance",)))
    append(engine, Access("agent", "xiaowang", "open_ticket", customer_id=2, ticket_id=5))
    append(engine, Access("bot", "action_check_policy", "answer_customer", customer_id=1, conversation_id="c-1",
                          fields=("policy.number",)))
    engine.dispose()
    return database


def test_show_lists_one_customers_entries_and_records_that_it_was_shown(tmp_path: Path) -> None:
    database = _database_with_reads(tmp_path)
    first = kefu("audit", "show", "--customer", "1", "--json", database=database)
    assert first.returncode == 0, first.stderr
    assert [(row["actor"], row["conversation_id"]) for row in json.loads(first.stdout)] == [
        ("action_check_balance", "c-1"), ("action_check_policy", "c-1"),
    ]
    second = kefu("audit", "show", "--customer", "1", database=database)
    assert second.returncode == 0, second.stderr
    lines = second.stdout.splitlines()
    assert len(lines) == 3 and "机器人 action_check_balance" in lines[0] and "会话 c-1" in lines[0]
    assert "命令行 kefu audit show" in lines[2] and "audit_review" in lines[2]


def test_verify_passes_then_fails_at_the_entry_altered_by_sql(tmp_path: Path) -> None:
    database = _database_with_reads(tmp_path)
    intact = kefu("audit", "verify", database=database)
    assert intact.returncode == 0, intact.stderr
    assert intact.stdout.strip() == "audit chain intact: 3 entries"
    with sqlite3.connect(database) as connection:
        connection.execute("DROP TRIGGER audit_log_no_update")
        connection.execute("UPDATE audit_log SET customer_id = 3 WHERE id = 2")
    broken = kefu("audit", "verify", database=database)
    assert broken.returncode == 1
    assert "entry 2" in broken.stdout
