"""`kefu audit show` and `kefu audit verify`, run as real processes on a real SQLite file, and every command
that reads customers' personal data leaving its entry in the audit log."""

from __future__ import annotations

import getpass
import json
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.accounts.identity import IdentityService
from bot.accounts.models import Customer, SmsOutbox
from bot.accounts.sms import OutboxSmsGateway
from bot.core.db import create_db_engine, session_factory
from bot.db.migrate import upgrade
from bot.db.seed import seed_demo_customers
from bot.privacy.audit import Access, append, verify_chain
from bot.privacy.audit_table import AuditEntry
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


def cli_entries(database: Path) -> list[tuple[str, str, int | None, list[str]]]:
    """(actor, purpose, customer, fields) of the command line's entries, in order."""
    with session_factory(f"sqlite:///{database}")() as session:
        assert verify_chain(session).intact
        rows = session.scalars(select(AuditEntry).where(AuditEntry.actor_kind == "cli").order_by(AuditEntry.id))
        return [(row.actor, row.purpose, row.customer_id, row.fields) for row in rows]


@pytest.mark.slow
def test_every_command_that_reads_customers_data_is_in_the_audit_log(tmp_path: Path) -> None:
    database = tmp_path / "kefu.db"
    url = f"sqlite:///{database}"
    seed_demo_customers(url)
    with session_factory(url)() as session:
        customers = dict(session.execute(select(Customer.phone, Customer.id)).all())
        service = IdentityService(session, OutboxSmsGateway(session))
        service.start("cli-1", "13812345678", "1234")
        service.start("cli-2", "13987654321", "4567")
        service.start("cli-3", "13812345678", "1234")
        session.add(SmsOutbox(phone="13000000000", text="测试短信", created_at=datetime.now()))
        session.commit()
    zhang, li = customers["13812345678"], customers["13987654321"]
    user = getpass.getuser()

    sms = kefu("db", "sms", database=database)
    assert sms.returncode == 0, sms.stderr
    assert len(sms.stdout.splitlines()) == 4
    fields = ["sms_outbox.phone", "sms_outbox.text"]
    assert cli_entries(database) == [
        (f"kefu db sms ({user})", "sms_outbox_review", zhang, fields),
        (f"kefu db sms ({user})", "sms_outbox_review", li, fields),
        (f"kefu db sms ({user})", "sms_outbox_review", None, fields),
    ]
    only_latest = kefu("db", "sms", "--limit", "1", database=database)
    assert only_latest.returncode == 0, only_latest.stderr
    assert cli_entries(database)[3:] == [(f"kefu db sms ({user})", "sms_outbox_review", None, fields)]

    assert kefu("db", "backup", str(tmp_path / "backup.db"), database=database).returncode == 0
    assert cli_entries(database)[4:] == [(f"kefu db backup ({user})", "backup", None, ["database"])]

    out = tmp_path / "export.json"
    assert kefu("privacy", "export", "--customer", str(li), "--out", str(out), database=database).returncode == 0
    actor, purpose, customer, exported = cli_entries(database)[5]
    assert (actor, purpose, customer) == (f"kefu privacy export ({user})", "data_export", li)
    assert {"customer", "cards", "accounts", "identity_challenges"} <= set(exported)

    assert kefu("audit", "show", "--customer", str(li), database=database).returncode == 0
    assert cli_entries(database)[6:] == [
        (f"kefu audit show ({user})", "audit_review", li, ["audit.actor", "audit.purpose", "audit.fields"])
    ]

    assert kefu("privacy", "erase", "--customer", str(li), database=database).returncode == 0  # plan only
    assert kefu("privacy", "purge", "--dry-run", database=database).returncode == 0  # counts only
    assert kefu("audit", "verify", database=database).returncode == 0  # counts only
    assert len(cli_entries(database)) == 7
    assert kefu("privacy", "erase", "--customer", str(li), "--yes", database=database).returncode == 0
    assert cli_entries(database)[7][:3] == (f"kefu privacy erase ({user})", "data_erasure", li)
