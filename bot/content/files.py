"""Knowledge-base content files: load and validate them, import them into the database, export."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import yaml
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.branches.directory import Branch, BranchDataError, load_branches
from bot.content.publishing import Fields, entry_fields, publish
from bot.core.db import session_factory
from bot.db.kb_store import read_branches, read_entries, read_synonyms, replace_language_content
from bot.db.migrate import upgrade
from bot.db.models import FaqEntryRow, KbFileEntryRow
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


IMPORT_ACTOR = "kefu kb import"


def import_content(kb_dir: Path, url: str | None = None) -> Content:
    """Validate the directory, migrate the database and bring the files' changes into it in one transaction.

    What changed in the files since their last import is published as one version; entries the files did not
    change keep what was published in the console since, so a restart (which imports the files again) loses no
    approved edit. The first import into an empty database takes every entry; synonyms and branches are replaced.
    """
    content = load_content(kb_dir)
    upgrade(url)
    with session_factory(url)() as session, session.begin():
        new = {entry.id: entry_fields(entry) for entry in content.entries}
        publish(
            session, _file_changes(session, new), published_by=IMPORT_ACTOR, summary=f"导入 {kb_dir.name}/ 的文件",
            sources={entry.id: (entry.source, entry.line) for entry in content.entries},
        )
        session.execute(delete(KbFileEntryRow))
        session.add_all(KbFileEntryRow(id=entry_id, fields=fields) for entry_id, fields in new.items())
        replace_language_content(session, content.synonyms, content.branches)
    return content


def _file_changes(session: Session, new: dict[str, Fields]) -> dict[str, Fields | None]:
    """The entries to publish: those the files changed since their last import (on a database that never had an
    import: every stored entry becomes the files' version)."""
    old = {row.id: row.fields for row in session.scalars(select(KbFileEntryRow))}
    if not old:
        stored = session.scalars(select(FaqEntryRow.id)).all()
        return {**dict.fromkeys(stored), **new}
    return {entry_id: new.get(entry_id) for entry_id in {*old, *new} if old.get(entry_id) != new.get(entry_id)}


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
