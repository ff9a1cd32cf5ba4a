"""Sealed slot values: what a slot holds between turns when it is personal data (phone, ID digits).

The tracker store and the event broker only ever see the sealed form; the action server unseals it with the
key derived from `KEFU_SECRET_KEY`.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken

from bot.core.settings import current_settings

PREFIX = "sealed:"


def _fernet() -> Fernet:
    key = hashlib.sha256(f"slot-seal:{current_settings().secret_key}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def seal(value: str) -> str:
    """The encrypted, authenticated form of `value`."""
    return PREFIX + _fernet().encrypt(value.encode()).decode()


def is_sealed(value: object) -> bool:
    """True for a value made by `seal`."""
    return isinstance(value, str) and value.startswith(PREFIX)


def unseal(value: object) -> str | None:
    """The plain value of a sealed one; None if it is missing, not sealed, or tampered with."""
    if not is_sealed(value):
        return None
    try:
        return _fernet().decrypt(str(value)[len(PREFIX):].encode()).decode()
    except InvalidToken:
        return None
