"""Property-based tests of message normalisation and the typed `/intent{...}` payload guard."""

from __future__ import annotations

import json
import re

from hypothesis import assume, given
from hypothesis import strategies as st
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.core.text import MAX_NLU_CHARS, has_content, normalize
from bot.nlu.normalizer import ChineseTextNormalizer
from bot.nlu.payload_guard import ALLOWED_ENTITIES, ALLOWED_INTENTS, is_allowed_payload, neutralise
from tests.fuzz.support import any_text, fuzz_settings, mixed_text

NORMALIZER = ChineseTextNormalizer()
_REPEATED_PUNCT = re.compile(r"([!?.,;:~\-_=*#、，。！？；：…～])\1")


def reads_as_forbidden_payload(text: str) -> bool:
    """Whether Rasa's RegexMessageHandler (which strips, then looks for a leading `/`) would take `text` as an
    intent payload that is not whitelisted."""
    return text.strip().startswith("/") and not is_allowed_payload(text)


def after_nlu_normalizer(text: str) -> str:
    """The message text as the NLU pipeline's first component leaves it."""
    message = Message({TEXT: text})
    NORMALIZER.process([message])
    return message.get(TEXT)


@st.composite
def payload_like(draw: st.DrawFn) -> str:
    """Text starting with slashes, spaces and full-width slashes, then an intent-like word and maybe JSON."""
    prefix = draw(st.text(alphabet="/／ \t\u3000\n", min_size=1, max_size=6))
    intent = draw(st.one_of(st.sampled_from(sorted(ALLOWED_INTENTS)), st.sampled_from(["restart", "session_start",
                  "check_balance", "back", "out_of_scope"]), st.from_regex(r"[A-Za-z_]{1,12}", fullmatch=True)))
    entities = draw(st.one_of(st.just(""), st.dictionaries(st.text(max_size=10), st.text(max_size=70), max_size=3)
                              .map(lambda value: json.dumps(value, ensure_ascii=False)), mixed_text))
    return prefix + intent + entities


@st.composite
def whitelisted_payload(draw: st.DrawFn) -> str:
    """A button payload the guard must let through: allowed intent, allowed entities with short string values."""
    intent = draw(st.sampled_from(sorted(ALLOWED_INTENTS)))
    entities = draw(st.dictionaries(st.sampled_from(sorted(ALLOWED_ENTITIES)), st.text(max_size=64), max_size=3))
    if not entities and draw(st.booleans()):
        return f"/{intent}"
    return f"/{intent}{json.dumps(entities, ensure_ascii=draw(st.booleans()))}"


@st.composite
def refused_entities(draw: st.DrawFn) -> dict[str, object]:
    """Entity dicts with at least one key outside the whitelist, an over-long value or a non-string value."""
    entities: dict[str, object] = draw(
        st.dictionaries(st.sampled_from(sorted(ALLOWED_ENTITIES)), st.text(max_size=64), max_size=3)
    )
    key = draw(st.sampled_from(sorted(ALLOWED_ENTITIES)))
    defect = draw(st.sampled_from(["key", "long", "type"]))
    if defect == "key":
        key = draw(st.text(min_size=1, max_size=20).filter(lambda name: name not in ALLOWED_ENTITIES))
        entities[key] = draw(st.text(max_size=64))
    elif defect == "long":
        entities[key] = draw(st.text(min_size=65, max_size=300))
    else:
        entities[key] = draw(st.one_of(st.integers(), st.floats(allow_nan=False), st.booleans(), st.none(),
                                       st.lists(st.text(max_size=5), max_size=3), st.dictionaries(st.text(), st.text(),
                                       max_size=2)))
    return entities


@fuzz_settings(300)
@given(any_text)
def test_normalize_never_raises_and_returns_canonical_text(text: str) -> None:
    normalised = normalize(text)
    assert normalised == normalised.strip()
    assert "  " not in normalised and "\n" not in normalised and "\t" not in normalised
    assert not _REPEATED_PUNCT.search(normalised)
    assert not any(0xFF01 <= ord(char) <= 0xFF5E or char == "\u3000" for char in normalised)
    assert normalize(normalised) == normalised


@fuzz_settings(300)
@given(any_text, st.integers(min_value=0, max_value=MAX_NLU_CHARS))
def test_truncated_normalisation_is_a_prefix_of_the_full_one(text: str, limit: int) -> None:
    truncated = normalize(text, max_chars=limit)
    assert len(truncated) <= limit
    assert truncated == normalize(text)[:limit]


@fuzz_settings(300)
@given(any_text)
def test_has_content_never_raises_and_needs_a_readable_character(text: str) -> None:
    readable = re.findall(r"[0-9A-Za-z\u3400-\u9fff]", text)
    assert has_content(text) == (len(set(readable)) > 1 or 0 < len(readable) <= 4)


@fuzz_settings(400)
@given(st.one_of(any_text, payload_like()))
def test_neutralise_never_leaves_a_forbidden_payload(text: str) -> None:
    assert not reads_as_forbidden_payload(neutralise(text))


@fuzz_settings(400)
@given(st.one_of(any_text, payload_like()))
def test_nlu_normalizer_never_hands_rasa_a_forbidden_payload(text: str) -> None:
    assert not reads_as_forbidden_payload(after_nlu_normalizer(text))


@fuzz_settings(300)
@given(whitelisted_payload())
def test_whitelisted_payloads_pass_unchanged(payload: str) -> None:
    assert is_allowed_payload(payload)
    assert neutralise(payload) == payload
    assert is_allowed_payload(after_nlu_normalizer(payload))


@fuzz_settings(300)
@given(st.sampled_from(sorted(ALLOWED_INTENTS)), refused_entities())
def test_payloads_with_other_entities_or_values_are_refused(intent: str, entities: dict[str, object]) -> None:
    payload = f"/{intent}{json.dumps(entities, ensure_ascii=False)}"
    assert not is_allowed_payload(payload)
    assert not neutralise(payload).startswith("/")


@fuzz_settings(300)
@given(st.from_regex(r"[A-Za-z_]{1,20}", fullmatch=True), st.text(max_size=40))
def test_intents_outside_the_whitelist_are_refused(intent: str, rest: str) -> None:
    assume(intent not in ALLOWED_INTENTS)
    assert not is_allowed_payload(f"/{intent}{rest}")
    assert not reads_as_forbidden_payload(neutralise(f"/{intent}{rest}"))
