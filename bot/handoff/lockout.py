"""Console login lockout: too many wrong passwords for one username, or from one client address, within a
window lock further attempts for a while (attempts while locked are refused unchecked and not counted)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from bot.core.clock import Clock, system_clock
from bot.core.settings import current_settings
from bot.handoff.models import LoginFailure


@dataclass(frozen=True)
class LockoutPolicy:
    """`failures` wrong passwords within `window` lock the username or address for `lockout`."""

    failures: int
    window: timedelta
    lockout: timedelta

    @classmethod
    def from_settings(cls) -> LockoutPolicy:
        """KEFU_LOGIN_LOCKOUT_FAILURES, KEFU_LOGIN_LOCKOUT_WINDOW_MINUTES and KEFU_LOGIN_LOCKOUT_MINUTES."""
        settings = current_settings()
        return cls(
            settings.login_lockout_failures, timedelta(minutes=settings.login_lockout_window_minutes),
            timedelta(minutes=settings.login_lockout_minutes),
        )


class LoginGuard:
    """Counts wrong console passwords and tells whether a login attempt is locked out."""

    def __init__(self, session: Session, policy: LockoutPolicy | None = None, clock: Clock = system_clock) -> None:
        self.session = session
        self.policy = policy or LockoutPolicy.from_settings()
        self.clock = clock

    def locked_until(self, username: str, address: str) -> datetime | None:
        """When the lock on this username or this address ends, or None when neither is locked."""
        now = self.clock()
        ends = [
            self._lock_end(LoginFailure.username == username, now), self._lock_end(LoginFailure.address == address, now)
        ]
        return max((end for end in ends if end is not None), default=None)

    def _lock_end(self, which: ColumnElement[bool], now: datetime) -> datetime | None:
        """The end of the latest lock on these failures: each run of `failures` within `window` locks from
        its last failure for `lockout`."""
        times = list(self.session.scalars(
            select(LoginFailure.at)
            .where(which, LoginFailure.at > now - self.policy.window - self.policy.lockout)
            .order_by(LoginFailure.at)
        ))
        count = self.policy.failures
        ends = [
            times[last] + self.policy.lockout for last in range(count - 1, len(times))
            if times[last] - times[last - count + 1] < self.policy.window
        ]
        end = max(ends, default=None)
        return end if end is not None and end > now else None

    def failed(self, username: str, address: str) -> None:
        """Count a wrong password, forgetting failures too old to matter."""
        now = self.clock()
        forgotten = now - self.policy.window - self.policy.lockout
        self.session.execute(delete(LoginFailure).where(LoginFailure.at <= forgotten))
        self.session.add(LoginFailure(username=username, address=address, at=now))
        self.session.commit()

    def succeeded(self, username: str) -> None:
        """A correct password: this username's earlier failures no longer count (its address's others do)."""
        self.session.execute(delete(LoginFailure).where(LoginFailure.username == username))
        self.session.commit()
