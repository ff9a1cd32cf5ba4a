"""The dashboard over HTTP on a running console: only supervisors see it; its JSON and CSV carry the events
written through the real analytics path (the embedded event broker), filtered by date and channel."""

from __future__ import annotations

import csv
import io
import secrets
import uuid
from datetime import date, datetime, timedelta

import pytest
import requests

from bot.analytics.broker import AnalyticsEventBroker
from bot.core.db import session_factory
from bot.handoff.agents import AgentService
from bot.handoff.roles import AGENT, APPROVER, EDITOR, SUPERVISOR
from tests.console.conftest import Console

PASSWORD = "console-pass-1"
DAY = date.today() - timedelta(days=40)


def logged_in(console: Console, role: str) -> requests.Session:
    """A browser-like session of a new account with `role`."""
    username = f"{role}-{secrets.token_hex(4)}"
    with session_factory(console.database_url)() as session:
        AgentService(session).add(username, "小周", PASSWORD, role=role)
    client = requests.Session()
    reply = client.post(f"{console.url}/login", data={"username": username, "password": PASSWORD},
                        allow_redirects=False, timeout=10)
    assert reply.status_code == 302 and reply.headers["Location"] != "/login?error=1"
    return client


def publish_conversation(console: Console, channel: str, when: datetime, outcome: str, handoff: bool) -> None:
    """One customer question and the bot's reply, as Rasa's event broker hands them over."""
    broker = AnalyticsEventBroker(console.database_url)
    sender, stamp = f"{channel}-{uuid.uuid4().hex}", when.timestamp()
    broker.publish({"event": "user", "sender_id": sender, "timestamp": stamp, "input_channel": channel,
                    "text": "信用卡丢了怎么办", "parse_data": {"intent": {"name": "faq", "confidence": 0.93}}})
    broker.publish({"event": "bot", "sender_id": sender, "timestamp": stamp + 1, "text": "……",
                    "metadata": {"faq_outcome": outcome, "faq_id": "card-001" if outcome == "answer" else None}})
    if handoff:
        broker.publish({"event": "action", "sender_id": sender, "timestamp": stamp + 2, "name": "action_handoff"})


@pytest.fixture(scope="module")
def played(console: Console) -> Console:
    """Three conversations on one day, 40 days ago: two on the web (one handed over), one on WeChat."""
    noon = datetime.combine(DAY, datetime.min.time()) + timedelta(hours=12)
    publish_conversation(console, "web", noon, "answer", handoff=False)
    publish_conversation(console, "web", noon + timedelta(minutes=5), "none", handoff=True)
    publish_conversation(console, "wechat", noon + timedelta(minutes=9), "clarify", handoff=False)
    return console


def dashboard(client: requests.Session, console: Console, path: str = "/api/ops/dashboard",
              **params: str) -> requests.Response:
    return client.get(f"{console.url}{path}", params=params, timeout=30)


@pytest.mark.parametrize("role", [AGENT, EDITOR, APPROVER])
def test_other_roles_get_403_everywhere(console: Console, role: str) -> None:
    client = logged_in(console, role)
    for path in ("/api/ops/dashboard", "/api/ops/dashboard.csv"):
        reply = dashboard(client, console, path)
        assert (reply.status_code, reply.json()["error"]) == (403, "您没有权限访问此页面")
    page = client.get(f"{console.url}/ops", allow_redirects=False, timeout=10)
    assert page.status_code == 403 and "您没有权限访问此页面" in page.text


def test_without_login_the_api_says_401_and_the_page_sends_to_login(console: Console) -> None:
    assert requests.get(f"{console.url}/api/ops/dashboard", timeout=10).status_code == 401
    assert requests.get(f"{console.url}/api/ops/dashboard.csv", timeout=10).status_code == 401
    page = requests.get(f"{console.url}/ops", allow_redirects=False, timeout=10)
    assert (page.status_code, page.headers["Location"]) == (302, "/login")


def test_a_supervisor_gets_the_page_and_the_chart_library(console: Console) -> None:
    client = logged_in(console, SUPERVISOR)
    page = client.get(f"{console.url}/ops", timeout=10)
    assert page.status_code == 200 and "运营看板" in page.text and "/vendor/echarts.min.js" in page.text
    script = requests.get(f"{console.url}/vendor/echarts.min.js", timeout=10)
    assert script.status_code == 200 and script.headers["Content-Type"].startswith("application/javascript")
    assert "echarts" in script.text[:2000].lower()


def test_a_supervisor_sees_the_figures_of_the_chosen_days(played: Console) -> None:
    client = logged_in(played, SUPERVISOR)
    reply = dashboard(client, played, **{"from": DAY.isoformat(), "to": DAY.isoformat()})
    assert reply.status_code == 200
    shown = reply.json()
    assert shown["period"] == {"from": DAY.isoformat(), "to": DAY.isoformat()}
    assert (shown["conversations"], shown["handoff_rate"], shown["no_answer_rate"], shown["clarify_rate"]) == (
        3, 0.3333, 0.3333, 0.3333)
    assert shown["channels"] == ["web", "wechat"]
    assert [(day["date"], day["conversations"]) for day in shown["by_day"]] == [(DAY.isoformat(), 3)]
    assert [(entry["id"], entry["hits"]) for entry in shown["top_entries"]] == [("card-001", 1)]
    week = dashboard(client, played, **{"from": (DAY - timedelta(days=3)).isoformat(), "to": DAY.isoformat()}).json()
    assert [day["conversations"] for day in week["by_day"]] == [0, 0, 0, 3]
    before = dashboard(client, played, **{"from": (DAY - timedelta(days=3)).isoformat(),
                                          "to": (DAY - timedelta(days=1)).isoformat()}).json()
    assert before["conversations"] == 0


def test_the_channel_filter(played: Console) -> None:
    client = logged_in(played, SUPERVISOR)
    web = dashboard(client, played, **{"from": DAY.isoformat(), "to": DAY.isoformat(), "channel": "web"}).json()
    assert (web["channel"], web["conversations"], web["handoff_rate"], web["clarify_rate"]) == ("web", 2, 0.5, 0.0)
    assert web["channels"] == ["web", "wechat"]


def test_by_default_the_last_seven_days(console: Console) -> None:
    shown = dashboard(logged_in(console, SUPERVISOR), console).json()
    today = date.today()
    assert shown["period"] == {"from": (today - timedelta(days=6)).isoformat(), "to": today.isoformat()}
    assert len(shown["by_day"]) == 7


@pytest.mark.parametrize(("params", "error"), [
    ({"from": "2026-13-01"}, "日期格式应为 YYYY-MM-DD"),
    ({"from": "2026-12-02", "to": "2026-12-01"}, "开始日期不能晚于结束日期"),
    ({"from": "2024-01-01", "to": "2026-01-01"}, "一次最多查询 366 天"),
])
def test_bad_filters_are_refused_in_chinese(console: Console, params: dict[str, str], error: str) -> None:
    client = logged_in(console, SUPERVISOR)
    for path in ("/api/ops/dashboard", "/api/ops/dashboard.csv"):
        reply = dashboard(client, console, path, **params)
        assert (reply.status_code, reply.json()["error"]) == (400, error)


def test_the_csv_download(played: Console) -> None:
    client = logged_in(played, SUPERVISOR)
    reply = dashboard(client, played, "/api/ops/dashboard.csv", **{"from": DAY.isoformat(), "to": DAY.isoformat()})
    assert reply.status_code == 200 and reply.headers["Content-Type"].startswith("text/csv")
    assert reply.headers["Content-Disposition"] == (
        f'attachment; filename="kefu-dashboard-{DAY.isoformat()}-{DAY.isoformat()}.csv"')
    text = reply.content.decode("utf-8-sig")
    rows = {(row[0], row[1]): row for row in csv.reader(io.StringIO(text))}
    assert rows[("合计", f"{DAY.isoformat()}~{DAY.isoformat()}")][2:5] == ["3", "0.6667", "0.3333"]
    assert rows[("渠道", "wechat")][2] == "1"
    web = dashboard(client, played, "/api/ops/dashboard.csv",
                    **{"from": DAY.isoformat(), "to": DAY.isoformat(), "channel": "web"})
    assert web.headers["Content-Disposition"].endswith(f'{DAY.isoformat()}-web.csv"')
    assert next(row for row in csv.reader(io.StringIO(web.content.decode("utf-8-sig"))) if row[0] == "合计")[2] == "2"
