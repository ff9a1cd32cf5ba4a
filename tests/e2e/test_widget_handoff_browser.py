"""The whole handoff as people do it: a customer in the website widget, an agent in the console, both in Chromium."""

from __future__ import annotations

import secrets
import time

from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from bot.core.db import session_factory
from bot.handoff.agents import AgentService
from bot.handoff.models import Ticket
from bot.handoff.tickets import TicketService
from bot.runtime.serve import ServerPorts
from tests.channels.widget.test_browser import bot_says, new_page, send, start_conversation

PASSWORD = "console-pass-2"


def log_in_agent(browser: Browser, servers: ServerPorts, database_url: str, name: str) -> Page:
    username = f"e2e-{secrets.token_hex(4)}"
    with session_factory(database_url)() as session:
        AgentService(session).add(username, name, PASSWORD)
    page = new_page(browser, width=1400, height=900)
    page.goto(f"{servers.console_url}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("#me-name")).to_have_text(name)
    return page


def rating_of(database_url: str, conversation: str) -> int | None:
    deadline = time.monotonic() + 15
    while True:
        with session_factory(database_url)() as session:
            query = select(Ticket.rating).where(Ticket.conversation_id == conversation).order_by(Ticket.id.desc())
            rating = session.scalars(query).first()
        if rating is not None or time.monotonic() > deadline:
            return rating
        time.sleep(0.3)


def test_customer_and_agent_talk_live_then_the_bot_takes_over(
    browser: Browser, servers: ServerPorts, database_url: str
) -> None:
    console = log_in_agent(browser, servers, database_url, "小陈")
    widget = new_page(browser)
    try:
        conversation = start_conversation(widget, servers)
        send(widget, "转人工")
        expect(widget.locator(".kefu-status")).to_contain_text("正在为您转接人工客服，您前面还有")
        with session_factory(database_url)() as session:
            ticket = TicketService(session).open_ticket(conversation)
        item = console.locator(f"#queue li[data-ticket='{ticket.id}']")
        expect(item).to_be_visible(timeout=10_000)
        item.click()
        console.click("#claim-button")
        expect(widget.locator(".kefu-status")).to_have_text("客服 小陈 为您服务")

        greeting = "您好，我是小陈，请问有什么可以帮您？"
        console.fill("#reply-text", greeting)
        console.press("#reply-text", "Enter")
        expect(widget.locator(".kefu-row--agent .kefu-bubble").last).to_have_text(greeting)
        send(widget, "我想把信用卡额度调高一点")
        expect(console.locator("#transcript .line.customer .bubble").last).to_have_text("我想把信用卡额度调高一点")

        console.click("#handback-button")
        expect(widget.locator(".kefu-star")).to_have_count(5)
        widget.locator(".kefu-star").nth(4).click()
        assert rating_of(database_url, conversation) == 5
        send(widget, "信用卡怎么还款")
        bot_says(widget, "还款")
    finally:
        console.click("text=退出登录")
        console.context.close()
        widget.context.close()
