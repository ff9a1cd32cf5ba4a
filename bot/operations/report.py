"""`kefu analytics report`: the service team's figures over the last days, as one JSON object (a contract other
tooling reads: `conversations`, `containment_rate`, `handoff_rate`, `no_answer_rate`, `clarify_rate`, `csat_avg`,
`top_entries`, `cold_entries` and the rest). The figures and what they mean are `bot.operations.dashboard`'s.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from bot.operations.dashboard import Period, collect, summary


def period_start(days: int | None, now: datetime) -> datetime | None:
    """The start of the last `days` days (today counts as one), or None for everything recorded."""
    if days is None:
        return None
    return datetime.combine(now.date() - timedelta(days=max(days, 1) - 1), datetime.min.time())


def build_report(session: Session, days: int | None = None, now: datetime | None = None) -> dict[str, Any]:
    """Every figure of the period as plain JSON-ready values."""
    now = now or datetime.now()
    start = period_start(days, now)
    return {
        "period": {"from": start.isoformat() if start else None, "to": now.replace(microsecond=0).isoformat()},
        **summary(collect(session, Period(start=start))),
    }
