"""Scripted multi-turn conversations for `kefu chat --script`: the file format, loaded and validated.

A script is a YAML file with one or more conversations; each runs under a fresh sender id::

    conversations:
      - name: 问候与常见问题           # required, unique in the file
        metadata:                      # optional, sent with every message (e.g. customer_token)
          customer_token: "..."
        steps:                         # required: what the customer says, then what must come back
          - user: 你好
            intent: greet              # the intent Rasa recorded for this message
            response: utter_greet      # response template(s) uttered this turn: a name or a list of names
          - user: 信用卡还款日能改吗
            intent: faq
            text: 还款日               # a regular expression that must match one of the bot's texts this turn
          - user: 我要申请理赔
            buttons: [车辆事故]        # button titles that must all be offered this turn
          - user: 好的
            no_reply: true             # the bot must stay silent

`user` is sent exactly as a customer would type it, so a number presses one of the buttons last offered
(as in `kefu shell`). `user`, `name`, `intent`, `response` and `text` are always read as text (`user: 0457`
stays 0457). Unknown keys, wrong types and invalid regular expressions are errors reported as `file:line: message`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.core.yaml_lines import LineMapping, LineSequence, load_with_lines

STEP_KEYS = ("user", "intent", "response", "text", "buttons", "no_reply")
CONVERSATION_KEYS = ("name", "metadata", "steps")
SCRIPT_SUFFIXES = (".yml", ".yaml")


class ScriptError(Exception):
    """A script that cannot be run; `problems` are `file:line: message` lines in Chinese."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Step:
    """One customer message and what must come back."""

    user: str
    line: int
    intent: str | None = None
    responses: tuple[str, ...] = ()
    text: re.Pattern[str] | None = None
    buttons: tuple[str, ...] = ()
    no_reply: bool = False

    @property
    def needs_tracker(self) -> bool:
        """Whether checking this step needs Rasa's HTTP API (intent and response names live in the tracker)."""
        return self.intent is not None or bool(self.responses)


@dataclass(frozen=True)
class Conversation:
    """A named sequence of steps played under one sender id."""

    name: str
    line: int
    steps: tuple[Step, ...]
    metadata: dict[str, Any] | None = None


@dataclass(frozen=True)
class Script:
    """All conversations of one file."""

    path: Path
    conversations: tuple[Conversation, ...]

    @property
    def needs_tracker(self) -> bool:
        """Whether any step checks an intent or a response name."""
        return any(step.needs_tracker for conversation in self.conversations for step in conversation.steps)


def _parse_yaml(path: Path) -> Any:
    try:
        source = path.read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise ScriptError([f"找不到对话脚本文件：{path}"]) from error
    except UnicodeDecodeError as error:
        raise ScriptError([f"{path}: 文件不是 UTF-8 编码的文本"]) from error
    except OSError as error:
        raise ScriptError([f"无法读取对话脚本文件 {path}：{error.strerror or error}"]) from error
    try:
        data, duplicates = load_with_lines(source)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise ScriptError([f"{where}: YAML 格式错误：{error.problem or error.context}"]) from error
    except yaml.YAMLError as error:
        raise ScriptError([f"{path}: YAML 格式错误：{error}"]) from error
    if duplicates:
        raise ScriptError([f"{path}:{line}: 键「{key}」重复出现" for line, key in duplicates])
    return data


class _Checker:
    """Collects every problem of one file with its line."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[str] = []

    def problem(self, line: int, message: str) -> None:
        self.problems.append(f"{self.path}:{line}: {message}")

    def unknown_keys(self, mapping: LineMapping, allowed: Iterable[str], what: str) -> None:
        allowed = tuple(allowed)
        for key in mapping:
            if key not in allowed:
                self.problem(mapping.key_lines[key], f"{what}中有未知的键「{key}」（可用：{'、'.join(allowed)}）")

    def text(self, mapping: LineMapping, key: str, what: str) -> str | None:
        """A scalar read as its source text (so `0457` stays `0457`)."""
        if key not in mapping:
            return None
        value = mapping[key]
        if isinstance(value, str):
            return value
        if key in mapping.raw and value is not None:
            return mapping.raw[key]
        self.problem(mapping.key_lines[key], f"{what}的「{key}」应为文本")
        return None

    def texts(self, mapping: LineMapping, key: str, what: str) -> tuple[str, ...]:
        """A text or a list of texts."""
        if key not in mapping:
            return ()
        value = mapping[key]
        if not isinstance(value, list):
            single = self.text(mapping, key, what)
            if single is None or single:
                return (single,) if single else ()
        elif value and all(isinstance(item, str) and item for item in value):
            return tuple(value)
        self.problem(mapping.key_lines[key], f"{what}的「{key}」应为非空文本或非空文本列表（数字请加引号）")
        return ()


def _load_step(checker: _Checker, item: Any, line: int, what: str) -> Step | None:
    if not isinstance(item, LineMapping):
        checker.problem(line, f"{what}应为包含 user 的映射，例如「- user: 你好」")
        return None
    checker.unknown_keys(item, STEP_KEYS, what)
    user = checker.text(item, "user", what)
    if "user" not in item:
        checker.problem(item.line, f"{what}缺少「user」（客户说的话）")
    intent = checker.text(item, "intent", what)
    if intent is not None and not intent.strip():
        checker.problem(item.key_lines["intent"], f"{what}的「intent」不能为空")
    responses = checker.texts(item, "response", what)
    pattern = _pattern(checker, item, what)
    buttons = checker.texts(item, "buttons", what)
    no_reply = item.get("no_reply", False)
    if not isinstance(no_reply, bool):
        checker.problem(item.key_lines["no_reply"], f"{what}的「no_reply」应为 true 或 false")
        no_reply = False
    if no_reply and (responses or pattern or buttons):
        message = f"{what}写了 no_reply: true，就不能再要求 response、text 或 buttons"
        checker.problem(item.key_lines["no_reply"], message)
    if user is None:
        return None
    return Step(user, item.line, intent, responses, pattern, buttons, no_reply)


def _pattern(checker: _Checker, item: LineMapping, what: str) -> re.Pattern[str] | None:
    source = checker.text(item, "text", what)
    if source is None:
        return None
    if not source:
        checker.problem(item.key_lines["text"], f"{what}的「text」不能为空")
        return None
    try:
        return re.compile(source)
    except re.error as error:
        checker.problem(item.key_lines["text"], f"{what}的「text」不是有效的正则表达式：{error}")
        return None


def _load_conversation(checker: _Checker, item: Any, line: int, number: int) -> Conversation | None:
    what = f"第 {number} 个对话"
    if not isinstance(item, LineMapping):
        checker.problem(line, f"{what}应为包含 name 和 steps 的映射")
        return None
    checker.unknown_keys(item, CONVERSATION_KEYS, what)
    name = checker.text(item, "name", what)
    if "name" not in item:
        checker.problem(item.line, f"{what}缺少「name」（对话名称）")
    elif name is not None and not name.strip():
        checker.problem(item.key_lines["name"], f"{what}的「name」不能为空")
    metadata = item.get("metadata")
    if metadata is not None and not isinstance(metadata, dict):
        checker.problem(item.key_lines["metadata"], f"{what}的「metadata」应为映射，例如 customer_token: ...")
        metadata = None
    raw_steps = item.get("steps")
    if not isinstance(raw_steps, LineSequence) or not raw_steps:
        checker.problem(item.key_lines.get("steps", item.line), f"{what}缺少「steps」或步骤列表为空")
        raw_steps = LineSequence()
        raw_steps.item_lines = []
    label = f"对话「{name}」" if name else what
    steps = [
        _load_step(checker, step, line, f"{label}第 {number} 步")
        for number, (step, line) in enumerate(zip(raw_steps, raw_steps.item_lines, strict=True), start=1)
    ]
    if not name or not name.strip() or any(step is None for step in steps):
        return None
    return Conversation(name, item.line, tuple(step for step in steps if step), dict(metadata) if metadata else None)


def load_script(path: Path) -> Script:
    """Read and validate one script file; raises `ScriptError` listing every problem."""
    data = _parse_yaml(path)
    checker = _Checker(path)
    conversations = data.get("conversations") if isinstance(data, LineMapping) else None
    if not isinstance(conversations, LineSequence) or not conversations:
        checker.problem(getattr(data, "line", 1), "脚本应以「conversations:」开头，下面列出至少一个对话")
        raise ScriptError(checker.problems)
    checker.unknown_keys(data, ("conversations",), "脚本顶层")
    loaded = [
        _load_conversation(checker, item, line, number)
        for number, (item, line) in enumerate(zip(conversations, conversations.item_lines, strict=True), start=1)
    ]
    seen: set[str] = set()
    for conversation in loaded:
        if conversation and conversation.name in seen:
            checker.problem(conversation.line, f"对话名称「{conversation.name}」重复")
        if conversation:
            seen.add(conversation.name)
    if checker.problems:
        raise ScriptError(checker.problems)
    return Script(path, tuple(c for c in loaded if c))


def script_files(paths: Iterable[Path]) -> list[Path]:
    """The given files, with each directory replaced by the `.yml`/`.yaml` files in it (sorted)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.suffix in SCRIPT_SUFFIXES and p.is_file()))
        else:
            files.append(path)
    return files


def load_scripts(paths: Iterable[Path]) -> list[Script]:
    """Load every script (directories expanded); raises one `ScriptError` with the problems of all files."""
    scripts: list[Script] = []
    problems: list[str] = []
    files = script_files(paths)
    for path in files:
        try:
            scripts.append(load_script(path))
        except ScriptError as error:
            problems.extend(error.problems)
    if not files:
        problems.append("没有找到对话脚本（.yml 或 .yaml 文件）")
    if problems:
        raise ScriptError(problems)
    return scripts
