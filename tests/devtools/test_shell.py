"""The terminal chat client against the live server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.devtools.shell import ChatSession, render, run_shell
from bot.runtime.serve import ServerPorts


def test_render_numbers_buttons() -> None:
    buttons = [{"title": "甲", "payload": "/a"}, {"title": "乙", "payload": "/b"}]
    text = render([{"text": "您是不是想问：", "buttons": buttons}])
    assert text.splitlines() == ["小金: 您是不是想问：", "  [1] 甲", "  [2] 乙"]


def test_number_selects_an_offered_button() -> None:
    session = ChatSession("http://127.0.0.1:1")
    session.buttons = [{"title": "甲", "payload": "/affirm"}]
    assert session.resolve("1") == "/affirm"
    assert session.resolve("2") == "2"
    assert session.resolve("你好") == "你好"


def test_shell_conversation(servers: ServerPorts, capsys: pytest.CaptureFixture[str]) -> None:
    lines: Iterator[str] = iter(["你好", "信用卡还款日能改吗", "退出"])
    run_shell(servers.rasa_url, read=lambda _prompt: next(lines))
    output = capsys.readouterr().out
    assert "小金: 您好" in output
    assert "还款日" in output
