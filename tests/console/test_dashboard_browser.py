"""The supervisor's dashboard in a real headless Chromium, against the real bot: conversations just played show up
without a reload, ECharts draws its charts, the date filter changes the figures and the CSV downloads."""

from __future__ import annotations

import csv
import io
import re
import uuid
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from bot.analytics.broker import AnalyticsEventBroker
from bot.devtools.shell import ChatSession
from bot.handoff.roles import SUPERVISOR
from bot.runtime.serve import ServerPorts
from tests.console.pages import Logins, new_account

PAST_DAY = date.today() - timedelta(days=200)
NUMBER = re.compile(r"^\d+$")


@pytest.fixture
def supervisor_page(browser: Browser, servers: ServerPorts, database_url: str) -> Iterator[Page]:
    logins = Logins(browser, servers.console_url)
    page = logins.open(new_account(database_url, "王主管", SUPERVISOR))
    page.goto(f"{servers.console_url}/ops")
    expect(page.locator("#kpi-conversations")).to_have_text(NUMBER)
    yield page
    logins.close()


def conversations_shown(page: Page) -> int:
    return int(page.locator("#kpi-conversations").inner_text())


def publish_past_conversations(database_url: str) -> None:
    """Three conversations on a day long ago, one handed over, as Rasa's event broker hands them over."""
    broker = AnalyticsEventBroker(database_url)
    noon = datetime.combine(PAST_DAY, datetime.min.time()) + timedelta(hours=12)
    for number, handoff in enumerate((False, False, True)):
        sender, stamp = f"past-{uuid.uuid4().hex}", (noon + timedelta(minutes=number)).timestamp()
        broker.publish({"event": "user", "sender_id": sender, "timestamp": stamp, "input_channel": "web",
                        "parse_data": {"intent": {"name": "faq", "confidence": 0.9}}})
        broker.publish({"event": "bot", "sender_id": sender, "timestamp": stamp + 1,
                        "metadata": {"faq_outcome": "answer", "faq_id": "card-001"}})
        if handoff:
            broker.publish({"event": "action", "sender_id": sender, "timestamp": stamp + 2, "name": "action_handoff"})


def test_supervisor_dashboard_in_the_browser(supervisor_page: Page, servers: ServerPorts, database_url: str) -> None:
    page = supervisor_page
    before = conversations_shown(page)
    page.evaluate("window.notReloaded = true")
    for question in ("信用卡丢了怎么办", "境外取现手续费多少"):
        ChatSession(servers.rasa_url, sender=f"web-{uuid.uuid4().hex[:12]}", channel="web").send(question)
    expect(page.locator("#kpi-conversations")).to_have_text(str(before + 2), timeout=30_000)
    assert page.evaluate("window.notReloaded") is True
    expect(page.locator("#chart-days canvas")).to_have_count(1)
    expect(page.locator("#chart-entries canvas")).to_have_count(1)
    assert page.locator("#channel option[value=web]").count() == 1

    publish_past_conversations(database_url)
    page.fill("#from", PAST_DAY.isoformat())
    page.fill("#to", PAST_DAY.isoformat())
    page.click("#filters button[type=submit]")
    expect(page.locator("#kpi-conversations")).to_have_text("3")
    expect(page.locator("#kpi-handoff")).to_have_text("33.3%")
    expect(page.locator("#kpi-containment")).to_have_text("66.7%")
    expect(page).to_have_url(f"{servers.console_url}/ops?from={PAST_DAY.isoformat()}&to={PAST_DAY.isoformat()}")

    with page.expect_download() as download:
        page.click("#csv")
    assert download.value.suggested_filename == f"kefu-dashboard-{PAST_DAY.isoformat()}-{PAST_DAY.isoformat()}.csv"
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    assert rows[1][:5] == ["合计", f"{PAST_DAY.isoformat()}~{PAST_DAY.isoformat()}", "3", "0.6667", "0.3333"]
