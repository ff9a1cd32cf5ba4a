"""An agent using the console's HTTP API, as the console page does (cookie session + CSRF header)."""

from __future__ import annotations

import uuid
from typing import Any

import requests


class ConsoleAgent:
    """One logged-in agent."""

    def __init__(self, console_url: str, username: str, password: str) -> None:
        self.url = console_url.rstrip("/")
        self.http = requests.Session()
        reply = self.http.post(f"{self.url}/login", data={"username": username, "password": password}, timeout=10)
        reply.raise_for_status()
        self.me = self.http.get(f"{self.url}/api/me", timeout=10).json()

    def get(self, path: str) -> requests.Response:
        """A GET on the API."""
        return self.http.get(f"{self.url}{path}", timeout=30)

    def post(self, path: str, body: dict[str, Any] | None = None, csrf: bool = True) -> requests.Response:
        """A POST with the CSRF header (unless told otherwise)."""
        headers = {"X-CSRF-Token": self.me["csrf"]} if csrf else {}
        return self.http.post(f"{self.url}{path}", json=body, headers=headers, timeout=30)

    def state(self) -> dict[str, Any]:
        """Queue, own tickets and colleagues."""
        return self.get("/api/state").json()

    def say(self, ticket_id: int, text: str, client_id: str | None = None) -> requests.Response:
        """Send a message to the customer."""
        body = {"text": text, "client_id": client_id or uuid.uuid4().hex}
        return self.post(f"/api/tickets/{ticket_id}/messages", body)

    def logout(self) -> None:
        """End the session."""
        self.http.post(f"{self.url}/logout", timeout=10)
