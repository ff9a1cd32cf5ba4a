"""Console accounts of a role, logged in through the login page of a real Chromium, and logged out afterwards
(a console left logged in counts as an agent online for other tests)."""

from __future__ import annotations

import secrets

from playwright.sync_api import Browser, BrowserContext, Page, expect

from bot.core.db import session_factory
from bot.handoff.agents import AgentService

PASSWORD = "console-pass-1"


def new_account(database_url: str, name: str, role: str) -> str:
    """A new account of `role`; returns its username."""
    username = f"{role}-{secrets.token_hex(4)}"
    with session_factory(database_url)() as session:
        AgentService(session).add(username, name, PASSWORD, role)
    return username


class Logins:
    """Browser contexts logged into one console; `close()` logs each out and closes it."""

    def __init__(self, browser: Browser, console_url: str) -> None:
        self.browser = browser
        self.url = console_url
        self.contexts: list[BrowserContext] = []

    def open(self, username: str) -> Page:
        """A page of a fresh context, logged in as `username` and showing the console's start page."""
        context = self.browser.new_context()
        self.contexts.append(context)
        page = context.new_page()
        page.goto(f"{self.url}/login")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        expect(page).to_have_url(f"{self.url}/")
        expect(page.locator("#me-name")).not_to_be_empty()  # the page's script has started
        return page

    def close(self) -> None:
        """Log every context out and close it."""
        for context in self.contexts:
            context.request.post(f"{self.url}/logout")
            context.close()
