"""REST channel for the bank's own web pages: like Rasa's `rest`, but passes message metadata.

The page may send `{"sender", "message", "metadata": {"customer_token": "..."}}`; the signed
token lets the bank's website vouch for a logged-in customer (see `bot.accounts.identity_token`).
"""

from __future__ import annotations

from typing import Any

from rasa.core.channels.rest import RestInput
from sanic.request import Request


class WebInput(RestInput):
    """`POST /webhooks/web/webhook` with optional `metadata` (a JSON object)."""

    @classmethod
    def name(cls) -> str:
        """URL prefix of the channel."""
        return "web"

    def get_metadata(self, request: Request) -> dict[str, Any] | None:
        """The request's `metadata` object, if it is one."""
        metadata = (request.json or {}).get("metadata")
        return metadata if isinstance(metadata, dict) else None
