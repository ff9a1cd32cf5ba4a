"""Where a profile keeps what the lifecycle works on: the application database and the conversations."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import make_url

from bot.core.settings import SCALED, Settings


@dataclass(frozen=True)
class Stores:
    """SQLAlchemy URLs of the application database and of Rasa's tracker store."""

    database_url: str
    conversations_url: str


def profile_stores(settings: Settings, profile: str) -> Stores:
    """The stores of `profile`: the scaled one keeps conversations in `KEFU_TRACKER_DB` on the server of
    `DATABASE_URL` (as `endpoints.scaled.yml` says), the embedded one at `Settings.conversations_url`."""
    if profile == SCALED:
        tracker = make_url(settings.database_url).set(database=settings.tracker_db)
        return Stores(settings.database_url, tracker.render_as_string(hide_password=False))
    return Stores(settings.database_url, settings.conversations_url)
