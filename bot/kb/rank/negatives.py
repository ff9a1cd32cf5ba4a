"""Messages that no FAQ entry answers (off-topic and chitchat), read from the NLU training data."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

# NLU files and intents whose examples must never be answered from the knowledge base.
NEGATIVE_FILES = ("out_of_scope.yml", "chitchat.yml")
NEGATIVE_INTENTS = frozenset({"out_of_scope", "greet", "goodbye", "thank", "affirm", "deny", "bot_challenge"})

# Entity annotations: [text](entity), [text]{"entity": ...} → text.
_ENTITY = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})")


def strip_entities(example: str) -> str:
    """An NLU example with its entity annotations replaced by their text."""
    return _ENTITY.sub(r"\1", example)


def parse_examples(text: str, intents: frozenset[str] = NEGATIVE_INTENTS) -> list[str]:
    """The examples of the given intents in one Rasa NLU YAML document."""
    document = yaml.safe_load(text) or {}
    examples = []
    for block in document.get("nlu") or []:
        if not isinstance(block, dict) or block.get("intent") not in intents:
            continue
        for line in str(block.get("examples") or "").splitlines():
            line = line.strip()
            if line.startswith("- ") and (example := strip_entities(line[2:]).strip()):
                examples.append(example)
    return examples


def load_negatives(nlu_dir: str | Path) -> list[str]:
    """Off-topic and chitchat examples from `nlu_dir` (empty when the files are missing)."""
    root = Path(nlu_dir)
    return [
        example
        for name in NEGATIVE_FILES
        if (root / name).is_file()
        for example in parse_examples((root / name).read_text(encoding="utf-8"))
    ]
