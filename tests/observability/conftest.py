"""A live stack of its own for the observability tests: the Rasa server, action server and console as
`kefu run` starts them, logging JSON into one file, with a WeChat reply deadline short enough that a text turn
misses it (its answer goes through the customer-service API) while menu events are answered passively."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.runtime.serve import ServerPorts, start_servers, stop_servers, wait_until_ready
from tests.support.servers import WeChatAccount, free_port
from tests.support.wechat_platform import FakeApiState, FakeWeChatApi

STACK_ENVIRONMENT = {"KEFU_LOG_FORMAT": "json", "WECHAT_REPLY_DEADLINE": "0.01", "TF_CPP_MIN_LOG_LEVEL": "2"}
"""What the stack runs with on top of the test environment: TensorFlow's native lines off as `make` sets them
(they bypass Python); libraries' import-time warnings become JSON lines (`bot.runtime.logged`)."""


@dataclass(frozen=True)
class LoggingStack:
    """The running servers, the file every process writes its log lines to, the fake WeChat API."""

    ports: ServerPorts
    log: Path
    wechat: FakeApiState

    def lines(self) -> list[str]:
        """Every non-empty line logged so far."""
        return [line for line in self.log.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def stack(
    model_path: Path, database_url: str, api_token: str, wechat_account: WeChatAccount,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[LoggingStack]:
    """Start the servers with their standard output and error redirected to one log file."""
    log = tmp_path_factory.mktemp("logs") / "kefu.log"
    ports = ServerPorts(rasa=free_port(), actions=free_port(), console=free_port())
    previous = {name: os.environ.get(name) for name in [*STACK_ENVIRONMENT, *wechat_account.environment]}
    os.environ.update({**wechat_account.environment, **STACK_ENVIRONMENT})
    saved = os.dup(1), os.dup(2)
    target = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    try:
        os.dup2(target, 1)
        os.dup2(target, 2)
        processes = start_servers(model_path, ports, api_token=api_token)
    finally:
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        for fd in (*saved, target):
            os.close(fd)
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    try:
        with FakeWeChatApi(wechat_account.api_port, wechat_account.app_id, wechat_account.app_secret) as wechat:
            wait_until_ready(ports, processes, timeout=600)  # a shared 2-core machine can be slow to warm up
            yield LoggingStack(ports, log, wechat)
    finally:
        stop_servers(processes)
