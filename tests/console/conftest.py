"""A console process of its own (`kefu console`) on a private seeded database, with no Rasa behind it.

Three wrong passwords lock a login, and the console trusts one proxy's X-Forwarded-For (Sanic's
`SANIC_PROXIES_COUNT`), so that a test can log in from several client addresses. The 质检 limits are seconds
(`QUICK_RULES`).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import requests
from sqlalchemy import select

from bot.core.db import session_factory
from bot.core.paths import PROJECT_ROOT
from bot.db.seed import seed_demo_customers
from bot.privacy.audit_table import AuditEntry
from bot.runtime.serve import ServerPorts, wait_for
from tests.support.servers import free_port

LOCKOUT_FAILURES = 3
QUICK_RULES = """
forbidden_phrases: {deduction: 30, categories: {违规承诺: [保证收益, 稳赚]}}
greeting: {deduction: 10, phrases: [您好]}
first_response: {seconds: 1, deduction: 10}
customer_waiting: {seconds: 2, deduction: 10}
"""
"""质检 rules with short limits, so that a test sees an agent overdue (and may reassign) within seconds."""


@dataclass(frozen=True)
class Console:
    """The running console and its database."""

    url: str
    database_url: str

    def login(self, username: str, password: str, address: str | None = None) -> requests.Response:
        """Post the login form (from `address`, when given), without following the redirect."""
        headers = {"X-Forwarded-For": address} if address else {}
        return requests.post(
            f"{self.url}/login", data={"username": username, "password": password}, headers=headers,
            allow_redirects=False, timeout=10,
        )

    def audit(self, actor: str) -> list[AuditEntry]:
        """The audit entries of one actor, oldest first."""
        with session_factory(self.database_url)() as session:
            return list(session.scalars(select(AuditEntry).where(AuditEntry.actor == actor).order_by(AuditEntry.id)))


@pytest.fixture(scope="module")
def console(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Console]:
    folder = tmp_path_factory.mktemp("console")
    database_url = f"sqlite:///{folder / 'kefu.db'}"
    seed_demo_customers(database_url)
    rules = folder / "quality_rules.yml"
    rules.write_text(QUICK_RULES, encoding="utf-8")
    ports = ServerPorts(rasa=free_port(), actions=free_port(), console=free_port())
    env = {
        **os.environ, "DATABASE_URL": database_url, "RASA_URL": ports.rasa_url,
        "KEFU_LOGIN_LOCKOUT_FAILURES": str(LOCKOUT_FAILURES), "SANIC_PROXIES_COUNT": "1",
        "KEFU_QUALITY_RULES": str(rules),
    }
    with open(folder / "console.log", "w", encoding="utf-8") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot.cli.main", "console", "--host", ports.host, "--port", str(ports.console)],
            cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
        try:
            wait_for([f"{ports.console_url}/health"], [process], timeout=120)
            yield Console(ports.console_url, database_url)
        finally:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=60)
