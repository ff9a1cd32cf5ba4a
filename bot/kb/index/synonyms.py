"""Longest-match-first replacement of synonym variants by their canonical word."""

from __future__ import annotations

import re

from bot.core.text import normalize


def _key(text: str) -> str:
    return normalize(text).lower()


class SynonymMapper:
    """Rewrites every variant occurring in a normalized text to its canonical form."""

    def __init__(self, synonyms: dict[str, str] | None = None) -> None:
        mapping = {_key(variant): _key(canonical) for variant, canonical in (synonyms or {}).items()}
        self._mapping = {variant: canonical for variant, canonical in mapping.items() if variant}
        ordered = sorted(self._mapping, key=lambda word: (-len(word), word))
        self._pattern = re.compile("|".join(map(re.escape, ordered))) if ordered else None

    @property
    def words(self) -> set[str]:
        """All variants and canonical words."""
        return {*self._mapping, *self._mapping.values()}

    def apply(self, text: str) -> str:
        """Replace variants, longest first at each position, in an already normalized text."""
        if self._pattern is None:
            return text
        return self._pattern.sub(lambda match: self._mapping[match.group(0)], text)
