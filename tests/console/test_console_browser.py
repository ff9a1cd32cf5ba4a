"""The agent console in a real headless Chromium: log in, claim, reply, see the customer, close."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterator

import pytest
import requests
from playwright.sync_api import Browser, Page, expect

from bot.core.db import session_factory
from bot.devtools.shell import ChatSession
from bot.handoff.agents import AgentService
from bot.handoff.tickets import TicketService
from bot.runtime.serve import ServerPorts


@pytest.fixture
def agent_page(browser: Browser, servers: ServerPorts, database_url: str) -> Iterator[Page]:
    username, password = f"web-{secrets.token_hex(4)}", "console-pass-1"
    with session_factory(database_url)() as session:
        AgentService(session).add(username, "小周", password)
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{servers.console_url}/")
    expect(page).to_have_url(f"{servers.console_url}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "wrong-password")
    page.click("button[type=submit]")
    expect(page.locator("#login-error")).to_be_visible()
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    expect(page.locator("#me-name")).to_have_text("小周")
    yield page
    page.click("text=退出登录")
    context.close()


def test_agent_claims_replies_and_closes_in_the_browser(
    agent_page: Page, servers: ServerPorts, database_url: str, api_token: str
) -> None:
    page = agent_page
    chat = ChatSession(servers.rasa_url, sender=f"web-{uuid.uuid4().hex[:12]}", channel="web")
    chat.send("转人工")
    with session_factory(database_url)() as session:
        ticket = TicketService(session).open_ticket(chat.sender)
    item = page.locator(f"#queue li[data-ticket='{ticket.id}']")
    expect(item).to_be_visible(timeout=10_000)
    item.click()
    expect(page.locator("#transcript")).to_contain_text("转人工")
    page.click("#claim-button")
    expect(page.locator(f"#mine li[data-ticket='{ticket.id}']")).to_be_visible()

    page.locator("#quick-replies button", has_text="问候").click()
    expect(page.locator("#reply-text")).to_have_value("您好，很高兴为您服务，请问有什么可以帮您？")
    page.fill("#reply-text", "<b>您好</b>，我是小周")
    page.press("#reply-text", "Enter")
    expect(page.locator("#transcript .line.agent .bubble").last).to_have_text("<b>您好</b>，我是小周")

    chat.send("我想查一下上个月的账单")
    expect(page.locator("#transcript .line.customer .bubble").last).to_have_text("我想查一下上个月的账单")

    page.fill("#kb-query", "信用卡还款")
    page.click("#kb-form button")
    expect(page.locator("#kb-results li").first).to_contain_text("还款", timeout=15_000)

    page.click("#close-button")
    expect(page.locator(f"#mine li[data-ticket='{ticket.id}']")).to_have_count(0)
    events = requests.get(
        f"{servers.rasa_url}/conversations/{chat.sender}/tracker", params={"token": api_token}, timeout=10
    ).json()["events"]
    agent_lines = [e for e in events if e.get("event") == "bot" and (e.get("metadata") or {}).get("agent") == "小周"]
    assert [e["text"] for e in agent_lines] == ["<b>您好</b>，我是小周"]
