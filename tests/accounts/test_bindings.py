"""WeChat OpenID bindings: bind, 30-day lifetime, unbind, one customer per OpenID, and what counts as verified."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.accounts.access import verified_customer
from bot.accounts.bindings import WECHAT, BindingService
from bot.accounts.models import ChannelBinding, Customer
from tests.support.clock import ManualClock

from .conftest import NOW

OPENID = "oWx-follower-1"


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(NOW)


@pytest.fixture
def bindings(session: Session, clock: ManualClock) -> BindingService:
    return BindingService(session, days=30, clock=clock)


@pytest.fixture
def customers(session: Session) -> list[int]:
    return list(session.scalars(select(Customer.id).order_by(Customer.id).limit(2)))


def test_a_bound_openid_is_its_customer_for_30_days(
    bindings: BindingService, clock: ManualClock, customers: list[int]
) -> None:
    until = bindings.bind(WECHAT, OPENID, customers[0])
    assert until - NOW == timedelta(days=30)
    clock.advance(days=29, hours=23)
    assert bindings.customer(WECHAT, OPENID) == customers[0]
    clock.advance(hours=1)
    assert bindings.customer(WECHAT, OPENID) is None


def test_unbinding_ends_the_binding_once(bindings: BindingService, customers: list[int]) -> None:
    bindings.bind(WECHAT, OPENID, customers[0])
    assert bindings.unbind(WECHAT, OPENID) is True
    assert bindings.customer(WECHAT, OPENID) is None
    assert bindings.unbind(WECHAT, OPENID) is False


def test_an_unknown_or_other_channel_user_is_not_bound(bindings: BindingService, customers: list[int]) -> None:
    bindings.bind(WECHAT, OPENID, customers[0])
    assert bindings.customer(WECHAT, "oWx-someone-else") is None
    assert bindings.customer("rest", OPENID) is None


def test_another_customer_verifying_on_a_bound_openid_ends_the_old_binding(
    bindings: BindingService, customers: list[int]
) -> None:
    first, second = customers
    bindings.bind(WECHAT, OPENID, first)
    bindings.verified_as(WECHAT, OPENID, first)
    assert bindings.customer(WECHAT, OPENID) == first
    bindings.verified_as(WECHAT, OPENID, second)
    assert bindings.customer(WECHAT, OPENID) is None


def test_binding_another_customer_replaces_the_old_binding(bindings: BindingService, customers: list[int]) -> None:
    first, second = customers
    bindings.bind(WECHAT, OPENID, first)
    bindings.bind(WECHAT, OPENID, second)
    assert bindings.customer(WECHAT, OPENID) == second


def test_a_live_binding_verifies_only_wechat_conversations(session: Session, customers: list[int]) -> None:
    BindingService(session).bind(WECHAT, OPENID, customers[0])
    assert verified_customer(session, OPENID, {}, WECHAT) == customers[0]
    assert verified_customer(session, OPENID, {}, "rest") is None
    assert verified_customer(session, OPENID, None) is None


def test_binding_deletes_expired_bindings(
    session: Session, bindings: BindingService, clock: ManualClock, customers: list[int]
) -> None:
    bindings.bind(WECHAT, "oWx-gone", customers[0])
    clock.advance(days=31)
    bindings.bind(WECHAT, OPENID, customers[1])
    held = session.scalars(select(ChannelBinding.external_user_id)).all()
    assert held == [OPENID]
