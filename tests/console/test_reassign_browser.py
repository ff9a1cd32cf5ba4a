"""Reassigning in a real headless Chromium: an agent claims a ticket and stays silent past the (seconds-short)
limit; the supervisor's live view marks it overdue and the supervisor gives it to a colleague."""

from __future__ import annotations

from playwright.sync_api import Browser, expect

from bot.core.db import session_factory
from bot.handoff.roles import AGENT, SUPERVISOR
from bot.handoff.tickets import TicketService
from tests.console.conftest import Console
from tests.console.pages import PASSWORD, Logins, new_account
from tests.support.console_client import ConsoleAgent


def test_a_supervisor_reassigns_a_silent_agents_ticket_in_the_browser(browser: Browser, console: Console) -> None:
    slow = ConsoleAgent(console.url, new_account(console.database_url, "小慢", AGENT), PASSWORD)
    helper = ConsoleAgent(console.url, new_account(console.database_url, "小快", AGENT), PASSWORD)
    with session_factory(console.database_url)() as session:
        ticket = TicketService(session).leave_message("web-reassign", "web", "请回电话", None, {}).id
    assert slow.post(f"/api/tickets/{ticket}/claim").status_code == 200

    logins = Logins(browser, console.url)
    page = logins.open(new_account(console.database_url, "赵主管", SUPERVISOR))
    page.goto(f"{console.url}/supervisor")
    slow_card = page.locator(f"#live-agents .agent-card[data-agent='{slow.me['id']}']")
    expect(slow_card.locator(f"li[data-ticket='{ticket}']")).to_contain_text("未回复")
    overdue = slow_card.locator(f"li.overdue[data-ticket='{ticket}']")
    expect(overdue).to_be_visible()  # after 2 s without a reply
    overdue.locator("select").select_option(str(helper.me["id"]))
    overdue.locator("button", has_text="改派").click()
    helper_card = page.locator(f"#live-agents .agent-card[data-agent='{helper.me['id']}']")
    expect(helper_card.locator(f"li[data-ticket='{ticket}']")).to_be_visible()
    expect(slow_card.locator(f"li[data-ticket='{ticket}']")).to_have_count(0)
    assert [item["id"] for item in helper.state()["mine"]] == [ticket]
    logins.close()
