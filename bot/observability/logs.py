"""How every kefu process logs: `KEFU_LOG_FORMAT=text` (the default) keeps each server's human-readable lines,
`json` writes one JSON object per line (structlog's `ProcessorFormatter` over the standard library's records):
`time`, `level`, `process`, `pid`, `logger`, `conversation` (the pseudonym, never the sender id), `request_id`,
`event` (the message), any `extra` fields and `exception`. In both formats mobile, ID-card and bank-card numbers
are masked in every field (`bot.core.masking`), tracebacks included."""

from __future__ import annotations

import importlib
import logging
import os
import sys
from typing import Any

import structlog

from bot.core.masking import mask_numbers
from bot.core.settings import current_settings
from bot.observability.turn import current_turn

SERVER_LOGGERS = ("sanic.root", "sanic.error", "sanic.access", "sanic.server")
"""Loggers Sanic may give handlers of their own. In JSON, these and any logger with a plain console handler of
its own (jieba's) go through the root logger's one handler instead."""
_OWN_FIELDS = ("request_id", "conversation")
"""Fields kefu makes itself (hex digests): never masked, so that a long digit run in one stays intact."""


def masked(value: Any) -> Any:
    """`value` with personal numbers masked in every string, inside lists and dicts too."""
    if isinstance(value, str):
        return mask_numbers(value)
    if isinstance(value, bool) or value is None or isinstance(value, float):
        return value
    if isinstance(value, int):
        text = str(value)
        return value if mask_numbers(text) == text else mask_numbers(text)
    if isinstance(value, dict):
        return {key: masked(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [masked(item) for item in value]
    return mask_numbers(str(value))


class RedactingFilter(logging.Filter):
    """Masks personal numbers in a record's message and traceback before any formatter sees it."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Replace the message by its masked text; format and mask the traceback now."""
        record.msg, record.args = mask_numbers(record.getMessage()), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_numbers(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_numbers(record.stack_info)
        return True


def json_formatter(process: str) -> logging.Formatter:
    """The formatter of the JSON lines of `process` (rasa, actions, console, ...)."""

    def add_context(_logger: Any, _method: str, event: dict[str, Any]) -> dict[str, Any]:
        event.pop("message", None)  # left on the record by a formatter that saw it first; `event` has it
        turn = current_turn()
        event["process"], event["pid"] = process, os.getpid()
        event["conversation"] = turn.conversation if turn else None
        event["request_id"] = turn.request_id if turn else None
        return event

    def redact(_logger: Any, _method: str, event: dict[str, Any]) -> dict[str, Any]:
        return {key: value if key in _OWN_FIELDS else masked(value) for key, value in event.items()}

    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[
            structlog.processors.TimeStamper(fmt="iso", utc=True, key="time"),
            structlog.stdlib.add_log_level,
            structlog.stdlib.add_logger_name,
            structlog.stdlib.ExtraAdder(),
            add_context,
        ],
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            redact,
            structlog.processors.JSONRenderer(ensure_ascii=False),
        ],
    )


class JsonLinesHandler(logging.StreamHandler):
    """The one handler of a process logging JSON: standard error, one object per line."""


def configure_logging(process: str, level: int = logging.INFO) -> None:
    """Set up this process's logs in the configured format; call it again once a server created its app (Sanic
    may have given its own loggers handlers meanwhile). Idempotent."""
    if current_settings().log_format == "json":
        _log_json(process, level)
    else:
        _redact_text_logs()


def _log_json(process: str, level: int) -> None:
    root = logging.getLogger()
    handler = next((h for h in root.handlers if isinstance(h, JsonLinesHandler)), None)
    if handler is None:
        handler = JsonLinesHandler(sys.stderr)
        handler.setFormatter(json_formatter(process))
        for other in list(root.handlers):
            root.removeHandler(other)
        root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > level:
        root.setLevel(level)
    handler.setLevel(level)
    importlib.import_module("jieba")  # jieba gives its logger a standard-error handler of its own on import
    existing = [name for name, item in logging.root.manager.loggerDict.items() if isinstance(item, logging.Logger)]
    for name in [*SERVER_LOGGERS, *existing]:
        library_logger = logging.getLogger(name)
        own = [h for h in library_logger.handlers if type(h) is logging.StreamHandler or name in SERVER_LOGGERS]
        for other in own:
            library_logger.removeHandler(other)
        if own:
            library_logger.propagate = True
    logging.lastResort = handler
    logging.captureWarnings(True)


def _redact_text_logs() -> None:
    handlers = [*logging.getLogger().handlers]
    for name in SERVER_LOGGERS:
        handlers += logging.getLogger(name).handlers
    for handler in handlers:
        if not any(isinstance(item, RedactingFilter) for item in handler.filters):
            handler.addFilter(RedactingFilter())
