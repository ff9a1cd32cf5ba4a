"""Patterns of personal data, shared by the NLU, the identity check and the redaction of stored events."""

from __future__ import annotations

import re

PHONE_DIGITS = r"1[3-9]\d{9}"
"""A mainland mobile number, as digits only."""

PHONE = re.compile(rf"(?<!\d){PHONE_DIGITS}(?!\d)")
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
ID_LAST4 = re.compile(r"(?<![\dXx])\d{3}[\dXx](?![\dXx])")
"""The last four characters of a resident ID number (the check character may be X)."""
CARD_NUMBER = re.compile(r"(?<!\d)\d{15,19}(?!\d)")

SENSITIVE_SLOTS = frozenset({"phone", "id_last4", "otp_code"})
"""Slots whose values are personal data or credentials: sealed or masked wherever they are stored."""
