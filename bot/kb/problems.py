"""Validation problems and the error raised when a knowledge base is invalid."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """A defect in the knowledge-base sources, located by file and 1-based line."""

    source: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.message}"


class KbValidationError(ValueError):
    """Raised when the knowledge base has problems; lists all of them."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        lines = "\n".join(str(problem) for problem in self.problems)
        super().__init__(f"{len(self.problems)} knowledge-base problem(s):\n{lines}")
