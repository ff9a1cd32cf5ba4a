"""Filing an insurance claim against one of the customer's own active policies."""

from __future__ import annotations

import secrets
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.accounts.errors import ClaimRejectedError
from bot.accounts.models import Claim, Policy

ACTIVE_POLICY = "有效"
NEW_CLAIM = "已报案"
SETTLED_CLAIMS = ("已结案", "已赔付")
"""The statuses of a claim that is no longer pending."""
MAX_TRIES = 5


def _policy(session: Session, customer_id: int, policy_number: str) -> Policy:
    policy = session.scalars(
        select(Policy).where(Policy.customer_id == customer_id, Policy.number == policy_number.strip().upper())
    ).first()
    if policy is None:
        raise ClaimRejectedError("policy_not_found", "没有找到您名下的这张保单，请核对保单号。")
    return policy


def _validate(policy: Policy, incident_date: date, today: date) -> None:
    if policy.status != ACTIVE_POLICY:
        raise ClaimRejectedError("policy_inactive", f"保单当前状态为「{policy.status}」，无法报案。")
    if incident_date > today:
        raise ClaimRejectedError("future_incident", "出险日期不能晚于今天，请重新确认。")
    if not policy.start_date <= incident_date <= policy.end_date:
        raise ClaimRejectedError("outside_period", "出险日期不在保单保障期间内，无法报案。")


def file_claim(
    session: Session,
    customer_id: int,
    policy_number: str,
    incident_date: date,
    claim_type: str,
    description: str,
    now: datetime,
) -> str:
    """Record a new claim (status 已报案) and return its number, C followed by 10 digits."""
    policy = _policy(session, customer_id, policy_number)
    _validate(policy, incident_date, now.date())
    for _ in range(MAX_TRIES):
        claim = Claim(
            policy_id=policy.id,
            number=f"C{secrets.randbelow(10**10):010d}",
            status=NEW_CLAIM,
            incident_date=incident_date,
            claim_type=claim_type,
            description=description,
            created_at=now,
            updated_at=now,
        )
        session.add(claim)
        try:
            session.commit()
        except IntegrityError:
            session.rollback()
            continue
        return claim.number
    raise RuntimeError("could not allocate a unique claim number")
