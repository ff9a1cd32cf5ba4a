"""The token of the servers' HTTP API: `KEFU_API_TOKEN`, or one made at start and kept in `var/api-token`
(readable by its owner only) so that `kefu reload` can reach the servers `kefu run` started."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from bot.core.paths import VAR_DIR
from bot.core.settings import current_settings

TOKEN_FILE = VAR_DIR / "api-token"


def issue_token(path: Path = TOKEN_FILE) -> str:
    """The configured token, or a new random one written to `path`."""
    configured = current_settings().api_token
    if configured:
        return configured
    token = secrets.token_urlsafe(24)
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(token)
    return token


def running_token(path: Path = TOKEN_FILE) -> str | None:
    """The token of the running servers: the configured one, else the one `issue_token` wrote."""
    configured = current_settings().api_token
    if configured:
        return configured
    try:
        return path.read_text(encoding="utf-8").strip() or None
    except OSError:
        return None
