"""WeChat binding against the live bot: verify by SMS once, bind with consent, later conversations need no
new code, unsubscribing or 「解除绑定」 ends the binding, and a binding never crosses customers."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from bot.accounts.models import ChannelBinding, Customer, SmsOutbox, Verification
from bot.core.db import session_factory
from bot.runtime.serve import ServerPorts
from tests.support.chat import ID_LAST4, PHONE, latest_code
from tests.support.servers import WeChatAccount
from tests.support.wechat_platform import FakeApiState, FakeWeChatApi, WeChatPlatform, new_openid

OFFER = "是否绑定本公众号，下次无需验证？"
BALANCE = "尾号3321"
OTHER_PHONE, OTHER_ID_LAST4, OTHER_BALANCE = "13987654321", "4567", "尾号0457"
"""李娜, another demo customer."""


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


def verify_by_sms(
    platform: WeChatPlatform, fake_api: FakeApiState, database_url: str, openid: str,
    phone: str = PHONE, last4: str = ID_LAST4,
) -> str:
    """Ask for the balance and pass SMS verification; the reply with the balance and the binding offer."""
    assert "验证身份" in ask(platform, fake_api, openid, "帮我查下账户余额")
    assert "身份证" in ask(platform, fake_api, openid, phone)
    assert "验证码已发送" in ask(platform, fake_api, openid, last4)
    verified = ask(platform, fake_api, openid, latest_code(database_url, phone))
    assert "身份验证成功" in verified
    assert OFFER in verified and "1. 是" in verified
    return verified


def verify_and_bind(platform: WeChatPlatform, fake_api: FakeApiState, database_url: str, openid: str) -> None:
    """Ask for the balance, pass SMS verification, accept the binding offer."""
    assert BALANCE in verify_by_sms(platform, fake_api, database_url, openid)
    assert "已为您绑定本公众号" in ask(platform, fake_api, openid, "1")


def end_chat_verification(database_url: str, openid: str) -> None:
    """The SMS verification of the conversation lapses, as it does after 30 minutes."""
    with session_factory(database_url)() as session:
        session.execute(
            update(Verification).where(Verification.sender_id == openid).values(expires_at=Verification.verified_at)
        )
        session.commit()


def bound_to(database_url: str, openid: str) -> list[str]:
    """The names of the customers `openid` has a binding row to (live or expired)."""
    with session_factory(database_url)() as session:
        return list(session.scalars(
            select(Customer.name).join(ChannelBinding, ChannelBinding.customer_id == Customer.id)
            .where(ChannelBinding.external_user_id == openid)
        ))


def lapse_binding(database_url: str, openid: str) -> None:
    """The binding's 30 days pass."""
    with session_factory(database_url)() as session:
        session.execute(
            update(ChannelBinding).where(ChannelBinding.external_user_id == openid)
            .values(verified_at=ChannelBinding.verified_at - timedelta(days=31))
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


def test_another_customer_verifying_on_a_bound_openid_ends_the_old_binding(
    platform: WeChatPlatform, fake_api: FakeApiState, database_url: str
) -> None:
    openid = new_openid()
    verify_and_bind(platform, fake_api, database_url, openid)
    assert bound_to(database_url, openid) == ["张伟"]
    end_chat_verification(database_url, openid)
    lapse_binding(database_url, openid)
    # The phone now belongs to 李娜: she verifies on the same OpenID; 张伟's binding ends at once.
    verified = verify_by_sms(platform, fake_api, database_url, openid, OTHER_PHONE, OTHER_ID_LAST4)
    assert OTHER_BALANCE in verified and BALANCE not in verified
    assert bound_to(database_url, openid) == []
    assert "已为您绑定本公众号" in ask(platform, fake_api, openid, "1")
    assert bound_to(database_url, openid) == ["李娜"]
    end_chat_verification(database_url, openid)
    later = ask(platform, fake_api, openid, "查余额")
    assert OTHER_BALANCE in later and BALANCE not in later and "验证" not in later
