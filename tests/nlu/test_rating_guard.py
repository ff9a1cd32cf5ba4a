"""A message that only gives the service a score is `rate` with that score; one that asks something is not."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.rating_guard import RatingGuard


def classified_as(intent: str, text: str) -> Message:
    ranking = [{"name": intent, "confidence": 0.81}, {"name": "goodbye", "confidence": 0.1}]
    entities = [{"entity": "date", "value": "5", "start": 3, "end": 4}]
    message = Message({TEXT: text, INTENT: dict(ranking[0]), INTENT_RANKING_KEY: ranking, ENTITIES: entities})
    RatingGuard().process([message])
    return message


@pytest.mark.parametrize(
    ("text", "rating"),
    [("给你打5分⭐⭐⭐⭐⭐", 5), ("★★★★", 4), ("五星", 5), ("打个满分", 5), ("3星吧", 3), ("我打1分", 1), ("两颗星", 2),
     ("给你打五分 谢谢", 5)],
)
def test_a_score_is_a_rating_with_its_value(text: str, rating: int) -> None:
    message = classified_as("bot_challenge", text)
    assert message.get(INTENT) == {"name": "rate", "confidence": 1.0}
    assert [(entity["entity"], entity["value"]) for entity in message.get(ENTITIES)] == [("rating", str(rating))]


@pytest.mark.parametrize(
    "text", ["五星级酒店能用信用卡吗", "几分钟能到账", "我5号还款", "10分", "⭐⭐⭐⭐⭐⭐⭐", "😀", "/rate", "给你"]
)
def test_messages_that_give_no_score_keep_their_intent(text: str) -> None:
    assert classified_as("faq", text).get(INTENT)["name"] == "faq"
