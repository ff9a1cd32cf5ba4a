"""Signed identity tokens: round trip, tampering, wrong secret and expiry."""

from __future__ import annotations

import base64
import json
from datetime import datetime, timedelta

from bot.accounts.identity_token import sign, verify_token

NOW = datetime(2026, 3, 18, 10, 0)
SECRET = "website-shared-secret"


def test_round_trip() -> None:
    token = sign(42, NOW + timedelta(minutes=10), SECRET)
    assert verify_token(token, SECRET, NOW) == 42


def test_expired_token_is_rejected() -> None:
    token = sign(42, NOW + timedelta(minutes=10), SECRET)
    assert verify_token(token, SECRET, NOW + timedelta(minutes=10)) is None


def test_wrong_secret_is_rejected() -> None:
    assert verify_token(sign(42, NOW + timedelta(hours=1), SECRET), "other", NOW) is None


def test_tampered_payload_is_rejected() -> None:
    token = sign(42, NOW + timedelta(hours=1), SECRET)
    _payload, signature = token.split(".")
    forged = json.dumps({"sub": 43, "exp": int((NOW + timedelta(hours=1)).timestamp())}).encode()
    forged_payload = base64.urlsafe_b64encode(forged).rstrip(b"=").decode()
    assert verify_token(f"{forged_payload}.{signature}", SECRET, NOW) is None


def test_garbage_is_rejected() -> None:
    for token in ("", "abc", "a.b", "。.。", sign(1, NOW + timedelta(hours=1), SECRET) + "x"):
        assert verify_token(token, SECRET, NOW) is None
