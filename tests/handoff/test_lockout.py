"""The console login lockout on a real SQLite database with the test clock: per username, per client
address, within the window only, and for the lockout's length only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from bot.handoff.lockout import LockoutPolicy, LoginGuard
from tests.support.clock import ManualClock

POLICY = LockoutPolicy(failures=5, window=timedelta(minutes=15), lockout=timedelta(minutes=15))


@pytest.fixture
def guard(session: Session, clock: ManualClock) -> LoginGuard:
    return LoginGuard(session, POLICY, clock)


def fail(guard: LoginGuard, clock: ManualClock, username: str, address: str, times: int = 1) -> None:
    for _ in range(times):
        guard.failed(username, address)
        clock.advance(seconds=10)


def test_five_wrong_passwords_lock_the_username_from_every_address(guard: LoginGuard, clock: ManualClock) -> None:
    for attempt in range(4):
        fail(guard, clock, "wang", f"10.0.0.{attempt}")
    assert guard.locked_until("wang", "10.0.9.9") is None
    locked_at = clock()
    fail(guard, clock, "wang", "10.0.0.4")
    assert guard.locked_until("wang", "10.0.9.9") == locked_at + POLICY.lockout
    assert guard.locked_until("li", "10.0.0.1") is None


def test_five_wrong_passwords_from_one_address_lock_it_for_every_username(
    guard: LoginGuard, clock: ManualClock
) -> None:
    for name in ("a", "b", "c", "d", "e"):
        fail(guard, clock, name, "10.0.0.7")
    assert guard.locked_until("wang", "10.0.0.7") is not None
    assert guard.locked_until("wang", "10.0.0.8") is None


def test_the_lock_ends_after_its_length(guard: LoginGuard, clock: ManualClock) -> None:
    fail(guard, clock, "wang", "10.0.0.1", times=5)
    clock.advance(minutes=14)
    assert guard.locked_until("wang", "10.0.0.1") is not None
    clock.advance(minutes=1)
    assert guard.locked_until("wang", "10.0.0.1") is None
    fail(guard, clock, "wang", "10.0.0.1")
    assert guard.locked_until("wang", "10.0.0.1") is None


def test_failures_spread_over_more_than_the_window_do_not_lock(guard: LoginGuard, clock: ManualClock) -> None:
    for _ in range(5):
        guard.failed("wang", "10.0.0.1")
        clock.advance(minutes=4)
    assert guard.locked_until("wang", "10.0.0.1") is None


def test_a_correct_password_clears_the_usernames_failures(guard: LoginGuard, clock: ManualClock) -> None:
    fail(guard, clock, "wang", "10.0.0.1", times=4)
    guard.succeeded("wang")
    fail(guard, clock, "wang", "10.0.0.1")
    assert guard.locked_until("wang", "10.0.0.1") is None


def test_the_policy_comes_from_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEFU_LOGIN_LOCKOUT_FAILURES", "3")
    monkeypatch.setenv("KEFU_LOGIN_LOCKOUT_MINUTES", "30")
    assert LockoutPolicy.from_settings() == LockoutPolicy(3, timedelta(minutes=15), timedelta(minutes=30))
