"""Knowledge-base content files: load and validate them, import them into the database, export."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.branches.directory import Branch, BranchDataError, load_branches
from bot.core.db import session_factory
from bot.db.kb_store import read_branches, read_entries, read_synonyms, replace_knowledge_base
from bot.db.migrate import upgrade
from bot.kb.entry import FaqEntry
from bot.kb.loader import KbValidationError, load_and_validate

BRANCHES_FILE = "branches.yml"


@dataclass(frozen=True)
class Content:
    """Everything in a `knowledge_base/` directory."""

    entries: list[FaqEntry]
    synonyms: dict[str, str]
    branches: list[Branch]


def load_content(kb_dir: Path) -> Content:
    """Read and validate the whole directory; raise `ContentError` listing every problem."""
    problems: list[str] = []
    entries: list[FaqEntry] = []
    synonyms: dict[str, str] = {}
    try:
        entries, synonyms = load_and_validate(kb_dir)
    except KbValidationError as error:
        problems.extend(str(problem) for problem in error.problems)
    branches: list[Branch] = []
    try:
        branches = load_branches(kb_dir / BRANCHES_FILE)
    except (BranchDataError, OSError, yaml.YAMLError) as error:
        problems.append(str(error))
    if problems:
        raise ContentError(problems)
    return Content(entries=entries, synonyms=synonyms, branches=branches)


class ContentError(ValueError):
    """The knowledge-base files have problems; `problems` lists them as `file:line: message`."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def import_content(kb_dir: Path, url: str | None = None) -> Content:
    """Validate the directory, migrate the database and replace its content in one transaction."""
    content = load_content(kb_dir)
    upgrade(url)
    with session_factory(url)() as session, session.begin():
        replace_knowledge_base(session, content.entries, content.synonyms, content.branches)
    return content


def read_content(url: str | None = None) -> Content:
    """The content currently stored in the database."""
    with session_factory(url)() as session:
        return Content(
            entries=read_entries(session), synonyms=read_synonyms(session), branches=read_branches(session)
        )


def export_jsonl(content: Content, path: Path) -> None:
    """Write the FAQ entries in the evaluation JSONL format (id, question, answer, similar, category)."""
    with path.open("w", encoding="utf-8") as out:
        for entry in content.entries:
            record = {
                "id": entry.id,
                "question": entry.question,
                "answer": entry.answer,
                "similar": list(entry.similar),
                "category": entry.category,
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
