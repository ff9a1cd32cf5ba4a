"""The website widget in real headless Chromium, against the live Rasa and action servers."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import requests
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from bot.accounts.identity_token import sign
from bot.accounts.models import Customer
from bot.core.db import session_factory
from bot.core.settings import current_settings
from bot.runtime.serve import ServerPorts
from tests.support.servers import free_port
from tests.support.widget import (
    GREETING,
    OPTIONS_QUESTION,
    faq_answer,
    push_bot_event,
)

XSS = '<img src=x onerror="window.__xss=1">'
RATING_BUTTONS = [
    {"title": title, "payload": f'/rate{{"rating":"{value}"}}'}
    for value, title in zip("54321", ["非常满意", "满意", "一般", "不满意", "非常不满意"], strict=True)
]
TYPING_WATCH = """() => {
  window.__typingSeen = false;
  const typing = document.querySelector('.kefu-typing');
  new MutationObserver(() => { if (!typing.hidden) window.__typingSeen = true; })
    .observe(typing, {attributes: true});
}"""


def new_page(browser: Browser, width: int = 1280, height: int = 800) -> Page:
    """A page in a fresh profile (empty localStorage); script errors fail the test."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    page.on("pageerror", lambda error: pytest.fail(f"script error on the page: {error}"))
    return page


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A desktop-sized page."""
    page = new_page(browser)
    yield page
    page.context.close()


def open_demo(page: Page, servers: ServerPorts) -> None:
    """Load the demo bank page and open the chat panel."""
    page.goto(f"{servers.rasa_url}/webhooks/widget/demo")
    open_panel(page)


def open_panel(page: Page) -> None:
    page.get_by_role("button", name="打开在线客服").click()
    expect(page.locator(".kefu-panel")).to_be_visible()
    expect(page.locator(".kefu-connection")).to_be_hidden(timeout=15000)


def send(page: Page, text: str) -> None:
    """Type a message and press 发送."""
    page.get_by_placeholder("请输入您的问题").fill(text)
    page.get_by_role("button", name="发送", exact=True).click()


def bot_says(page: Page, text: str) -> None:
    """Wait until a bot or agent bubble contains `text`."""
    expect(page.locator(".kefu-row--bot .kefu-bubble, .kefu-row--agent .kefu-bubble").filter(has_text=text).last)\
        .to_be_visible(timeout=30000)


def bubbles(page: Page) -> list[str]:
    """Every message bubble's text, in page order."""
    return page.locator(".kefu-row .kefu-bubble").all_inner_texts()


def session_id(page: Page) -> str:
    stored = page.evaluate("() => localStorage.getItem('kefu-widget:session')")
    return str(json.loads(stored)["id"])


def start_conversation(page: Page, servers: ServerPorts) -> str:
    """Open the demo, greet the bot and return the conversation id."""
    open_demo(page, servers)
    send(page, "你好")
    bot_says(page, GREETING)
    return session_id(page)


def last_user_text(servers: ServerPorts, api_token: str, conversation: str, expected: str) -> str | None:
    """The conversation's latest user message, waiting up to 15 s for it to become `expected`."""
    deadline = time.monotonic() + 15
    while True:
        response = requests.get(
            f"{servers.rasa_url}/conversations/{conversation}/tracker", params={"token": api_token}, timeout=30
        )
        response.raise_for_status()
        texts = [event.get("text") for event in response.json()["events"] if event["event"] == "user"]
        latest = texts[-1] if texts else None
        if latest == expected or time.monotonic() > deadline:
            return latest
        time.sleep(0.3)


def test_demo_page_launcher_opens_panel_and_bot_greets(page: Page, servers: ServerPorts) -> None:
    page.goto(f"{servers.rasa_url}/webhooks/widget/demo")
    expect(page).to_have_title("示例银行 - 个人网上银行")
    expect(page.locator(".kefu-panel")).to_be_hidden()
    open_panel(page)
    expect(page.locator(".kefu-title")).to_have_text("在线客服")
    page.evaluate(TYPING_WATCH)
    send(page, "你好")
    expect(page.locator(".kefu-row--user .kefu-bubble")).to_have_text(["你好"])
    bot_says(page, GREETING)
    expect(page.locator(".kefu-typing")).to_be_hidden()
    assert page.evaluate("() => window.__typingSeen") is True
    expect(page.locator(".kefu-row--bot .kefu-sender").first).to_have_text("智能客服小金")


def test_empty_message_is_not_sent(page: Page, servers: ServerPorts) -> None:
    open_demo(page, servers)
    send(page, "   ")
    page.get_by_placeholder("请输入您的问题").press("Enter")
    page.wait_for_timeout(1000)
    assert bubbles(page) == []


def test_quick_reply_sends_its_payload_and_shows_its_title(page: Page, servers: ServerPorts) -> None:
    open_demo(page, servers)
    send(page, OPTIONS_QUESTION)
    expect(page.locator(".kefu-quick-reply").first).to_be_visible(timeout=30000)
    button = page.locator(".kefu-quick-reply").first
    title = button.inner_text()
    button.click()
    expect(page.locator(".kefu-row--user .kefu-bubble").last).to_have_text(title)
    bot_says(page, faq_answer(title)[:20])
    assert bubbles(page)[-1] == faq_answer(title)


def test_reload_restores_the_conversation_in_order(page: Page, servers: ServerPorts) -> None:
    conversation = start_conversation(page, servers)
    send(page, OPTIONS_QUESTION)
    expect(page.locator(".kefu-quick-reply").first).to_be_visible(timeout=30000)
    title = page.locator(".kefu-quick-reply").first.inner_text()
    page.locator(".kefu-quick-reply").first.click()
    bot_says(page, faq_answer(title)[:20])
    before = bubbles(page)
    assert len(before) == 6

    page.reload()
    open_panel(page)
    expect(page.locator(".kefu-row .kefu-bubble")).to_have_count(len(before))
    assert bubbles(page) == before
    assert session_id(page) == conversation


def test_agent_message_appears_live_with_the_agents_name(page: Page, servers: ServerPorts, api_token: str) -> None:
    conversation = start_conversation(page, servers)
    agent_message = {
        "text": "您好，我是客服小王。\n详情请见 https://bank.example/help?id=1。",
        "metadata": {"agent": "小王", "message_id": "msg-1"},
    }
    push_bot_event(servers.rasa_url, api_token, conversation, agent_message)
    row = page.locator(".kefu-row--agent")
    expect(row).to_have_count(1)
    expect(row.locator(".kefu-sender")).to_have_text("人工客服 小王")
    expect(row.locator(".kefu-bubble")).to_have_text(agent_message["text"])
    link = row.locator("a")
    expect(link).to_have_attribute("href", "https://bank.example/help?id=1")
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_have_attribute("rel", "noopener noreferrer")

    push_bot_event(servers.rasa_url, api_token, conversation, agent_message)  # same message_id again
    follow_up = {"text": "还有其他问题吗？", "metadata": {"agent": "小王"}}
    push_bot_event(servers.rasa_url, api_token, conversation, follow_up)
    expect(row).to_have_count(2)


def test_handoff_status_bar_follows_pushed_events(page: Page, servers: ServerPorts, api_token: str) -> None:
    conversation = start_conversation(page, servers)
    status = page.locator(".kefu-status")
    expect(status).to_be_hidden()

    def push_handoff(handoff: dict[str, Any]) -> None:
        push_bot_event(servers.rasa_url, api_token, conversation, {"data": {"custom": {"handoff": handoff}}})

    push_handoff({"status": "queued", "position": 2})
    expect(status).to_have_text("正在为您转接人工客服，您前面还有 2 位")
    page.evaluate(TYPING_WATCH)
    send(page, "请问还要等多久")
    page.wait_for_timeout(500)
    assert page.evaluate("() => window.__typingSeen") is False

    push_handoff({"status": "assigned", "agent": "小王"})
    expect(status).to_have_text("客服 小王 为您服务")
    push_handoff({"status": "message"})
    expect(status).to_contain_text("留言")
    push_handoff({"status": "ended"})
    expect(status).to_have_text("人工服务已结束")


def test_rating_request_sends_the_chosen_score_once(page: Page, servers: ServerPorts, api_token: str) -> None:
    conversation = start_conversation(page, servers)
    push_bot_event(
        servers.rasa_url, api_token, conversation,
        {"text": "请您对本次服务进行评价", "data": {"buttons": RATING_BUTTONS, "custom": {"rating_request": True}}},
    )
    stars = page.locator(".kefu-star")
    expect(stars).to_have_count(5)
    stars.nth(3).click()  # the fourth star from the left: 满意
    expect(page.locator(".kefu-row--user .kefu-bubble").last).to_have_text("满意")
    expect(page.locator(".kefu-star:disabled")).to_have_count(5)
    expect(page.locator(".kefu-star--on")).to_have_count(4)
    expect(page.locator(".kefu-rating-note")).to_have_text("感谢您的评价！")
    assert last_user_text(servers, api_token, conversation, expected='/rate{"rating":"4"}') == '/rate{"rating":"4"}'


def test_markup_is_shown_as_text_never_run(page: Page, servers: ServerPorts, api_token: str) -> None:
    conversation = start_conversation(page, servers)
    send(page, XSS)
    expect(page.locator(".kefu-row--user .kefu-bubble").last).to_have_text(XSS)
    push_bot_event(
        servers.rasa_url, api_token, conversation,
        {"text": '<script>window.__xss=2</script><b>粗体</b> javascript:alert(1)', "metadata": {"agent": "小王"}},
    )
    bot_says(page, "<script>window.__xss=2</script>")
    page.wait_for_timeout(500)
    assert page.evaluate("() => window.__xss") is None
    assert page.locator(".kefu-widget img, .kefu-widget script, .kefu-widget b, .kefu-widget a").count() == 0


def test_phone_sized_screen_shows_a_full_screen_usable_panel(
    browser: Browser, servers: ServerPorts, api_token: str
) -> None:
    page = new_page(browser, width=375, height=667)
    try:
        conversation = start_conversation(page, servers)
        box = page.locator(".kefu-panel").bounding_box()
        assert box == {"x": 0, "y": 0, "width": 375, "height": 667}
        for control in (page.get_by_placeholder("请输入您的问题"), page.get_by_role("button", name="发送", exact=True)):
            control_box = control.bounding_box()
            assert control_box and control_box["x"] >= 0 and control_box["x"] + control_box["width"] <= 375
            assert control_box["y"] + control_box["height"] <= 667
        long_word = {"text": "账号" + "9" * 200, "metadata": {"agent": "小王"}}
        push_bot_event(servers.rasa_url, api_token, conversation, long_word)
        bot_says(page, "账号999")
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 375
        bubble = page.locator(".kefu-row--agent .kefu-bubble").bounding_box()
        assert bubble and bubble["x"] + bubble["width"] <= 375
    finally:
        page.context.close()


def customer_token(database_url: str, phone: str) -> str:
    """What the bank's server writes into the page for a logged-in demo customer."""
    with session_factory(database_url)() as session:
        customer = session.scalars(select(Customer.id).where(Customer.phone == phone)).one()
    return sign(customer, datetime.now() + timedelta(minutes=10), current_settings().secret_key)


class HostPage:
    """A bank page on another origin (a second loopback HTTP server) that embeds the widget with one tag."""

    def __init__(self, html: str) -> None:
        body = html.encode("utf-8")

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_: object) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://localhost:{self.server.server_address[1]}/"

    def __enter__(self) -> HostPage:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_embedding_from_another_origin_with_a_signed_customer_token(
    page: Page, servers: ServerPorts, database_url: str
) -> None:
    token = customer_token(database_url, "13566667777")
    html = (
        "<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><title>合作方页面</title></head>"
        "<body><h1>合作方页面</h1>"
        f"<script src='{servers.rasa_url}/webhooks/widget/kefu-widget.js' data-customer-token='{token}' async>"
        "</script></body></html>"
    )
    with HostPage(html) as host:
        page.goto(host.url)
        assert page.evaluate("() => location.origin") != servers.rasa_url
        open_panel(page)
        send(page, "帮我查下账户余额")
        bot_says(page, "尾号2468")
        assert not any("验证身份" in text for text in bubbles(page))
        first_conversation = session_id(page)

        other_customer = customer_token(database_url, "13812345678")
        page.evaluate("token => window.KefuWidget.init({customerToken: token})", other_customer)
        expect(page.locator(".kefu-row")).to_have_count(0)
        assert session_id(page) != first_conversation
