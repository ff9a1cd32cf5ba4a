"""`POST /webhooks/web/reload` on the live Rasa server: a model put into service while conversations run loses
no turn and answers none twice; without the API token nothing is loaded."""

from __future__ import annotations

import threading
import time
import uuid
from pathlib import Path

import requests

from bot.devtools.shell import ChatSession
from bot.runtime.serve import ServerPorts

TURNS = ("你好", "信用卡年费是多少", "谢谢")
CUSTOMERS = 2
PAUSE_SECONDS = 0.5
"""Customers come back after a pause: under saturation the new model loads while every message is served
first, which takes minutes on 2 cores."""


def texts(replies: list[dict[str, object]]) -> list[str]:
    return [str(reply.get("text", "")) for reply in replies]


def conversation(url: str) -> list[list[str]]:
    session = ChatSession(url, sender=f"reload-{uuid.uuid4().hex[:12]}", timeout=120)
    return [texts(session.send(turn)) for turn in TURNS]


def test_reload_needs_the_api_token(servers: ServerPorts, model_path: Path) -> None:
    url = f"{servers.rasa_url}/webhooks/web/reload"
    assert requests.post(url, json={"model": str(model_path)}, timeout=10).status_code == 401
    wrong = requests.post(url, json={"model": str(model_path)}, headers={"Authorization": "Bearer nope"}, timeout=10)
    assert wrong.status_code == 401


def test_a_missing_model_leaves_the_serving_one(servers: ServerPorts, api_token: str) -> None:
    reply = requests.post(
        f"{servers.rasa_url}/webhooks/web/reload", json={"model": "/no/such/model.tar.gz"},
        headers={"Authorization": f"Bearer {api_token}"}, timeout=10,
    )
    assert reply.status_code == 400
    assert conversation(servers.rasa_url)[1]


def test_reloading_under_load_loses_and_repeats_no_turn(servers: ServerPorts, model_path: Path,
                                                        api_token: str) -> None:
    expected = conversation(servers.rasa_url)
    results: list[list[list[str]]] = []
    errors: list[BaseException] = []
    reloaded = threading.Event()

    def customer() -> None:
        try:
            while not reloaded.is_set():
                results.append(conversation(servers.rasa_url))
                reloaded.wait(PAUSE_SECONDS)
            results.append(conversation(servers.rasa_url))
        except BaseException as error:  # noqa: BLE001 - every failure of a customer's turn is the test's finding
            errors.append(error)

    customers = [threading.Thread(target=customer) for _ in range(CUSTOMERS)]
    for thread in customers:
        thread.start()
    time.sleep(1)
    reply = requests.post(
        f"{servers.rasa_url}/webhooks/web/reload", json={"model": str(model_path)},
        headers={"Authorization": f"Bearer {api_token}"}, timeout=300,
    )
    reloaded.set()
    for thread in customers:
        thread.join(timeout=300)
    assert reply.status_code == 200, reply.text
    assert reply.json()["model"] == model_path.name
    assert errors == []
    assert len(results) >= 2 * CUSTOMERS
    assert all(result == expected for result in results), [result for result in results if result != expected][:2]
    assert requests.get(f"{servers.rasa_url}/webhooks/web/ready", timeout=10).status_code == 200
