"""`kefu chat --script`: scripted conversations checked against the live servers, and script validation."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from bot.cli.main import main
from bot.core.paths import PROJECT_ROOT
from bot.devtools.runner import Turn, mismatches
from bot.devtools.script import ScriptError, load_script
from bot.runtime.serve import ServerPorts

EXAMPLES = sorted((PROJECT_ROOT / "conversations").glob("*.yml"))

PASSING = """\
conversations:
  - name: 问候与还款日
    steps:
      - user: 你好
        intent: greet
        response: utter_greet
      - user: 信用卡还款日能改吗
        intent: faq
        text: 还款日
  - name: 告别
    steps:
      - user: 再见
        response: utter_goodbye
"""

WRONG_INTENT = """\
conversations:
  - name: 意图写错
    steps:
      - user: 你好
        intent: greet
      - user: 今天天气怎么样
        intent: check_balance
"""

TEXT_ONLY = """\
conversations:
  - name: 只核对文本
    steps:
      - user: 今天天气怎么样
        text: 超出了我的服务范围
"""


def write(tmp_path: Path, text: str, name: str = "script.yml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def chat(servers: ServerPorts, token: str | None, script: Path) -> list[str]:
    args = ["chat", "--script", str(script), "--url", servers.rasa_url]
    return [*args, "--token", token] if token else args


def test_passing_script_exits_zero(
    servers: ServerPorts, api_token: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(chat(servers, api_token, write(tmp_path, PASSING))) == 0
    out = capsys.readouterr().out
    assert "✓ 问候与还款日 第 2 步「信用卡还款日能改吗」" in out
    assert "✓ 告别 第 1 步「再见」" in out
    assert "3 passed, 0 failed" in out


def test_wrong_intent_exits_one_and_names_the_step(
    servers: ServerPorts, api_token: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = write(tmp_path, WRONG_INTENT)
    assert main(chat(servers, api_token, script)) == 1
    out = capsys.readouterr().out
    assert "✓ 意图写错 第 1 步「你好」" in out
    assert f"✗ 意图写错 第 2 步「今天天气怎么样」  {script}:6" in out
    assert re.search(r"意图：期望 check_balance，实际 out_of_scope（置信度 [01]\.\d\d）", out)
    assert "1 passed, 1 failed" in out


def test_wrong_response_and_text_show_expected_and_actual(
    servers: ServerPorts, api_token: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = write(tmp_path, "conversations:\n  - name: 期望不符\n    steps:\n"
                             "      - user: 你好\n        response: utter_goodbye\n        text: 再见\n")
    assert main(chat(servers, api_token, script)) == 1
    out = capsys.readouterr().out
    assert "回复模板：期望 utter_goodbye，实际 utter_greet" in out
    assert "文本：期望匹配 /再见/，实际 「您好，我是智能客服小金" in out


def test_text_only_script_needs_no_token(
    servers: ServerPorts, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("KEFU_API_TOKEN", raising=False)
    assert main(chat(servers, None, write(tmp_path, TEXT_ONLY))) == 0
    assert "1 passed, 0 failed" in capsys.readouterr().out


def test_intent_checks_without_token_are_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("KEFU_API_TOKEN", raising=False)
    assert main(["chat", "--script", str(write(tmp_path, PASSING)), "--url", "http://127.0.0.1:9"]) == 2
    assert "KEFU_API_TOKEN" in capsys.readouterr().err


def test_wrong_token_is_a_usage_error(
    servers: ServerPorts, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(chat(servers, "not-the-token", write(tmp_path, PASSING))) == 2
    assert "拒绝了令牌" in capsys.readouterr().err


def test_unreachable_server_is_reported_politely(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["chat", "--script", str(write(tmp_path, TEXT_ONLY)), "--url", "http://127.0.0.1:9"]) == 2
    assert "无法与客服服务 http://127.0.0.1:9 通信" in capsys.readouterr().err


def test_malformed_script_exits_two_with_file_and_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    script = write(tmp_path, PASSING.replace("        text: 还款日\n", "        txet: 还款日\n"))
    assert main(["chat", "--script", str(script)]) == 2
    err = capsys.readouterr().err
    assert f"{script}:9: 对话「问候与还款日」第 2 步中有未知的键「txet」" in err
    assert "未开始对话" in err


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("conversations:\n  - name: x\n    steps: [{user: 你好, text: '([a'}]\n",
         ":3: 对话「x」第 1 步的「text」不是有效的正则表达式"),
        ("conversations:\n  - name: x\n    steps:\n      - 你好\n", ":4: 对话「x」第 1 步应为包含 user 的映射"),
        ("conversations:\n  - name: x\n    steps:\n      - intent: greet\n", ":4: 对话「x」第 1 步缺少「user」"),
        ("conversations:\n  - steps: [{user: 你好}]\n", ":2: 第 1 个对话缺少「name」"),
        ("conversations:\n  - name: x\n", ":2: 第 1 个对话缺少「steps」"),
        ("- user: 你好\n", ":1: 脚本应以「conversations:」开头"),
        ("conversations:\n  - name: x\n    steps: [{user: a, no_reply: 1}]\n", "「no_reply」应为 true 或 false"),
        ("conversations:\n  - name: x\n    steps: [{user: a, no_reply: true, text: a}]\n", "不能再要求"),
        ("conversations:\n  - name: x\n    name: y\n    steps: [{user: a}]\n", ":3: 键「name」重复出现"),
        ("conversations:\n  - name: x\n    steps: [{user: a}]\n  - name: x\n    steps: [{user: b}]\n",
         ":4: 对话名称「x」重复"),
        ("conversations:\n  - name: [x\n", ":3: YAML 格式错误"),
    ],
)
def test_script_problems_are_located(tmp_path: Path, text: str, problem: str) -> None:
    script = write(tmp_path, text)
    with pytest.raises(ScriptError) as raised:
        load_script(script)
    assert any(line.startswith(str(script)) and problem in line for line in raised.value.problems), raised.value


def test_missing_file_and_invalid_yaml_get_a_polite_answer(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["chat", "--script", str(tmp_path / "nope.yml")]) == 2
    assert f"找不到对话脚本文件：{tmp_path / 'nope.yml'}" in capsys.readouterr().err
    broken = write(tmp_path, "conversations:\n  - name: x\n    steps: [{user: 你好}\n")
    assert main(["chat", "--script", str(broken)]) == 2
    assert f"{broken}:4: YAML 格式错误" in capsys.readouterr().err


def test_numbers_are_sent_as_typed(tmp_path: Path) -> None:
    script = load_script(write(tmp_path, "conversations:\n  - name: x\n    steps:\n      - user: 0457\n"
                                         "      - user: 13812345678\n        text: 1\n"))
    steps = script.conversations[0].steps
    assert [step.user for step in steps] == ["0457", "13812345678"]
    assert steps[1].text is not None and steps[1].text.pattern == "1"


def test_buttons_and_no_reply_are_compared(tmp_path: Path) -> None:
    script = load_script(write(tmp_path, "conversations:\n  - name: x\n    steps:\n"
                                         "      - user: a\n        buttons: [车辆事故, 医疗费用]\n"
                                         "      - user: b\n        no_reply: true\n"))
    with_buttons, silent = script.conversations[0].steps
    offered = Turn(texts=("请问出险类型是？",), buttons=("车辆事故", "医疗费用", "意外伤害"))
    assert mismatches(with_buttons, offered) == []
    assert mismatches(with_buttons, Turn(texts=("好的",), buttons=("车辆事故",))) == [
        "按钮：期望包含 车辆事故、医疗费用，实际 车辆事故"
    ]
    assert mismatches(silent, Turn(texts=(), buttons=())) == []
    assert mismatches(silent, offered) == ["期望没有回复，实际回复了 「请问出险类型是？」"]


@pytest.mark.parametrize("example", EXAMPLES, ids=[path.name for path in EXAMPLES])
def test_example_scripts_pass(servers: ServerPorts, api_token: str, example: Path) -> None:
    assert main(chat(servers, api_token, example)) == 0


def test_examples_exist() -> None:
    assert {path.name for path in EXAMPLES} >= {"faq.yml", "balance.yml"}


def test_in_process_starts_and_stops_its_own_servers(model_path: Path, database_url: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli.main", "chat", "--script", str(PROJECT_ROOT / "conversations" / "faq.yml"),
         "--in-process", "--model", str(model_path)],
        cwd=PROJECT_ROOT, env={**os.environ, "DATABASE_URL": database_url},
        capture_output=True, text=True, timeout=400, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    assert re.search(r"^\d+ passed, 0 failed", result.stdout, re.MULTILINE)
    url = re.search(r"客服服务已在 (\S+) 启动", result.stdout)
    assert url, result.stdout
    with pytest.raises(requests.ConnectionError):
        requests.get(url.group(1), timeout=5)
