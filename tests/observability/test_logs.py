"""The log formats without servers: JSON lines with the turn's request id and conversation pseudonym, personal
numbers masked in every field of both formats, database lines of a turn carrying its request id, and database
retries counted."""

from __future__ import annotations

import asyncio
import io
import json
import logging
from collections.abc import Iterator

import pytest
from prometheus_client import REGISTRY
from sqlalchemy.exc import OperationalError

from bot.analytics.events import conversation_key
from bot.core.db import retry_database_errors
from bot.core.settings import Settings
from bot.observability import metrics  # noqa: F401 - counts database retries
from bot.observability.logs import RedactingFilter, json_formatter
from bot.observability.turn import REQUEST_ID_KEY, request_id_in, turn_context

PHONE, ID_NUMBER, CARD = "13812345678", "110105198503121234", "6222021234567890123"


@pytest.fixture
def captured() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    """A logger writing JSON lines of process `test` into a buffer."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(json_formatter("test"))
    logger = logging.getLogger("kefu.test.json")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    yield logger, buffer
    logger.removeHandler(handler)


def lines(buffer: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in buffer.getvalue().splitlines()]


def test_a_json_line_names_the_turn_and_masks_every_field(captured: tuple[logging.Logger, io.StringIO]) -> None:
    logger, buffer = captured
    with turn_context("wx-openid-42", "wechat") as turn:
        logger.warning("card %s of %s", CARD, PHONE, extra={"id_number": ID_NUMBER, "nested": {"to": [PHONE]},
                                                            "raw": int(PHONE)})
        try:
            raise ValueError(f"no customer {ID_NUMBER}")
        except ValueError:
            logger.exception("lookup failed")
    logger.info("outside any turn")
    first, second, third = lines(buffer)
    assert first["event"] == "card ***************0123 of 138****5678"
    assert (first["level"], first["logger"], first["process"]) == ("warning", "kefu.test.json", "test")
    assert (first["request_id"], first["conversation"]) == (turn.request_id, conversation_key("wx-openid-42"))
    assert first["id_number"] == "1101**********1234" and first["nested"] == {"to": ["138****5678"]}
    assert first["raw"] == "138****5678" and first["time"].endswith("Z")
    assert "ValueError: no customer 1101**********1234" in second["exception"]
    assert (third["request_id"], third["conversation"]) == (None, None)
    assert all(secret not in buffer.getvalue() for secret in (PHONE, ID_NUMBER, CARD, "wx-openid-42"))


def test_human_readable_lines_are_masked_too() -> None:
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.addFilter(RedactingFilter())
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    logger = logging.getLogger("kefu.test.text")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        try:
            raise KeyError(CARD)
        except KeyError:
            logger.exception("phone %s", PHONE)
    finally:
        logger.removeHandler(handler)
    text = buffer.getvalue()
    assert text.startswith("ERROR phone 138****5678") and "***************0123" in text
    assert PHONE not in text and CARD not in text


def test_a_database_retry_inside_a_turn_is_logged_with_its_request_id_and_counted() -> None:
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(json_formatter("test"))
    db_logger = logging.getLogger("bot.core.db")
    db_logger.addHandler(handler)
    attempts: list[int] = []

    async def flaky() -> str:
        attempts.append(1)
        if len(attempts) == 1:
            raise OperationalError("SELECT 1", {}, Exception("server closed the connection"))
        return "ok"

    before = REGISTRY.get_sample_value("kefu_db_retries_total", {"operation": "test store"}) or 0.0
    try:
        with turn_context("web-customer", "web") as turn:
            assert asyncio.run(retry_database_errors(flaky, "test store")) == "ok"
    finally:
        db_logger.removeHandler(handler)
    (line,) = [json.loads(text) for text in buffer.getvalue().splitlines()]
    assert (line["logger"], line["request_id"]) == ("bot.core.db", turn.request_id)
    assert REGISTRY.get_sample_value("kefu_db_retries_total", {"operation": "test store"}) == before + 1


def test_only_request_ids_the_channel_makes_are_taken_from_metadata() -> None:
    with turn_context("someone") as turn:
        assert request_id_in({REQUEST_ID_KEY: turn.request_id}) == turn.request_id
    assert request_id_in({REQUEST_ID_KEY: "x\n{\"forged\": 1}"}) is None
    assert request_id_in(None) is None


def test_the_log_format_is_text_or_json() -> None:
    assert Settings.from_environ({}).log_format == "text"
    assert Settings.from_environ({"KEFU_LOG_FORMAT": "JSON"}).log_format == "json"
    with pytest.raises(ValueError, match="KEFU_LOG_FORMAT"):
        Settings.from_environ({"KEFU_LOG_FORMAT": "xml"})
