"""Rasa component that reads a score the customer gives the service as `rate`, with the 1-5 `rating` entity.

「给你打5分⭐⭐⭐⭐⭐」, 「五星」, 「★★★★」 or 「打个满分」 rate the service; the classifier, which learnt
ratings from words such as 满意 and 好评, takes the digits and stars for a date or a question about the bot.
A message that also asks something (「五星级酒店能用信用卡吗」, 「几分钟能到账」) is no rating.
"""

from __future__ import annotations

import re

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.core.text import normalize
from bot.nlu.relabel import relabel
from bot.nlu.request_kind import asks_about_content
from bot.nlu.stateless import StatelessComponent

RATE_INTENT = "rate"
RATING_ENTITY = "rating"
DIGITS = {"1": 1, "2": 2, "3": 3, "4": 4, "5": 5, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
SCORE = re.compile(r"(?:打|给|评)?(?:个|了)?([1-5一二两三四五])(?:分|星|颗星)(?!钟|期|级|行|之)|(满分)")
STARS = re.compile(r"[⭐★🌟]+")
RATING_ONLY = re.compile(
    r"^(?:(?:给|我)?(?:你|您|你们|客服)?(?:打|给|评)?(?:个|了)?|服务|好评|满意|非常|谢谢|辛苦了|[吧啦哦呀]|[\s,，.。!！~]|"
    r"[1-5一二两三四五](?:分|星|颗星)|满分)+$"
)
"""A message (normalised: without its stars) that is only a score and friendly words around it."""


def given_rating(text: str) -> int | None:
    """The 1-5 score a message gives (in words, digits or stars), if that is all it does."""
    clean = normalize(text)
    if clean and (RATING_ONLY.match(clean) is None or asks_about_content(clean)):
        return None
    score = SCORE.search(clean)
    if score is not None:
        return 5 if score.group(2) else DIGITS[score.group(1)]
    # Normalising drops the stars: they are counted in the message as written.
    stars = sum(len(run) for run in STARS.findall(text))
    return stars if 1 <= stars <= 5 else None


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class RatingGuard(StatelessComponent):
    """Makes a message that only gives the service a score `rate`, with the score as the `rating` entity."""

    def process(self, messages: list[Message]) -> list[Message]:
        """Re-label the scores the classifier took for something else."""
        for message in messages:
            text = message.get(TEXT) or ""
            if text.startswith("/"):
                continue
            rating = given_rating(text)
            if rating is None:
                continue
            relabel(message, RATE_INTENT, 1.0)
            # The digits of the score are no date or amount.
            score = {"entity": RATING_ENTITY, "value": str(rating), "start": 0, "end": len(text),
                     "extractor": type(self).__name__}
            message.set(ENTITIES, [score], add_to_output=True)
        return messages
