"""Every setting of kefu, read from the environment in one place.

`current_settings()` builds a frozen `Settings` from `os.environ` on each call (cheap), so a changed
environment is seen at once. Each field names its variable, default and meaning; `docs/configuration.md` is
generated from them (`python -m bot.core.settings > docs/configuration.md`). This is the only module that
reads `os.environ`, apart from the launchers in `bot.runtime` that pass environments to child processes.
Empty values count as unset.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.core.paths import BUILD_DIR, KNOWLEDGE_BASE_DIR, VAR_DIR

EMBEDDED = "embedded"
SCALED = "scaled"
DEV_SECRET_KEY = "kefu-dev-secret-change-me"
_OFF = {"0", "off", "false", "no"}
LOG_FORMATS = ("text", "json")


def _flag(text: str) -> bool:
    return text.strip().lower() not in _OFF


def _number(text: str) -> float:
    return float(text)


def _positive(text: str) -> int:
    number = int(text)
    if number < 1:
        raise ValueError("must be at least 1")
    return number


def _days(text: str) -> int:
    days = int(text)
    if days < 0:
        raise ValueError("days cannot be negative")
    return days


def _count(text: str) -> int:
    count = int(text)
    if count < 0:
        raise ValueError("cannot be negative")
    return count


def _log_format(text: str) -> str:
    value = text.strip().lower()
    if value not in LOG_FORMATS:
        raise ValueError(f"must be one of {', '.join(LOG_FORMATS)}")
    return value


def _setting(
    env: str, default: str | None, meaning: str, group: str, *,
    parse: Callable[[str], Any] = str, scaled: str | None = None,
) -> Any:
    """A settings field read from `env`; `scaled` is its default in the scaled profile, when that differs."""
    metadata = {"env": env, "default": default, "meaning": meaning, "group": group, "parse": parse, "scaled": scaled}
    return field(metadata=metadata)


@dataclass(frozen=True)
class Settings:
    """kefu's configuration; build it with `Settings.from_environ` or `current_settings()`."""

    database_url: str = _setting(
        "DATABASE_URL", f"sqlite:///{VAR_DIR / 'kefu.db'}",
        "SQLAlchemy URL of the application database (customers, tickets, knowledge base, analytics).",
        "Core", scaled="postgresql://postgres@127.0.0.1:5432/kefu")
    tracker_url: str | None = _setting(
        "KEFU_TRACKER_URL", None,
        "Embedded profile: SQLAlchemy URL of Rasa's tracker store (the stored, redacted conversations); "
        "unset: the application database.", "Core")
    secret_key: str = _setting(
        "KEFU_SECRET_KEY", DEV_SECRET_KEY,
        "HMAC key of one-time codes, identity tokens and sealed slots. Set it in production.", "Core")
    api_token: str | None = _setting(
        "KEFU_API_TOKEN", None,
        "Token of the Rasa HTTP API; `kefu run` makes a random one when unset.", "Core")
    rasa_url: str = _setting(
        "RASA_URL", "http://127.0.0.1:5005",
        "The Rasa server the console and agents' messages talk to (set by `kefu run`).", "Core")
    redis_url: str | None = _setting(
        "REDIS_URL", None,
        "Redis for rate limits, WeChat state and widget rooms across instances; in memory when unset.",
        "Channels", scaled="redis://127.0.0.1:6379/2")
    rate_limit: str = _setting(
        "KEFU_RATE_LIMIT", "30/60", "Messages per sender per seconds, as `messages/seconds`.", "Channels")
    widget_allowed_origins: str | None = _setting(
        "WIDGET_ALLOWED_ORIGINS", None,
        "Comma-separated origins allowed to open the widget (else `allowed_origins` in credentials.yml, "
        "else any).", "Channels")
    wechat_token: str | None = _setting(
        "WECHAT_TOKEN", None, "Token of the WeChat Official Account (signature check).", "WeChat")
    wechat_app_id: str | None = _setting("WECHAT_APP_ID", None, "AppID of the Official Account.", "WeChat")
    wechat_app_secret: str | None = _setting(
        "WECHAT_APP_SECRET", None, "AppSecret (needed for the customer-service message API).", "WeChat")
    wechat_encoding_aes_key: str | None = _setting(
        "WECHAT_ENCODING_AES_KEY", None, "EncodingAESKey for encrypted (safe-mode) messages.", "WeChat")
    wechat_api_base: str | None = _setting(
        "WECHAT_API_BASE", None, "Base URL of WeChat's API (default https://api.weixin.qq.com).", "WeChat")
    wechat_reply_deadline: str | None = _setting(
        "WECHAT_REPLY_DEADLINE", None,
        "Seconds to answer a WeChat message inside its request before sending by API (default 4.5).", "WeChat")
    wechat_binding_days: int = _setting(
        "KEFU_WECHAT_BINDING_DAYS", "30",
        "Days a WeChat follower's OpenID, once bound with consent after an SMS verification, counts as verified.",
        "WeChat", parse=_positive)
    service_hours: str = _setting(
        "KEFU_SERVICE_HOURS", "00:00-24:00", "Daily hours of the human service, `HH:MM-HH:MM`.", "Handoff")
    handoff_idle_minutes: float = _setting(
        "KEFU_HANDOFF_IDLE_MINUTES", "10", "Minutes without activity after which a live ticket is abandoned.",
        "Handoff", parse=_number)
    login_lockout_failures: int = _setting(
        "KEFU_LOGIN_LOCKOUT_FAILURES", "5",
        "Console: wrong passwords, for one username or from one client address, that lock the login.",
        "Handoff", parse=_positive)
    login_lockout_window_minutes: int = _setting(
        "KEFU_LOGIN_LOCKOUT_WINDOW_MINUTES", "15",
        "Console: the minutes within which that many wrong passwords lock the login.", "Handoff", parse=_positive)
    login_lockout_minutes: int = _setting(
        "KEFU_LOGIN_LOCKOUT_MINUTES", "15",
        "Console: how long a locked username or address cannot log in.", "Handoff", parse=_positive)
    quality_rules: Path = _setting(
        "KEFU_QUALITY_RULES", str(KNOWLEDGE_BASE_DIR / "quality_rules.yml"),
        "Console: the 质检 rules (forbidden phrases, greeting, first-response and waiting limits) that score "
        "agents' conversations; the waiting limit is also when a supervisor may reassign a ticket.",
        "Handoff", parse=Path)
    kb_embeddings: bool = _setting(
        "KEFU_KB_EMBEDDINGS", "1", "Sentence embeddings in knowledge-base retrieval; 0/off: lexical only.",
        "Knowledge base", parse=_flag)
    kb_embed_at_most: int = _setting(
        "KEFU_KB_EMBED_AT_MOST", "300",
        "Texts a server embeds before it answers from a newly published knowledge base: with more new texts "
        "(a large import), it answers without sentence embeddings at once and swaps in the embedded index when "
        "the background embedding is done (`kefu kb index` embeds everything ahead).",
        "Knowledge base", parse=_count)
    kb_reload_seconds: float = _setting(
        "KEFU_KB_RELOAD_SECONDS", "2",
        "Seconds between the servers' checks for a newly published knowledge base (and a new day, when entries "
        "become effective or expire); a change is indexed in the background and swapped in.",
        "Knowledge base", parse=_number)
    embedding_cache: Path = _setting(
        "KEFU_EMBEDDING_CACHE", str(BUILD_DIR / "embeddings"),
        "Folder caching the sentence embeddings of knowledge-base texts.", "Knowledge base", parse=Path)
    retention_days_conversations: int = _setting(
        "KEFU_RETENTION_DAYS_CONVERSATIONS", "180",
        "Days a stored conversation (tracker store events) is kept after its last event, with the identity "
        "verifications made in it; 0: forever.", "Retention", parse=_days)
    retention_days_tickets: int = _setting(
        "KEFU_RETENTION_DAYS_TICKETS", "365",
        "Days a closed handoff ticket (its summary, left message and agents' messages) is kept; 0: forever.",
        "Retention", parse=_days)
    retention_days_analytics: int = _setting(
        "KEFU_RETENTION_DAYS_ANALYTICS", "365",
        "Days a (pseudonymous) analytics row of a conversation event is kept; 0: forever.", "Retention",
        parse=_days)
    retention_days_sms_outbox: int = _setting(
        "KEFU_RETENTION_DAYS_SMS_OUTBOX", "30", "Days a text message of the SMS outbox is kept; 0: forever.",
        "Retention", parse=_days)
    retention_days_identity_challenges: int = _setting(
        "KEFU_RETENTION_DAYS_IDENTITY_CHALLENGES", "30",
        "Days a one-time-code challenge (phone, code hash) is kept after it was sent; 0: forever.", "Retention",
        parse=_days)
    retention_days_agent_sessions: int = _setting(
        "KEFU_RETENTION_DAYS_AGENT_SESSIONS", "90",
        "Days an agent's console session is kept after it expired; 0: forever.", "Retention", parse=_days)
    tracker_db: str = _setting(
        "KEFU_TRACKER_DB", "kefu_tracker",
        "Scaled profile: PostgreSQL database of Rasa's tracker store, on the server of DATABASE_URL.", "Scaled profile")
    redis_lock_db: str = _setting(
        "KEFU_REDIS_LOCK_DB", "1",
        "Scaled profile: Redis database number of Rasa's lock store, on the server of REDIS_URL.", "Scaled profile")
    redis_prefix: str = _setting(
        "KEFU_REDIS_PREFIX", "kefu", "Scaled profile: key prefix of Rasa's lock store.", "Scaled profile")
    rabbitmq_url: str = _setting(
        "KEFU_RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672/",
        "Scaled profile: RabbitMQ of Rasa's event broker (conversation events for analytics).", "Scaled profile")
    events_queue: str = _setting(
        "KEFU_EVENTS_QUEUE", "kefu_events", "Scaled profile: the RabbitMQ queue of conversation events.",
        "Scaled profile")
    log_format: str = _setting(
        "KEFU_LOG_FORMAT", "text",
        "Log lines of every process: `text` (human-readable) or `json` (one JSON object per line with time, "
        "level, process, logger, hashed conversation id, request id and event; see docs/runbook.md).",
        "Operations", parse=_log_format)

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None, profile: str = EMBEDDED) -> Settings:
        """Settings from `environ` (default `os.environ`); unset variables take the `profile`'s defaults."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for item in dataclasses.fields(cls):
            meta = item.metadata
            raw = (env.get(meta["env"]) or "").strip() or None
            if raw is None:
                raw = meta["scaled"] if profile == SCALED and meta["scaled"] is not None else meta["default"]
            try:
                values[item.name] = None if raw is None else meta["parse"](raw)
            except ValueError as error:
                raise ValueError(f"{meta['env']}={raw!r} is not valid: {error}") from None
        return cls(**values)

    @property
    def conversations_url(self) -> str:
        """Where the embedded profile's tracker store keeps conversations."""
        return self.tracker_url or self.database_url

    def environment(self) -> dict[str, str]:
        """These settings as environment variables (unset ones left out), for child processes."""
        env = {}
        for item in dataclasses.fields(self):
            value = getattr(self, item.name)
            if value is not None:
                env[item.metadata["env"]] = ("1" if value else "0") if isinstance(value, bool) else str(value)
        return env


def library_default(name: str, value: str) -> None:
    """Give a library's environment variable (e.g. OpenMP's `OMP_WAIT_POLICY`) a default for this process."""
    os.environ.setdefault(name, value)


def current_settings() -> Settings:
    """The embedded profile's settings from the current environment."""
    return Settings.from_environ()


def configuration_markdown() -> str:
    """`docs/configuration.md`: every variable with its default and meaning, by group."""
    lines = [
        "# Configuration",
        "",
        "Generated from `bot/core/settings.py` by `python -m bot.core.settings`; do not edit by hand.",
        "Every setting is an environment variable; empty values count as unset.",
    ]
    group = None
    for item in dataclasses.fields(Settings):
        meta = item.metadata
        if meta["group"] != group:
            group = meta["group"]
            lines += ["", f"## {group}", "", "| Variable | Default | Meaning |", "| --- | --- | --- |"]
        default = "(unset)" if meta["default"] is None else f"`{meta['default']}`"
        default = default.replace(str(VAR_DIR.parent), ".")
        if meta["scaled"] is not None:
            default += f"; scaled profile `{meta['scaled']}`"
        lines.append(f"| `{meta['env']}` | {default} | {meta['meaning']} |")
    lines += [
        "", "## Set by the launchers", "",
        "`kefu run` sets these for Rasa's endpoint files; do not set them yourself. `ACTION_ENDPOINT_URL` "
        "(the action server of each instance); in the scaled profile `KEFU_PG_HOST`, `KEFU_PG_PORT`, "
        "`KEFU_PG_USER`, `KEFU_PG_PASSWORD` (from `DATABASE_URL`), `KEFU_REDIS_HOST`, `KEFU_REDIS_PORT` "
        "(from `REDIS_URL`) and `KEFU_RABBITMQ_HOST`, `KEFU_RABBITMQ_PORT`, `KEFU_RABBITMQ_USER`, "
        "`KEFU_RABBITMQ_PASSWORD` (from `KEFU_RABBITMQ_URL`).",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(configuration_markdown(), end="")
