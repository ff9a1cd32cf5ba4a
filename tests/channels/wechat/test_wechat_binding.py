"""WeChat binding against the live bot: verify by SMS once, bind with consent, later conversations need no
new code, and unsubscribing or 「解除绑定」 ends the binding."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select, update

from bot.accounts.models import SmsOutbox, Verification
from bot.core.db import session_factory
from bot.runtime.serve import ServerPorts
from tests.support.chat import ID_LAST4, PHONE, latest_code
from tests.support.servers import WeChatAccount
from tests.support.wechat_platform import FakeApiState, FakeWeChatApi, WeChatPlatform, new_openid

OFFER = "是否绑定本公众号，下次无需验证？"
BALANCE = "尾号3321"


@pytest.fixture(scope="module")
def fake_api(wechat_account: WeChatAccount) -> Iterator[FakeApiState]:
    """WeChat's customer-service message API, where the Rasa server under test is pointed."""
    with FakeWeChatApi(wechat_account.api_port, wechat_account.app_id, wechat_account.app_secret) as state:
        yield state


@pytest.fixture
def platform(servers: ServerPorts, wechat_account: WeChatAccount, fake_api: FakeApiState) -> WeChatPlatform:
    """WeChat's servers, delivering to the live channel."""
    return WeChatPlatform(servers.rasa_url, wechat_account)


def ask(platform: WeChatPlatform, fake_api: FakeApiState, openid: str, text: str) -> str:
    """Send a text as `openid`; the passive reply, or the API messages when the turn missed the deadline."""
    before = len(fake_api.texts_to(openid))
    reply = platform.text(openid, text)
    if reply.content is not None:
        return reply.content
    assert reply.status == 200 and reply.body == "success"
    return "\n".join(fake_api.wait_for_texts(openid, before + 1, timeout=60)[before:])


def verify_and_bind(platform: WeChatPlatform, fake_api: FakeApiState, database_url: str, openid: str) -> None:
    """Ask for the balance, pass SMS verification, accept the binding offer."""
    assert "验证身份" in ask(platform, fake_api, openid, "帮我查下账户余额")
    assert "身份证" in ask(platform, fake_api, openid, PHONE)
    assert "验证码已发送" in ask(platform, fake_api, openid, ID_LAST4)
    verified = ask(platform, fake_api, openid, latest_code(database_url, PHONE))
    assert "身份验证成功" in verified and BALANCE in verified
    assert OFFER in verified and "1. 是" in verified
    assert "已为您绑定本公众号" in ask(platform, fake_api, openid, "1")


def end_chat_verification(database_url: str, openid: str) -> None:
    """The SMS verification of the conversation lapses, as it does after 30 minutes."""
    with session_factory(database_url)() as session:
        session.execute(
            update(Verification).where(Verification.sender_id == openid).values(expires_at=Verification.verified_at)
        )
        session.commit()


def codes_sent(database_url: str) -> int:
    with session_factory(database_url)() as session:
        return session.scalar(select(func.count(SmsOutbox.id)).where(SmsOutbox.phone == PHONE))


def test_a_bound_follower_checks_the_balance_without_sms_until_unsubscribing(
    platform: WeChatPlatform, fake_api: FakeApiState, database_url: str
) -> None:
    openid = new_openid()
    verify_and_bind(platform, fake_api, database_url, openid)
    end_chat_verification(database_url, openid)
    sent = codes_sent(database_url)
    later = ask(platform, fake_api, openid, "查余额")
    assert BALANCE in later and "验证" not in later and OFFER not in later
    assert codes_sent(database_url) == sent
    time.sleep(1.1)  # a new CreateTime: events are deduplicated by sender and time
    assert platform.event(openid, "unsubscribe").body.strip() == "success"
    assert "验证身份" in ask(platform, fake_api, openid, "查余额")


def test_unbinding_in_chat_ends_the_binding(
    platform: WeChatPlatform, fake_api: FakeApiState, database_url: str
) -> None:
    openid = new_openid()
    verify_and_bind(platform, fake_api, database_url, openid)
    assert "已解除本公众号与您账户的绑定" in ask(platform, fake_api, openid, "解除绑定")
    end_chat_verification(database_url, openid)
    assert "验证身份" in ask(platform, fake_api, openid, "查余额")
