"""The FAQ entry record."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FaqEntry:
    """One knowledge-base entry: a standard question, its paraphrases and the answer."""

    id: str
    question: str
    answer: str
    category: str = ""
    similar: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    source: str = ""
    line: int = 0

    @property
    def questions(self) -> tuple[str, ...]:
        """The standard question followed by its similar questions."""
        return (self.question, *self.similar)
