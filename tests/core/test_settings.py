"""One settings object from the environment: defaults, overrides, profiles, clear errors, generated docs."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.paths import PROJECT_ROOT
from bot.core.settings import DEV_SECRET_KEY, SCALED, Settings, configuration_markdown, current_settings


def test_unset_and_empty_variables_take_the_defaults() -> None:
    settings = Settings.from_environ({"KEFU_API_TOKEN": "  ", "REDIS_URL": ""})
    assert settings.api_token is None and settings.redis_url is None
    assert settings.secret_key == DEV_SECRET_KEY
    assert settings.database_url.startswith("sqlite:///") and settings.kb_embeddings is True
    assert settings.handoff_idle_minutes == 10.0


def test_variables_override_and_are_parsed() -> None:
    settings = Settings.from_environ({
        "DATABASE_URL": "postgresql://bank@db/kefu", "KEFU_HANDOFF_IDLE_MINUTES": "2.5", "KEFU_KB_EMBEDDINGS": "off",
        "KEFU_EMBEDDING_CACHE": "/srv/cache",
    })
    assert settings.database_url == "postgresql://bank@db/kefu"
    assert settings.handoff_idle_minutes == 2.5 and settings.kb_embeddings is False
    assert settings.embedding_cache == Path("/srv/cache")


def test_the_scaled_profile_has_its_own_defaults_which_the_environment_still_overrides() -> None:
    scaled = Settings.from_environ({}, profile=SCALED)
    assert scaled.database_url.startswith("postgresql://") and scaled.redis_url.startswith("redis://")
    assert Settings.from_environ({"REDIS_URL": "redis://cache:6380/0"}, profile=SCALED).redis_url == "redis://cache:6380/0"


def test_a_malformed_value_names_its_variable() -> None:
    with pytest.raises(ValueError, match="KEFU_HANDOFF_IDLE_MINUTES"):
        Settings.from_environ({"KEFU_HANDOFF_IDLE_MINUTES": "ten"})


def test_the_current_settings_follow_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEFU_RATE_LIMIT", "5/10")
    assert current_settings().rate_limit == "5/10"


def test_settings_round_trip_through_a_child_environment() -> None:
    settings = Settings.from_environ({"KEFU_KB_EMBEDDINGS": "0", "KEFU_API_TOKEN": "t"})
    assert Settings.from_environ(settings.environment()) == settings


def test_the_configuration_document_is_generated_from_the_settings() -> None:
    document = (PROJECT_ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    assert document == configuration_markdown(), "regenerate: python -m bot.core.settings > docs/configuration.md"
    assert "`KEFU_SERVICE_HOURS`" in document and "`WECHAT_TOKEN`" in document
