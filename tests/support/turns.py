"""Hand-built conversation events for action tests: an earlier turn the bot answered, then the latest message."""

from __future__ import annotations

from typing import Any


def after_a_turn(
    question: str, action: str, answered: str | None, text: str, parse: dict[str, Any]
) -> list[dict[str, Any]]:
    """The customer asked `question`, the bot ran `action` (its reply answering the entry `answered`, when
    given), then the customer wrote `text`, which NLU parsed as `parse`."""
    metadata = {"faq_id": answered, "faq_outcome": "answer"} if answered else {}
    return [
        {"event": "user", "text": question, "parse_data": {}, "metadata": {}},
        {"event": "action", "name": action},
        {"event": "bot", "text": "…", "data": {}, "metadata": metadata},
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": text, "parse_data": parse, "metadata": {}},
    ]
