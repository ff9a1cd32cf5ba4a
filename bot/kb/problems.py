"""The error raised when a knowledge base is invalid, listing its problems."""

from __future__ import annotations

from bot.core.yaml_lines import Problem


class KbValidationError(ValueError):
    """Raised when the knowledge base has problems; lists all of them."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        lines = "\n".join(str(problem) for problem in self.problems)
        super().__init__(f"{len(self.problems)} knowledge-base problem(s):\n{lines}")
