"""Which tracker store each profile's lifecycle commands work on."""

from __future__ import annotations

from bot.core.settings import EMBEDDED, SCALED, Settings
from bot.lifecycle.stores import profile_stores


def test_the_scaled_profile_keeps_conversations_in_the_tracker_database() -> None:
    settings = Settings.from_environ({"DATABASE_URL": "postgresql://kefu:s3cret@db.internal:5433/kefu"}, SCALED)
    stores = profile_stores(settings, SCALED)
    assert stores.database_url == "postgresql://kefu:s3cret@db.internal:5433/kefu"
    assert stores.conversations_url == "postgresql://kefu:s3cret@db.internal:5433/kefu_tracker"


def test_the_embedded_profile_uses_the_tracker_url_or_the_application_database() -> None:
    assert profile_stores(Settings.from_environ({"DATABASE_URL": "sqlite:///a.db"}), EMBEDDED).conversations_url \
        == "sqlite:///a.db"
    separate = Settings.from_environ({"DATABASE_URL": "sqlite:///a.db", "KEFU_TRACKER_URL": "sqlite:///t.db"})
    assert profile_stores(separate, EMBEDDED).conversations_url == "sqlite:///t.db"
