"""Signed identity tokens a logged-in website passes to the bot (HMAC-SHA256)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from datetime import datetime


def _encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signature(payload: str, secret: str) -> str:
    return _encode(hmac.new(secret.encode("utf-8"), payload.encode("ascii"), hashlib.sha256).digest())


def sign(customer_id: int, expires_at: datetime, secret: str) -> str:
    """A token `payload.signature` naming `customer_id` until `expires_at`."""
    body = json.dumps({"sub": customer_id, "exp": int(expires_at.timestamp())}, separators=(",", ":"))
    payload = _encode(body.encode("utf-8"))
    return f"{payload}.{_signature(payload, secret)}"


def verify_token(token: str, secret: str, now: datetime) -> int | None:
    """The customer id in `token`, or None if it is malformed, tampered with or expired."""
    payload, _, signature = token.partition(".")
    if not payload or not signature:
        return None
    try:
        expected = _signature(payload, secret)
        if not hmac.compare_digest(expected, signature):
            return None
        claims = json.loads(_decode(payload))
    except (ValueError, binascii.Error, UnicodeError):
        return None
    if not isinstance(claims, dict):
        return None
    subject, expiry = claims.get("sub"), claims.get("exp")
    if not isinstance(subject, int) or not isinstance(expiry, int):
        return None
    if now.timestamp() >= expiry:
        return None
    return subject
