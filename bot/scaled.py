"""The scaled-out profile: PostgreSQL, Redis and RabbitMQ settings, from the environment with local defaults."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.future import create_engine

from bot.serve import ServerPorts, instance_health_urls, start_console, start_instance, wait_for
from bot.settings import PROJECT_ROOT

SCALED_ENDPOINTS = PROJECT_ROOT / "endpoints.scaled.yml"

DEFAULTS = {
    "DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/kefu",
    "KEFU_PG_HOST": "127.0.0.1",
    "KEFU_PG_PORT": "5432",
    "KEFU_PG_USER": "postgres",
    "KEFU_PG_PASSWORD": "",
    "KEFU_TRACKER_DB": "kefu_tracker",
    "KEFU_REDIS_HOST": "127.0.0.1",
    "KEFU_REDIS_PORT": "6379",
    "KEFU_REDIS_DB": "1",
    "KEFU_REDIS_PREFIX": "kefu",
    "REDIS_URL": "redis://127.0.0.1:6379/2",
    "KEFU_RABBITMQ_HOST": "127.0.0.1",
    "KEFU_RABBITMQ_PORT": "5672",
    "KEFU_RABBITMQ_USER": "guest",
    "KEFU_RABBITMQ_PASSWORD": "guest",
    "KEFU_EVENTS_QUEUE": "kefu_events",
}
"""Every variable the scaled profile reads; a bank sets them (secrets included) in the environment."""


def scaled_environment(environ: dict[str, str] | None = None) -> dict[str, str]:
    """The profile's variables: those already set win over the local defaults."""
    environ = dict(os.environ if environ is None else environ)
    return {name: environ.get(name, default) for name, default in DEFAULTS.items()}


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
    wait_for([*urls, f"{instances[0].console_url}/health"], processes)


def amqp_url(settings: dict[str, str]) -> str:
    """The RabbitMQ URL of the profile's settings."""
    user, password = settings["KEFU_RABBITMQ_USER"], settings["KEFU_RABBITMQ_PASSWORD"]
    return f"amqp://{user}:{password}@{settings['KEFU_RABBITMQ_HOST']}:{settings['KEFU_RABBITMQ_PORT']}/"


def start_event_consumer(base: dict[str, str]) -> subprocess.Popen:
    """`kefu events consume`: conversation events from RabbitMQ into the analytics table."""
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli.main", "events", "consume"], cwd=PROJECT_ROOT, env={**os.environ, **base}
    )
