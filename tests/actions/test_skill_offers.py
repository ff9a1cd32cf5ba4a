"""Every personal skill NLU can re-label as a general question has an offer to make beside the KB's reply."""

from __future__ import annotations

import yaml

from bot.core.paths import PROJECT_ROOT
from bot.nlu.request_kind import SKILL_INTENTS


def test_each_skill_intent_has_an_offer_with_a_button_that_asks_for_it() -> None:
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    assert set(domain["intents"]) >= SKILL_INTENTS
    for skill in SKILL_INTENTS:
        (offer,) = domain["responses"][f"utter_offer_{skill}"]
        assert offer["buttons"] and all(button["payload"] for button in offer["buttons"])
