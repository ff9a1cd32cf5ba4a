"""Writing the published FAQ entries back to `knowledge_base/faq/*.yml`, in the layout the files are written in,
so that git stays a valid source of the knowledge base.

Each entry goes back to the file it came from, in its old order; an entry created in the console goes to the
file holding its category (or `faq/<category>.yml` of a new category, `faq/console.yml` without one).
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from pathlib import Path

import yaml

from bot.kb.entry import FaqEntry

FAQ_DIR = "faq"
NEW_ENTRIES_FILE = "console.yml"
_FILE_NAME = re.compile(r"^[\w\-\u3400-\u9fff]+$")


class _Flow(list):
    """A list written on one line (keywords, related ids)."""


class _Folded(str):
    """A text written as a folded block (answers)."""


class _Dumper(yaml.SafeDumper):
    """Indents a list inside a mapping under its key, as the files do."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


_Dumper.add_representer(_Flow, lambda dumper, data: dumper.represent_sequence(
    "tag:yaml.org,2002:seq", data, flow_style=True))
_Dumper.add_representer(_Folded, lambda dumper, data: dumper.represent_scalar(
    "tag:yaml.org,2002:str", data, style=">"))


def _record(entry: FaqEntry) -> dict[str, object]:
    record: dict[str, object] = {"id": entry.id}
    if entry.category:
        record["category"] = entry.category
    record["question"] = entry.question
    record["similar"] = list(entry.similar)
    record["answer"] = _Folded(entry.answer) if "\n" not in entry.answer else entry.answer
    if entry.keywords:
        record["keywords"] = _Flow(entry.keywords)
    if entry.related:
        record["related"] = _Flow(entry.related)
    if entry.effective:
        record["effective"] = entry.effective
    if entry.expires:
        record["expires"] = entry.expires
    return record


def _file_of(entry: FaqEntry, faq_dir: Path, by_category: dict[str, str]) -> str:
    """The file name (in `faq_dir`) an entry is written to."""
    if entry.source:
        source = Path(entry.source)
        if source.parent.name == FAQ_DIR and source.suffix in (".yml", ".yaml"):
            return source.name
    if entry.category in by_category:
        return by_category[entry.category]
    if entry.category and _FILE_NAME.match(entry.category):
        return f"{entry.category}.yml"
    return NEW_ENTRIES_FILE


def export_yaml(entries: list[FaqEntry], kb_dir: Path) -> list[Path]:
    """Rewrite `kb_dir/faq/` to hold exactly `entries`; the files written (files left empty are removed)."""
    faq_dir = kb_dir / FAQ_DIR
    faq_dir.mkdir(parents=True, exist_ok=True)
    by_category: dict[str, str] = {}
    for entry in entries:
        if entry.source and entry.category:
            by_category.setdefault(entry.category, Path(entry.source).name)
    files: dict[str, list[FaqEntry]] = defaultdict(list)
    for entry in entries:
        files[_file_of(entry, faq_dir, by_category)].append(entry)
    written = []
    for name, members in sorted(files.items()):
        members.sort(key=lambda entry: (entry.line == 0, entry.line, entry.id))
        text = yaml.dump([_record(entry) for entry in members], Dumper=_Dumper, allow_unicode=True,
                         sort_keys=False, width=10**6, indent=2)
        path = faq_dir / name
        temporary = path.with_name(f".{name}.{os.getpid()}.tmp")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
        written.append(path)
    for stale in sorted({*faq_dir.glob("*.yml"), *faq_dir.glob("*.yaml")} - set(written)):
        stale.unlink()
    return written
