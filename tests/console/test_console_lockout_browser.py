"""The login lockout in a real headless Chromium: after repeated wrong passwords even the right one is
refused with a clear message in Chinese."""

from __future__ import annotations

import secrets

from playwright.sync_api import Browser, expect

from bot.core.db import session_factory
from bot.handoff.agents import AgentService
from tests.console.conftest import LOCKOUT_FAILURES, Console


def test_repeated_wrong_passwords_lock_the_login_in_the_browser(browser: Browser, console: Console) -> None:
    username, password = f"web-{secrets.token_hex(4)}", "console-pass-1"
    with session_factory(console.database_url)() as session:
        AgentService(session).add(username, "小周", password)
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{console.url}/login")
    for _ in range(LOCKOUT_FAILURES):
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", "wrong-password")
        page.click("button[type=submit]")
        expect(page.locator("#login-error")).to_be_visible()
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    expect(page.locator("#login-locked")).to_have_text("密码错误次数过多，登录已暂时锁定，请 15 分钟后再试。")
    expect(page.locator("#login-error")).to_be_hidden()
    expect(page).to_have_url(f"{console.url}/login?locked=15")
    context.close()
