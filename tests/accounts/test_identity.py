"""Identity verification by one-time SMS code, with lockout, expiry and logout, against a real database."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.accounts.identity import IdentityPolicy, IdentityService, IdentityStatus
from bot.accounts.models import Customer, IdentityChallenge, SmsOutbox
from bot.accounts.sms import OutboxSmsGateway
from tests.support.clock import ManualClock

from .conftest import NOW

PHONE = "13812345678"
LAST4 = "1234"
X_PHONE = "15012348888"



@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(NOW)


@pytest.fixture
def service(session: Session, clock: ManualClock) -> IdentityService:
    return IdentityService(session, OutboxSmsGateway(session, clock), secret="test-secret", clock=clock)


def _outbox(session: Session) -> list[SmsOutbox]:
    return list(session.scalars(select(SmsOutbox).order_by(SmsOutbox.id)))


def _last_code(session: Session) -> str:
    match = re.search(r"\d{6}", _outbox(session)[-1].text)
    assert match
    return match.group()


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def test_happy_path(service: IdentityService, session: Session, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level("INFO"):
        started = service.start("s1", PHONE, LAST4)
    assert started.status is IdentityStatus.SENT
    assert started.attempts_remaining == 3
    assert [message.phone for message in _outbox(session)] == [PHONE]
    assert "138****5678" in caplog.text and PHONE not in caplog.text
    result = service.verify("s1", _last_code(session))
    assert result.status is IdentityStatus.VERIFIED
    customer_id = session.scalar(select(Customer.id).where(Customer.phone == PHONE))
    assert result.customer_id == customer_id
    assert service.current_customer("s1") == customer_id
    assert service.current_customer("other-sender") is None


def test_code_is_stored_hashed(service: IdentityService, session: Session) -> None:
    service.start("s1", PHONE, LAST4)
    challenge = session.scalars(select(IdentityChallenge)).one()
    assert _last_code(session) not in challenge.code_hash
    assert len(challenge.code_hash) == 64


def test_id_check_digit_x_is_case_insensitive(service: IdentityService, session: Session) -> None:
    assert service.start("s1", X_PHONE, "789x").status is IdentityStatus.SENT
    assert service.verify("s1", _last_code(session)).status is IdentityStatus.VERIFIED


def test_unknown_phone_gets_the_same_reply_and_no_sms(service: IdentityService, session: Session) -> None:
    known = service.start("s1", PHONE, LAST4)
    unknown = service.start("s2", "13900000000", LAST4)
    wrong_id = service.start("s3", PHONE, "9999")
    assert known.status is unknown.status is wrong_id.status is IdentityStatus.SENT
    assert known.attempts_remaining == unknown.attempts_remaining == wrong_id.attempts_remaining
    assert len(_outbox(session)) == 1
    assert service.verify("s2", _last_code(session)).status is IdentityStatus.WRONG_CODE


def test_wrong_code_counts_down(service: IdentityService, session: Session) -> None:
    service.start("s1", PHONE, LAST4)
    result = service.verify("s1", _wrong(_last_code(session)))
    assert result.status is IdentityStatus.WRONG_CODE
    assert result.attempts_remaining == 2
    assert service.current_customer("s1") is None


def test_three_wrong_codes_lock_the_conversation_until_the_lock_ends(
    service: IdentityService, session: Session, clock: ManualClock
) -> None:
    service.start("s1", PHONE, LAST4)
    code = _last_code(session)
    results = [service.verify("s1", _wrong(code)) for _ in range(3)]
    assert [result.status for result in results] == [IdentityStatus.WRONG_CODE] * 2 + [IdentityStatus.LOCKED]
    assert results[-1].until == NOW + timedelta(minutes=15)
    assert service.verify("s1", code).status is IdentityStatus.LOCKED
    assert service.start("s1", PHONE, LAST4).status is IdentityStatus.LOCKED
    other = service.start("another-sender", PHONE, LAST4)
    assert (other.status, other.attempts_remaining) == (IdentityStatus.SENT, 3)
    clock.advance(minutes=15, seconds=1)
    assert service.start("s1", PHONE, LAST4).status is IdentityStatus.SENT
    assert service.verify("s1", _last_code(session)).status is IdentityStatus.VERIFIED


def test_wrong_codes_across_conversations_lock_the_phone(
    service: IdentityService, session: Session, clock: ManualClock
) -> None:
    for sender in ("a", "b", "c"):
        service.start(sender, PHONE, LAST4)
        code = _last_code(session)
        for _ in range(3):
            service.verify(sender, _wrong(code))
    service.start("d", PHONE, LAST4)
    assert service.verify("d", _wrong(_last_code(session))).status is IdentityStatus.WRONG_CODE
    assert service.start("e", PHONE, LAST4).status is IdentityStatus.LOCKED
    assert service.verify("d", _last_code(session)).status is IdentityStatus.LOCKED
    clock.advance(minutes=15, seconds=1)
    assert service.start("e", PHONE, LAST4).status is IdentityStatus.SENT
    assert service.verify("e", _last_code(session)).status is IdentityStatus.VERIFIED


def test_asking_for_a_new_code_does_not_reset_attempts(service: IdentityService, session: Session) -> None:
    service.start("s1", PHONE, LAST4)
    service.verify("s1", _wrong(_last_code(session)))
    service.verify("s1", _wrong(_last_code(session)))
    restarted = service.start("s1", PHONE, LAST4)
    assert restarted.attempts_remaining == 1
    assert service.verify("s1", _wrong(_last_code(session))).status is IdentityStatus.LOCKED


def test_a_successful_verification_clears_earlier_failures_of_the_phone(
    service: IdentityService, session: Session, clock: ManualClock
) -> None:
    service.start("s1", PHONE, LAST4)
    service.verify("s1", _wrong(_last_code(session)))
    service.verify("s1", _wrong(_last_code(session)))
    service.start("s2", PHONE, LAST4)
    assert service.verify("s2", _last_code(session)).status is IdentityStatus.VERIFIED
    clock.advance(seconds=30)
    assert service.start("s3", PHONE, LAST4).attempts_remaining == 3
    assert service.verify("s3", _wrong(_last_code(session))).status is IdentityStatus.WRONG_CODE


def test_full_width_phone_digits_are_read(service: IdentityService, session: Session) -> None:
    assert service.start("s1", "１３８１２３４５６７８", LAST4).status is IdentityStatus.SENT
    assert [message.phone for message in _outbox(session)] == [PHONE]


def test_code_expires_after_five_minutes(service: IdentityService, session: Session, clock: ManualClock) -> None:
    service.start("s1", PHONE, LAST4)
    clock.advance(minutes=5)
    assert service.verify("s1", _last_code(session)).status is IdentityStatus.EXPIRED


def test_verify_without_challenge(service: IdentityService) -> None:
    assert service.verify("nobody", "123456").status is IdentityStatus.NO_CHALLENGE


def test_used_code_cannot_be_replayed(service: IdentityService, session: Session) -> None:
    service.start("s1", PHONE, LAST4)
    code = _last_code(session)
    service.verify("s1", code)
    assert service.verify("s1", code).status is IdentityStatus.NO_CHALLENGE


def test_verification_expires_after_thirty_minutes(
    service: IdentityService, session: Session, clock: ManualClock
) -> None:
    service.start("s1", PHONE, LAST4)
    customer_id = service.verify("s1", _last_code(session)).customer_id
    assert service.current_customer("s1", NOW + timedelta(minutes=29)) == customer_id
    assert service.current_customer("s1", NOW + timedelta(minutes=30)) is None


def test_policy_is_configurable(session: Session, clock: ManualClock) -> None:
    policy = IdentityPolicy(verification_ttl=timedelta(minutes=5), max_attempts=1, lock_duration=timedelta(minutes=1))
    service = IdentityService(session, OutboxSmsGateway(session, clock), secret="s", policy=policy, clock=clock)
    service.start("s1", PHONE, LAST4)
    assert service.verify("s1", _wrong(_last_code(session))).status is IdentityStatus.LOCKED
    clock.advance(minutes=1)
    service.start("s1", PHONE, LAST4)
    service.verify("s1", _last_code(session))
    assert service.current_customer("s1", clock.now + timedelta(minutes=5)) is None


def test_logout(service: IdentityService, session: Session) -> None:
    service.start("s1", PHONE, LAST4)
    service.verify("s1", _last_code(session))
    assert service.logout("s1") is True
    assert service.current_customer("s1") is None
    assert service.logout("s1") is False
