"""`kefu privacy` and `kefu db backup/restore` run as real processes on a SQLite database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.accounts.models import ChannelBinding, Customer, SmsOutbox
from bot.core.db import session_factory
from bot.core.paths import PROJECT_ROOT
from bot.db.migrate import upgrade
from bot.db.seed import seed_demo_customers
from bot.handoff.models import LoginFailure
from tests.cli.test_cli import kefu


def old_sms(database: Path) -> int:
    """Migrate `database` and put one message older than the SMS retention in it; the outbox size."""
    url = f"sqlite:///{database}"
    upgrade(url)
    with session_factory(url)() as session, session.begin():
        session.add(SmsOutbox(phone="13800000000", text="验证码 123456",
                              created_at=datetime.now() - timedelta(days=31)))
    return outbox(database)


def outbox(database: Path) -> int:
    return count(database, SmsOutbox)


def count(database: Path, model: type) -> int:
    with session_factory(f"sqlite:///{database}")() as session:
        return session.scalar(select(func.count()).select_from(model))


def expired_binding_and_login_failure(database: Path) -> None:
    """A WeChat binding made 31 days ago (they last 30) and a wrong console password of an hour ago (the
    lockout counts them for 15 + 15 minutes)."""
    seed_demo_customers(f"sqlite:///{database}")
    with session_factory(f"sqlite:///{database}")() as session, session.begin():
        customer = session.scalars(select(Customer.id).where(Customer.phone == "13812345678")).one()
        session.add_all([
            ChannelBinding(channel="wechat", external_user_id="o-old", customer_id=customer,
                           verified_at=datetime.now() - timedelta(days=31)),
            LoginFailure(username="xiaowang", address="10.0.0.1", at=datetime.now() - timedelta(hours=1)),
        ])


@pytest.mark.slow
def test_purge_dry_run_then_purge(tmp_path: Path) -> None:
    database = tmp_path / "kefu.db"
    assert old_sms(database) == 1
    expired_binding_and_login_failure(database)
    dry = kefu("privacy", "purge", "--dry-run", "--json", database=database)
    assert dry.returncode == 0, dry.stderr
    kinds = {kind["kind"]: kind for kind in json.loads(dry.stdout)["kinds"]}
    assert kinds["sms_outbox"]["removed"] == {"sms_outbox": 1} and kinds["sms_outbox"]["days"] == 30
    assert kinds["channel_bindings"]["removed"] == {"channel_bindings": 1} and kinds["channel_bindings"]["days"] == 30
    assert kinds["login_failures"]["removed"] == {"agent_login_failures": 1}
    assert kinds["login_failures"]["minutes"] == 30
    text = kefu("privacy", "purge", "--dry-run", database=database)
    assert "微信绑定（绑定 30 天后失效" in text.stdout and "将删除 1 个渠道绑定" in text.stdout
    assert "客服登录失败记录（30 分钟后不再计入登录锁定" in text.stdout and "将删除 1 条登录失败记录" in text.stdout
    assert (outbox(database), count(database, ChannelBinding), count(database, LoginFailure)) == (1, 1, 1)
    result = kefu("privacy", "purge", database=database, env={"KEFU_RETENTION_DAYS_CONVERSATIONS": "7"})
    assert result.returncode == 0, result.stderr
    assert "短信发件箱（保留 30 天" in result.stdout and "删除 1 条短信" in result.stdout
    assert "会话记录（保留 7 天" in result.stdout
    assert "删除 1 个渠道绑定" in result.stdout and "删除 1 条登录失败记录" in result.stdout
    assert (outbox(database), count(database, ChannelBinding), count(database, LoginFailure)) == (0, 0, 0)


def test_daily_purge_runs_at_start(tmp_path: Path) -> None:
    database = tmp_path / "kefu.db"
    old_sms(database)
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli.main", "privacy", "purge", "--daily"], cwd=PROJECT_ROOT,
        env={**os.environ, "DATABASE_URL": f"sqlite:///{database}"}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(process.stdout), daemon=True)  # type: ignore[arg-type]
    reader.start()
    try:
        deadline = time.monotonic() + 60
        while not any("删除 1 条短信" in line for line in lines) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert outbox(database) == 0
        assert process.poll() is None  # still running, for the next day
    finally:
        process.terminate()
        process.wait(timeout=20)
    assert any("删除 1 条短信" in line for line in lines), lines


@pytest.mark.slow
def test_export_and_erase(tmp_path: Path) -> None:
    database = tmp_path / "kefu.db"
    seed_demo_customers(f"sqlite:///{database}")
    with session_factory(f"sqlite:///{database}")() as session:
        customer = session.scalars(select(Customer).where(Customer.phone == "13812345678")).one()
    out = tmp_path / "export.json"
    result = kefu("privacy", "export", "--customer", str(customer.id), "--out", str(out), database=database)
    assert result.returncode == 0, result.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["customer"]["phone"] == "13812345678"
    assert out.stat().st_mode & 0o077 == 0
    plan = kefu("privacy", "erase", "--phone", "13812345678", database=database)
    assert plan.returncode == 0 and "--yes" in plan.stdout
    erased = kefu("privacy", "erase", "--customer", str(customer.id), "--yes", database=database)
    assert erased.returncode == 0, erased.stderr
    assert "依法保留" in erased.stdout and "反洗钱法" in erased.stdout
    kefu("privacy", "export", "--customer", str(customer.id), "--out", str(out), database=database)
    after = json.loads(out.read_text(encoding="utf-8"))
    assert after["customer"]["name"] == "已注销客户"
    assert [entry["purpose"] for entry in after["audit_log"]] == ["data_export", "data_erasure"]
    assert kefu("privacy", "export", "--customer", "999999", database=database).returncode == 1
    assert kefu("privacy", "erase", "--phone", "13812345678", database=database).returncode == 1


@pytest.mark.slow
def test_db_backup_and_restore(tmp_path: Path) -> None:
    database = tmp_path / "kefu.db"
    seed_demo_customers(f"sqlite:///{database}")
    copy = tmp_path / "backup.db"
    result = kefu("db", "backup", str(copy), database=database)
    assert result.returncode == 0, result.stderr
    restored = tmp_path / "restored.db"
    result = kefu("db", "restore", str(copy), database=restored)
    assert result.returncode == 0, result.stderr
    with session_factory(f"sqlite:///{restored}")() as session:
        assert session.scalar(select(func.count()).select_from(Customer)) >= 5
    refused = kefu("db", "restore", str(tmp_path / "missing.db"), database=restored)
    assert refused.returncode == 1 and "未恢复" in refused.stdout
