"""The scaled profile on the real services: two Rasa instances sharing PostgreSQL, Redis and RabbitMQ.

Skipped with a reason when a service is unreachable, unless REQUIRE_SERVICES=1 (as in CI).
"""

from __future__ import annotations

import asyncio
import os
import secrets
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import aio_pika
import aiohttp
import pytest
import requests
from sqlalchemy import select, text

from bot.accounts import queries
from bot.accounts.identity_token import sign
from bot.accounts.models import Customer
from bot.analytics.events import conversation_key
from bot.analytics.models import ConversationEvent
from bot.channels.guard import UNAVAILABLE
from bot.content.files import import_content
from bot.core.db import create_db_engine, session_factory
from bot.core.paths import KNOWLEDGE_BASE_DIR
from bot.core.settings import current_settings
from bot.db.seed import seed_demo_customers
from bot.devtools.shell import ChatSession
from bot.handoff.models import Ticket
from bot.runtime.scaled import (
    SCALED_ENDPOINTS,
    ensure_database,
    scaled_environment,
    start_scaled,
    wait_until_scaled_ready,
)
from bot.runtime.serve import (
    ServerPorts,
    instance_health_urls,
    start_action_server,
    start_instance,
    stop_servers,
    wait_for,
)
from tests.support.chat import ID_LAST4, PHONE, latest_code, said
from tests.support.servers import free_port
from tests.support.widget import WidgetSocket

SERVICES = {"PostgreSQL": 5432, "Redis": 6379, "RabbitMQ": 5672}


def require_services() -> None:
    """Skip (or, under REQUIRE_SERVICES=1, fail) when a service does not listen on loopback."""
    for name, port in SERVICES.items():
        try:
            socket.create_connection(("127.0.0.1", port), timeout=2).close()
        except OSError as error:
            if os.environ.get("REQUIRE_SERVICES") == "1":
                raise
            pytest.skip(f"{name} is not reachable on 127.0.0.1:{port}: {error}")


@dataclass
class Stack:
    """The running scaled profile."""

    instances: list[ServerPorts]
    processes: list[subprocess.Popen]
    database_url: str
    api_token: str
    environment: dict[str, str]

    def chat(self, instance: int, sender: str) -> ChatSession:
        """A customer's session on one instance (the same sender id may talk to either)."""
        return ChatSession(self.instances[instance].rasa_url, sender=sender, channel="web")


@pytest.fixture(scope="module")
def stack(model_path: Path) -> Iterator[Stack]:
    """Two instances (Rasa + action server each), the console and the event consumer, on fresh names."""
    require_services()
    suffix = secrets.token_hex(4)
    base = scaled_environment({
        "DATABASE_URL": f"postgresql://postgres@127.0.0.1:5432/kefu_scaled_{suffix}",
        "KEFU_TRACKER_DB": f"kefu_tracker_{suffix}",
        "KEFU_REDIS_PREFIX": f"kefu_{suffix}",
        "REDIS_URL": "redis://127.0.0.1:6379/3",
        "KEFU_EVENTS_QUEUE": f"kefu_events_{suffix}",
    })
    ensure_database(base["DATABASE_URL"])
    import_content(KNOWLEDGE_BASE_DIR, base["DATABASE_URL"])
    seed_demo_customers(base["DATABASE_URL"])
    console = free_port()
    instances = [ServerPorts(rasa=free_port(), actions=free_port(), console=console) for _ in range(2)]
    token = secrets.token_hex(8)
    processes = start_scaled(model_path, instances, token, base)
    try:
        wait_until_scaled_ready(instances, processes)
        yield Stack(instances, processes, base["DATABASE_URL"], token, base)
    finally:
        stop_servers(processes)
        create_db_engine(base["DATABASE_URL"]).dispose()
        drop_databases(base["DATABASE_URL"], base["KEFU_TRACKER_DB"])
        asyncio.run(delete_queue(base["KEFU_RABBITMQ_URL"], base["KEFU_EVENTS_QUEUE"]))


def drop_databases(app_url: str, tracker_db: str) -> None:
    admin = create_db_engine(app_url.rsplit("/", 1)[0] + "/postgres").execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        for name in (app_url.rsplit("/", 1)[1], tracker_db):
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


async def delete_queue(url: str, name: str) -> None:
    connection = await aio_pika.connect_robust(url)
    async with connection:
        channel = await connection.channel()
        await channel.queue_delete(name)


def test_a_conversation_alternating_between_instances_keeps_its_state(stack: Stack) -> None:
    sender = f"scaled-{secrets.token_hex(6)}"
    first, second = stack.chat(0, sender), stack.chat(1, sender)
    assert "验证身份" in said(first.send("帮我查下账户余额"))
    assert "身份证" in said(second.send(PHONE))
    assert "验证码已发送" in said(first.send(ID_LAST4))
    reply = said(second.send(latest_code(stack.database_url, PHONE)))
    assert "身份验证成功" in reply and "尾号3321" in reply
    assert "尾号8866" in said(first.send("我的信用卡余额呢"))
    tracker_url = stack.database_url.rsplit("/", 1)[0] + "/" + stack.environment["KEFU_TRACKER_DB"]
    with create_db_engine(tracker_url).connect() as connection:
        stored = connection.execute(
            text("SELECT data FROM events WHERE sender_id = :sender"), {"sender": sender}
        ).scalars().all()
    assert stored and not any(PHONE in row for row in stored)


def test_conversation_events_reach_the_consumer(stack: Stack) -> None:
    sender = f"scaled-{secrets.token_hex(6)}"
    stack.chat(0, sender).send("信用卡怎么还款")
    deadline = time.monotonic() + 30
    rows: list[ConversationEvent] = []
    while time.monotonic() < deadline and not any(row.faq_outcome for row in rows):
        time.sleep(0.5)
        with session_factory(stack.database_url)() as session:
            query = select(ConversationEvent).where(ConversationEvent.conversation == conversation_key(sender))
            rows = list(session.scalars(query))
    assert any(row.intent == "faq" and row.channel == "web" for row in rows)
    assert any(row.action == "action_answer_faq" for row in rows)
    assert any(row.faq_outcome == "answer" for row in rows)


def customers_and_card_tails(database_url: str) -> dict[int, set[str]]:
    """Every demo customer's card tails."""
    with session_factory(database_url)() as session:
        return {
            customer: {card.tail for card in queries.cards(session, customer)}
            for customer in session.scalars(select(Customer.id))
        }


def test_200_concurrent_conversations_for_a_minute_without_errors_or_cross_talk(stack: Stack) -> None:
    tails = customers_and_card_tails(stack.database_url)
    customers = sorted(tails)
    all_tails = set().union(*tails.values())
    deadline = time.monotonic() + 60
    expires = datetime.now() + timedelta(hours=1)

    async def conversation(index: int, http: aiohttp.ClientSession) -> tuple[int, list[str]]:
        customer = customers[index % len(customers)]
        url = f"{stack.instances[index % len(stack.instances)].rasa_url}/webhooks/web/webhook"
        body = {"sender": f"load-{index}-{secrets.token_hex(4)}",
                "metadata": {"customer_token": sign(customer, expires, current_settings().secret_key)}}
        turns, problems = 0, []
        while time.monotonic() < deadline:
            async with http.post(url, json={**body, "message": "查一下我的余额"}) as reply:
                if reply.status != 200:
                    problems.append(f"HTTP {reply.status}")
                    continue
                text = " ".join(m.get("text") or "" for m in await reply.json())
            shown = {tail for tail in all_tails if f"尾号{tail}" in text}
            if not shown or not shown <= tails[customer]:
                problems.append(f"customer {customer} was shown {shown or text[:80]}")
            turns += 1
        return turns, problems

    async def run() -> list[tuple[int, list[str]]]:
        timeout = aiohttp.ClientTimeout(total=120)
        async with aiohttp.ClientSession(timeout=timeout, connector=aiohttp.TCPConnector(limit=200)) as http:
            return await asyncio.gather(*(conversation(i, http) for i in range(200)))

    results = asyncio.run(run())
    problems = [problem for _, found in results for problem in found]
    assert problems == []
    assert all(turns >= 1 for turns, _ in results)


def test_an_agent_message_pushed_through_one_instance_reaches_a_page_on_the_other(stack: Stack) -> None:
    async def scenario() -> dict:
        async with WidgetSocket(stack.instances[1].rasa_url) as page:
            session_id = (await page.start(None))["session_id"]
            await page.say(session_id, "你好")
            push = [{"event": "bot", "text": "您好，我是客服小王", "metadata": {"agent": "小王", "message_id": "m-1"}}]
            params = {"token": stack.api_token, "execute_side_effects": "true", "output_channel": "latest"}
            response = await asyncio.to_thread(
                requests.post,
                f"{stack.instances[0].rasa_url}/conversations/{session_id}/tracker/events",
                params=params, json=push, timeout=30,
            )
            response.raise_for_status()
            return await page.next("bot_uttered")

    message = asyncio.run(scenario())
    assert (message["text"], message["agent"]) == ("您好，我是客服小王", "小王")


def restart_postgresql() -> None:
    """Restart the local PostgreSQL server (as the machine's services are started) and wait for it."""
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"], check=True, timeout=120
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", 5432), timeout=2).close()
            return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError("PostgreSQL did not come back")


def test_postgresql_restarted_under_load_loses_and_duplicates_nothing(stack: Stack) -> None:
    """Customers leave messages (a ticket each) while PostgreSQL restarts; failed turns are answered politely and
    retried as a customer would, and afterwards every conversation has exactly its one ticket."""
    restarted = threading.Event()

    def customer(index: int) -> tuple[str, list[str]]:
        sender, text = f"pg-{index}-{secrets.token_hex(4)}", f"请回电话，编号{index}"
        chat, replies = stack.chat(index % 2, sender), []
        steps = [("转人工", "留言"), (text, "已收到您的留言")]
        for number, (message, expected) in enumerate(steps):
            if number == 1 and index % 2 == 0:
                restarted.wait(timeout=120)
            for _ in range(20):
                reply = said(chat.send(message))
                replies.append(reply)
                if expected in reply:
                    break
                assert reply == UNAVAILABLE, f"{sender}: unexpected reply {reply!r}"
                time.sleep(1)
        return sender, replies

    with ThreadPoolExecutor(max_workers=12) as pool:
        futures = [pool.submit(customer, index) for index in range(12)]
        time.sleep(2)
        restart_postgresql()
        restarted.set()
        results = [future.result(timeout=600) for future in futures]
    with session_factory(stack.database_url)() as session:
        for sender, replies in results:
            assert "已收到您的留言" in replies[-1]
            tickets = session.scalars(select(Ticket).where(Ticket.conversation_id == sender)).all()
            assert [(t.kind, t.left_message.startswith("请回电话")) for t in tickets] == [("message", True)]


def test_the_bot_apologises_while_the_action_server_is_down_and_recovers(stack: Stack) -> None:
    chat = stack.chat(1, f"scaled-{secrets.token_hex(6)}")
    actions_second = stack.processes[2]
    actions_second.terminate()
    actions_second.wait(timeout=30)
    assert said(chat.send("信用卡怎么还款")) == UNAVAILABLE
    stack.processes[2] = start_action_server(stack.instances[1], stack.environment)
    wait_for(instance_health_urls(stack.instances[1]), [stack.processes[2]])
    assert "还款" in said(chat.send("信用卡怎么还款"))


ROLLING_TURNS = ("你好", "信用卡年费是多少", "谢谢")


class Balancer:
    """What the bank's load balancer does in a rolling restart: each turn goes to the next instance in rotation;
    an instance is taken out of rotation and its turns in flight finish before it is stopped."""

    def __init__(self, urls: list[str]) -> None:
        self.rotation = list(urls)
        self.in_flight = dict.fromkeys(urls, 0)
        self.turns = 0
        self.changed = threading.Condition()

    def send(self, sender: str, text: str) -> list[str]:
        with self.changed:
            url = self.rotation[self.turns % len(self.rotation)]
            self.turns += 1
            self.in_flight[url] += 1
        try:
            return [str(reply.get("text", "")) for reply in ChatSession(url, sender=sender, timeout=120).send(text)]
        finally:
            with self.changed:
                self.in_flight[url] -= 1
                self.changed.notify_all()

    def drain(self, url: str) -> None:
        with self.changed:
            self.rotation.remove(url)
            assert self.changed.wait_for(lambda: self.in_flight[url] == 0, timeout=120)

    def restore(self, url: str) -> None:
        with self.changed:
            self.rotation.append(url)


def test_a_rolling_restart_under_load_fails_no_turn(stack: Stack, model_path: Path) -> None:
    balancer = Balancer([ports.rasa_url for ports in stack.instances])

    def conversation() -> list[list[str]]:
        sender = f"rolling-{secrets.token_hex(6)}"
        return [balancer.send(sender, turn) for turn in ROLLING_TURNS]

    expected = conversation()
    played: list[list[list[str]]] = []
    errors: list[BaseException] = []
    restarted = threading.Event()

    def customer() -> None:
        try:
            while not restarted.is_set():
                played.append(conversation())
                restarted.wait(0.3)
        except BaseException as error:  # noqa: BLE001 - a customer's failed turn is what the test looks for
            errors.append(error)

    customers = [threading.Thread(target=customer) for _ in range(3)]
    for thread in customers:
        thread.start()
    try:
        for number, ports in enumerate(stack.instances):
            balancer.drain(ports.rasa_url)
            actions, rasa = stack.processes[2 * number : 2 * number + 2]
            stop_servers([rasa])
            stop_servers([actions])
            stack.processes[2 * number : 2 * number + 2] = start_instance(
                model_path, ports, stack.api_token, SCALED_ENDPOINTS, stack.environment)
            wait_for(instance_health_urls(ports), stack.processes[2 * number : 2 * number + 2], timeout=600)
            balancer.restore(ports.rasa_url)
    finally:
        restarted.set()
        for thread in customers:
            thread.join(timeout=300)
    assert errors == []
    assert len(played) >= 6
    assert all(result == expected for result in played), [result for result in played if result != expected][:2]


def test_the_conversation_survives_losing_an_instance(stack: Stack) -> None:
    sender = f"scaled-{secrets.token_hex(6)}"
    assert "验证身份" in said(stack.chat(0, sender).send("帮我查下账户余额"))
    rasa_first = stack.processes[1]
    rasa_first.terminate()
    rasa_first.wait(timeout=30)
    assert "身份证" in said(stack.chat(1, sender).send(PHONE))

