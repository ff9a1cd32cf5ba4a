"""The Rasa entry point's prepared validator judges action-server replies exactly as Rasa's own check."""

from __future__ import annotations

import pytest
from jsonschema import ValidationError, validate
from rasa.core.actions.action import RemoteAction

from bot.runtime.rasa_main import validate_action_result

VALID = {"events": [{"event": "slot", "name": "city", "value": "北京"}], "responses": [{"text": "好的"}]}
INVALID = {"events": [{"name": "city"}], "responses": "好的"}


def test_valid_replies_pass() -> None:
    assert validate_action_result(RemoteAction("action_x", None), VALID) is True
    validate(VALID, RemoteAction.action_response_format_spec())


def test_invalid_replies_fail_with_rasas_message() -> None:
    with pytest.raises(ValidationError):
        validate(INVALID, RemoteAction.action_response_format_spec())
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        validate_action_result(RemoteAction("action_x", None), INVALID)
