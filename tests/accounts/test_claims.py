"""Filing claims: numbering and validation of policy ownership, status and incident date."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.accounts import queries
from bot.accounts.claims import file_claim
from bot.accounts.errors import ClaimRejectedError
from bot.accounts.models import Policy

from .conftest import NOW, TODAY
from .helpers import customer_id

ZHANG = "13812345678"
WANG = "15012348888"


def test_claim_is_filed(session: Session) -> None:
    owner = customer_id(session, ZHANG)
    number = file_claim(session, owner, "P2025000101", TODAY - timedelta(days=1), "车辆剐蹭", "小区内被剐蹭", NOW)
    assert re.fullmatch(r"C\d{10}", number)
    claim = queries.claim_status(session, owner, number)
    assert claim is not None and claim.status == "已报案" and claim.created_at == NOW


@pytest.mark.parametrize(
    ("phone", "policy", "incident", "code"),
    [
        (ZHANG, "P2025000201", TODAY, "policy_not_found"),
        (ZHANG, "P9999999999", TODAY, "policy_not_found"),
        (WANG, "P2024000302", TODAY - timedelta(days=400), "policy_inactive"),
        (ZHANG, "P2025000101", TODAY + timedelta(days=1), "future_incident"),
        (ZHANG, "P2025000101", date(2025, 1, 1), "outside_period"),
    ],
)
def test_claim_is_rejected(session: Session, phone: str, policy: str, incident: date, code: str) -> None:
    with pytest.raises(ClaimRejectedError) as raised:
        file_claim(session, customer_id(session, phone), policy, incident, "其他", "", NOW)
    assert raised.value.code == code
    assert raised.value.message


def test_incident_on_the_first_day_of_cover_is_accepted(session: Session) -> None:
    start = session.scalar(select(Policy.start_date).where(Policy.number == "P2025000101"))
    assert file_claim(session, customer_id(session, ZHANG), "P2025000101", start, "其他", "", NOW)
