"""Settings of the account services read from the environment."""

from __future__ import annotations

import os

DEV_SECRET_KEY = "kefu-dev-secret-change-me"


def secret_key() -> str:
    """The HMAC key for one-time codes and identity tokens (`KEFU_SECRET_KEY`, a dev default otherwise)."""
    return os.environ.get("KEFU_SECRET_KEY", DEV_SECRET_KEY)
