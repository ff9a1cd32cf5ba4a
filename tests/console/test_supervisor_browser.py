"""The supervisor's 质检 and the agent's assist in a real headless Chromium, against the real bot: the agent
pastes a suggested answer, says a forbidden phrase and closes; the supervisor finds the conversation in the
质检 queue with that line highlighted and marks it reviewed. Each role sees only its own pages."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from bot.core.db import session_factory
from bot.devtools.shell import ChatSession
from bot.handoff.roles import AGENT, EDITOR, SUPERVISOR
from bot.handoff.tickets import TicketService
from bot.runtime.serve import ServerPorts
from tests.console.pages import Logins, new_account

FORBIDDEN = "这款理财保证收益，您放心"


@pytest.fixture
def logins(browser: Browser, servers: ServerPorts) -> Iterator[Logins]:
    opened = Logins(browser, servers.console_url)
    yield opened
    opened.close()


def test_assist_then_a_forbidden_phrase_lands_in_the_quality_queue(
    logins: Logins, servers: ServerPorts, database_url: str
) -> None:
    url = servers.console_url
    agent = logins.open(new_account(database_url, "小周", AGENT))
    chat = ChatSession(servers.rasa_url, sender=f"web-{uuid.uuid4().hex[:12]}", channel="web")
    chat.send("转人工")
    with session_factory(database_url)() as session:
        ticket = TicketService(session).open_ticket(chat.sender).id
    agent.locator(f"#queue li[data-ticket='{ticket}']").click()
    agent.click("#claim-button")
    expect(agent.locator(f"#mine li[data-ticket='{ticket}']")).to_be_visible()
    expect(agent.locator("#assist")).to_be_visible()  # 「转人工」 is the customer's latest message so far

    chat.send("信用卡丢了怎么办")
    expect(agent.locator("#assist-for")).to_have_text("客户：信用卡丢了怎么办")
    suggestion = agent.locator("#assist-results li").first
    expect(suggestion).to_contain_text("挂失", timeout=30_000)  # the first search may wait for the index
    answer = suggestion.locator("p").text_content()
    suggestion.locator("button", has_text="填入回复").click()
    expect(agent.locator("#reply-text")).to_have_value(answer)
    agent.press("#reply-text", "Enter")
    expect(agent.locator("#transcript .line.agent .bubble").last).to_have_text(answer)
    agent.fill("#reply-text", FORBIDDEN)
    agent.press("#reply-text", "Enter")
    expect(agent.locator("#transcript .line.agent .bubble").last).to_have_text(FORBIDDEN)
    agent.click("#close-button")
    expect(agent.locator(f"#mine li[data-ticket='{ticket}']")).to_have_count(0)
    agent.goto(f"{url}/supervisor")
    expect(agent.locator("#forbidden")).to_have_text("您没有权限访问此页面")

    boss = logins.open(new_account(database_url, "赵主管", SUPERVISOR))
    boss.click("#ops-nav a[href='/supervisor']")
    expect(boss.locator("#me-name")).to_have_text("赵主管")  # the page's script has bound its tabs
    boss.click("#tab-quality")
    expect(boss.locator("#quality-panel")).to_be_visible()
    item = boss.locator(f"#reviews li[data-ticket='{ticket}']")
    expect(item).to_contain_text("禁用语")
    item.click()
    flagged = boss.locator("#review-lines .line.flagged")
    forbidden_line = flagged.filter(has_text=FORBIDDEN)
    expect(forbidden_line).to_have_count(1)
    expect(forbidden_line.locator(".flag-note")).to_have_text("禁用语：「保证收益」（违规承诺）（-30）")
    expect(boss.locator("#review-lines .line.customer", has_text="信用卡丢了怎么办")).not_to_have_class("flagged")
    boss.fill("#review-note", "已提醒，不得承诺收益")
    boss.click("#review-done")
    expect(item).to_have_count(0)
    boss.check("input[name=review-state][value='1']")
    expect(boss.locator(f"#reviews li[data-ticket='{ticket}']")).to_contain_text("已复核：已提醒，不得承诺收益")


def test_an_editor_sees_neither_tickets_nor_the_supervisor_page(
    logins: Logins, servers: ServerPorts, database_url: str
) -> None:
    editor = logins.open(new_account(database_url, "钱编辑", EDITOR))
    expect(editor.locator("#role-notice")).to_have_text("您的角色是「知识编辑」，不处理客户会话，请进入「知识库管理」。")
    expect(editor.locator("#layout")).to_be_hidden()
    expect(editor.locator("#ops-nav")).to_be_hidden()
    expect(editor.locator("#kb-nav a")).to_have_attribute("href", "/kb")
    editor.goto(f"{servers.console_url}/supervisor")
    expect(editor.locator("#forbidden")).to_have_text("您没有权限访问此页面")
