"""Identity verification of a conversation by a one-time code sent to the customer's phone.

Wrong codes lock the conversation after `max_attempts`, and the phone number — every conversation giving it —
after `phone_max_failures` across conversations within `lock_duration`: one customer's typos never lock out the
same customer's other conversations, while guessing across many conversations is still stopped.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from bot.accounts.models import Customer, IdentityChallenge, Verification
from bot.accounts.sms import SmsGateway
from bot.core.clock import Clock, system_clock
from bot.core.patterns import ID_LAST4
from bot.core.settings import current_settings
from bot.core.text import to_half_width

CODE_MESSAGE = "【智能客服】您的验证码为{code}，{minutes}分钟内有效。请勿向任何人透露，工作人员不会向您索要验证码。"


class IdentityStatus(str, enum.Enum):
    """Outcome of a step of identity verification."""

    SENT = "sent"
    VERIFIED = "verified"
    WRONG_CODE = "wrong_code"
    LOCKED = "locked"
    EXPIRED = "expired"
    NO_CHALLENGE = "no_challenge"


@dataclass(frozen=True)
class IdentityResult:
    """What happened, how many tries are left, and until when a lock or verification lasts."""

    status: IdentityStatus
    attempts_remaining: int | None = None
    customer_id: int | None = None
    until: datetime | None = None


@dataclass(frozen=True)
class IdentityPolicy:
    """Lifetimes and limits of the verification flow."""

    code_ttl: timedelta = timedelta(minutes=5)
    verification_ttl: timedelta = timedelta(minutes=30)
    lock_duration: timedelta = timedelta(minutes=15)
    max_attempts: int = 3
    phone_max_failures: int = 10


def normalize_phone(phone: str) -> str:
    """ASCII digits only (full-width ones converted), without the +86 country code."""
    digits = re.sub(r"[^0-9]", "", to_half_width(phone))
    return digits[2:] if len(digits) == 13 and digits.startswith("86") else digits


class IdentityService:
    """Start, check and end the verified state of a conversation (identified by its sender id)."""

    def __init__(
        self,
        session: Session,
        gateway: SmsGateway,
        *,
        secret: str | None = None,
        policy: IdentityPolicy | None = None,
        clock: Clock = system_clock,
    ) -> None:
        self._session = session
        self._gateway = gateway
        self._secret = (secret or current_settings().secret_key).encode("utf-8")
        self._policy = policy or IdentityPolicy()
        self._clock = clock

    def start(self, sender: str, phone: str, id_last4: str) -> IdentityResult:
        """Send a code if phone and ID match a customer; the reply is the same when they do not."""
        now = self._clock()
        phone = normalize_phone(phone)
        locked_until = self._locked_until(sender, phone, now)
        if locked_until is not None:
            return IdentityResult(IdentityStatus.LOCKED, attempts_remaining=0, until=locked_until)
        customer = self._find_customer(phone, id_last4)
        code = f"{secrets.randbelow(10**6):06d}"
        challenge = IdentityChallenge(
            sender_id=sender,
            customer_id=customer.id if customer else None,
            phone=phone,
            code_hash=self._hash(sender, code),
            attempts=self._recent_failures(sender, phone, now),
            created_at=now,
            expires_at=now + self._policy.code_ttl,
        )
        self._session.add(challenge)
        if customer is not None:
            minutes = int(self._policy.code_ttl.total_seconds() // 60)
            self._gateway.send(phone, CODE_MESSAGE.format(code=code, minutes=minutes))
        self._session.commit()
        remaining = self._policy.max_attempts - challenge.attempts
        return IdentityResult(IdentityStatus.SENT, attempts_remaining=remaining, until=challenge.expires_at)

    def verify(self, sender: str, code: str) -> IdentityResult:
        """Check the code of the latest challenge of `sender`; too many failures lock the conversation, and
        too many across conversations the phone."""
        now = self._clock()
        challenge = self._session.scalars(
            select(IdentityChallenge).where(IdentityChallenge.sender_id == sender).order_by(IdentityChallenge.id.desc())
        ).first()
        if challenge is None or challenge.verified_at is not None:
            return IdentityResult(IdentityStatus.NO_CHALLENGE)
        locked_until = self._locked_until(sender, challenge.phone, now)
        if locked_until is not None:
            return IdentityResult(IdentityStatus.LOCKED, attempts_remaining=0, until=locked_until)
        if now >= challenge.expires_at:
            return IdentityResult(IdentityStatus.EXPIRED)
        if challenge.customer_id is not None and hmac.compare_digest(
            challenge.code_hash, self._hash(sender, code.strip())
        ):
            return self._accept(challenge, now)
        return self._reject(challenge, now)

    def current_customer(self, sender: str, now: datetime | None = None) -> int | None:
        """The customer this conversation is verified as, or None when not (or no longer) verified."""
        verification = self._active_verification(sender, now or self._clock())
        return verification.customer_id if verification else None

    def logout(self, sender: str) -> bool:
        """End the verification of `sender`; True if there was one."""
        now = self._clock()
        ended = self._session.execute(
            update(Verification)
            .where(Verification.sender_id == sender, Verification.ended_at.is_(None), Verification.expires_at > now)
            .values(ended_at=now)
        ).rowcount
        self._session.commit()
        return bool(ended)

    def _accept(self, challenge: IdentityChallenge, now: datetime) -> IdentityResult:
        challenge.verified_at = now
        self._session.execute(
            update(Verification)
            .where(Verification.sender_id == challenge.sender_id, Verification.ended_at.is_(None))
            .values(ended_at=now)
        )
        expires_at = now + self._policy.verification_ttl
        self._session.add(
            Verification(
                sender_id=challenge.sender_id, customer_id=challenge.customer_id, verified_at=now, expires_at=expires_at
            )
        )
        self._session.commit()
        return IdentityResult(IdentityStatus.VERIFIED, customer_id=challenge.customer_id, until=expires_at)

    def _reject(self, challenge: IdentityChallenge, now: datetime) -> IdentityResult:
        challenge.attempts += 1
        remaining = self._policy.max_attempts - challenge.attempts
        if remaining <= 0:
            challenge.locked_until = now + self._policy.lock_duration
            self._session.commit()
            return IdentityResult(IdentityStatus.LOCKED, attempts_remaining=0, until=challenge.locked_until)
        self._session.commit()
        return IdentityResult(IdentityStatus.WRONG_CODE, attempts_remaining=remaining)

    def _find_customer(self, phone: str, id_last4: str) -> Customer | None:
        last4 = id_last4.strip().upper()
        if not ID_LAST4.fullmatch(last4):
            return None
        return self._session.scalars(
            select(Customer).where(Customer.phone == phone, func.upper(Customer.id_number).endswith(last4))
        ).first()

    def _locked_until(self, sender: str, phone: str, now: datetime) -> datetime | None:
        own = self._session.scalar(
            select(func.max(IdentityChallenge.locked_until)).where(
                IdentityChallenge.sender_id == sender, IdentityChallenge.locked_until > now
            )
        )
        return max(filter(None, (own, self._phone_locked_until(phone, now))), default=None)

    def _since_last_success(self, mine: ColumnElement[bool], now: datetime) -> datetime:
        """The start of the window in which failures count: the lock duration, cut at the latest success."""
        since = now - self._policy.lock_duration
        last_success = self._session.scalar(select(func.max(IdentityChallenge.verified_at)).where(mine))
        return max(since, last_success) if last_success is not None else since

    def _phone_locked_until(self, phone: str, now: datetime) -> datetime | None:
        """Until when the phone is locked: `phone_max_failures` failures over all its conversations (each
        conversation's latest count, since challenges carry their conversation's count over) in the window."""
        since = self._since_last_success(IdentityChallenge.phone == phone, now)
        rows = self._session.execute(
            select(func.max(IdentityChallenge.attempts), func.max(IdentityChallenge.created_at))
            .where(
                IdentityChallenge.phone == phone,
                IdentityChallenge.verified_at.is_(None),
                IdentityChallenge.created_at > since,
            )
            .group_by(IdentityChallenge.sender_id)
        ).all()
        if sum(attempts or 0 for attempts, _ in rows) < self._policy.phone_max_failures:
            return None
        return max(created for _, created in rows) + self._policy.lock_duration

    def _recent_failures(self, sender: str, phone: str, now: datetime) -> int:
        """Failures of the conversation's still-open challenges carry over, so asking for a new code does not
        reset the count; a successful verification of the phone or conversation does."""
        mine = IdentityChallenge.sender_id == sender
        since = self._since_last_success(or_(mine, IdentityChallenge.phone == phone), now)
        failures = self._session.scalar(
            select(func.max(IdentityChallenge.attempts)).where(
                mine,
                IdentityChallenge.verified_at.is_(None),
                IdentityChallenge.locked_until.is_(None),
                IdentityChallenge.created_at > since,
            )
        )
        return failures or 0

    def _active_verification(self, sender: str, now: datetime) -> Verification | None:
        return self._session.scalars(
            select(Verification)
            .where(Verification.sender_id == sender, Verification.ended_at.is_(None), Verification.expires_at > now)
            .order_by(Verification.id.desc())
        ).first()

    def _hash(self, sender: str, code: str) -> str:
        return hmac.new(self._secret, f"{sender}:{code}".encode(), hashlib.sha256).hexdigest()
