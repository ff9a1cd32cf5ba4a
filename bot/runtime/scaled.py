"""The scaled-out profile: PostgreSQL, Redis and RabbitMQ for every instance, with local defaults."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import unquote, urlsplit

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.future import create_engine

from bot.core.paths import PROJECT_ROOT
from bot.core.settings import SCALED, Settings
from bot.runtime.serve import ServerPorts, instance_health_urls, start_console, start_instance, wait_for

SCALED_ENDPOINTS = PROJECT_ROOT / "endpoints.scaled.yml"



def scaled_environment(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of the scaled profile's processes: its settings (those set in `environ`, default
    `os.environ`, win over the profile's local defaults) plus what `endpoints.scaled.yml` reads, derived from
    the single URLs of PostgreSQL (`DATABASE_URL`), Redis (`REDIS_URL`) and RabbitMQ (`KEFU_RABBITMQ_URL`)."""
    settings = Settings.from_environ(environ, profile=SCALED)
    env = settings.environment()
    database, redis, rabbitmq = make_url(settings.database_url), urlsplit(settings.redis_url or ""), urlsplit(
        settings.rabbitmq_url)
    env.update({
        "KEFU_PG_HOST": database.host or "127.0.0.1",
        "KEFU_PG_PORT": str(database.port or 5432),
        "KEFU_PG_USER": database.username or "postgres",
        "KEFU_PG_PASSWORD": database.password or "",
        "KEFU_REDIS_HOST": redis.hostname or "127.0.0.1",
        "KEFU_REDIS_PORT": str(redis.port or 6379),
        "KEFU_RABBITMQ_HOST": rabbitmq.hostname or "127.0.0.1",
        "KEFU_RABBITMQ_PORT": str(rabbitmq.port or 5672),
        "KEFU_RABBITMQ_USER": unquote(rabbitmq.username or "guest"),
        "KEFU_RABBITMQ_PASSWORD": unquote(rabbitmq.password or "guest"),
    })
    return env


def enter_scaled_profile() -> dict[str, str]:
    """Switch this process to the scaled profile: its environment set here (and so inherited by every
    server), the application database created if missing. Returns that environment."""
    base = scaled_environment()
    os.environ.update(base)
    ensure_database(base["DATABASE_URL"])
    return base


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database named in `url` if it does not exist yet (other backends: nothing)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            exists = connection.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": parsed.database}
            ).first()
            if not exists:
                connection.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    finally:
        admin.dispose()


def instance_ports(first: ServerPorts, count: int) -> list[ServerPorts]:
    """Ports of `count` instances: the first as given, the others on the next port numbers."""
    return [
        ServerPorts(rasa=first.rasa + i, actions=first.actions + i, console=first.console, host=first.host)
        for i in range(count)
    ]


def start_scaled(
    model: Path, instances: list[ServerPorts], api_token: str, base: dict[str, str]
) -> list[subprocess.Popen]:
    """Every instance's Rasa and action server on the shared services, one console (on the first instance)
    and the event consumer.

    The application database (`base["DATABASE_URL"]`) must exist and be migrated (`kefu db seed`).
    """
    processes = []
    for ports in instances:
        processes += start_instance(model, ports, api_token, SCALED_ENDPOINTS, base)
    processes.append(start_console(instances[0], api_token, base))
    processes.append(start_event_consumer(base))
    return processes


def wait_until_scaled_ready(instances: list[ServerPorts], processes: list[subprocess.Popen]) -> None:
    """Block until every instance and the console answer."""
    urls = [url for ports in instances for url in instance_health_urls(ports)]
    wait_for([*urls, f"{instances[0].console_url}/ready"], processes)


def start_event_consumer(base: dict[str, str]) -> subprocess.Popen:
    """`kefu events consume`: conversation events from RabbitMQ into the analytics table."""
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli.main", "events", "consume"], cwd=PROJECT_ROOT, env={**os.environ, **base}
    )
