"""The FAQ entry record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class FaqEntry:
    """One knowledge-base entry: a standard question, its paraphrases and the answer; `effective` and `expires`
    (生效 / 失效, both optional) bound the days on which it is answered."""

    id: str
    question: str
    answer: str
    category: str = ""
    similar: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    source: str = ""
    line: int = 0
    effective: date | None = None
    expires: date | None = None

    @property
    def questions(self) -> tuple[str, ...]:
        """The standard question followed by its similar questions."""
        return (self.question, *self.similar)

    def in_effect(self, today: date) -> bool:
        """Whether the entry is answered on `today`: on or after `effective`, before `expires`."""
        return (self.effective is None or self.effective <= today) and (self.expires is None or today < self.expires)
