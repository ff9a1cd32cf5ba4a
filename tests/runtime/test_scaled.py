"""The scaled profile's environment: one URL per service, the parts Rasa's endpoint file needs derived from it."""

from __future__ import annotations

from bot.runtime.scaled import instance_ports, scaled_environment
from bot.runtime.serve import ServerPorts


def test_local_defaults_fill_what_is_not_set() -> None:
    env = scaled_environment({})
    assert env["DATABASE_URL"] == "postgresql://postgres@127.0.0.1:5432/kefu"
    assert (env["KEFU_PG_HOST"], env["KEFU_PG_PORT"], env["KEFU_PG_USER"], env["KEFU_PG_PASSWORD"]) == (
        "127.0.0.1", "5432", "postgres", "")
    assert (env["KEFU_REDIS_HOST"], env["KEFU_REDIS_PORT"], env["KEFU_REDIS_LOCK_DB"]) == ("127.0.0.1", "6379", "1")
    assert (env["KEFU_RABBITMQ_USER"], env["KEFU_RABBITMQ_PASSWORD"]) == ("guest", "guest")


def test_the_tracker_store_lock_store_and_broker_follow_the_single_urls() -> None:
    env = scaled_environment({
        "DATABASE_URL": "postgresql://kefu:s%40cret@db.bank:6432/app",
        "REDIS_URL": "redis://cache.bank:6380/4",
        "KEFU_RABBITMQ_URL": "amqp://bot:p%2Fw@mq.bank:5673/",
    })
    assert (env["KEFU_PG_HOST"], env["KEFU_PG_PORT"], env["KEFU_PG_USER"], env["KEFU_PG_PASSWORD"]) == (
        "db.bank", "6432", "kefu", "s@cret")
    assert (env["KEFU_REDIS_HOST"], env["KEFU_REDIS_PORT"]) == ("cache.bank", "6380")
    assert (env["KEFU_RABBITMQ_HOST"], env["KEFU_RABBITMQ_PORT"], env["KEFU_RABBITMQ_USER"],
            env["KEFU_RABBITMQ_PASSWORD"]) == ("mq.bank", "5673", "bot", "p/w")


def test_instances_take_consecutive_ports_and_share_the_console() -> None:
    ports = instance_ports(ServerPorts(rasa=5005, actions=5055, console=5010), 3)
    assert [(p.rasa, p.actions, p.console) for p in ports] == [(5005, 5055, 5010), (5006, 5056, 5010),
                                                              (5007, 5057, 5010)]
