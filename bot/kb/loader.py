"""Loading FAQ entries, synonyms and domain terms from the knowledge-base files."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from bot.core.yaml_lines import Problem, compose_file, construction_problem, mapping_items, node_line, to_python
from bot.kb.entry import FaqEntry
from bot.kb.problems import KbValidationError
from bot.kb.validation import validate_entries

__all__ = [
    "SynonymGroup",
    "load_and_validate",
    "load_faq_directory",
    "load_faq_file",
    "load_jsonl",
    "load_synonym_groups",
    "load_synonyms",
    "load_terms",
    "validate_entries",
]

_REQUIRED_TEXT = ("id", "question", "answer")
_OPTIONAL_TEXT = ("category",)
_TEXT_LISTS = ("similar", "keywords", "related")
_DATES = ("effective", "expires")
_KNOWN_KEYS = frozenset((*_REQUIRED_TEXT, *_OPTIONAL_TEXT, *_TEXT_LISTS, *_DATES))


@dataclass(frozen=True)
class SynonymGroup:
    """A canonical word and the variants customers write for it."""

    canonical: str
    variants: tuple[str, ...]
    source: str
    line: int


def _raise_if_any(problems: list[Problem]) -> None:
    if problems:
        raise KbValidationError(problems)


def _text_list(value: object) -> tuple[str, ...] | None:
    if isinstance(value, list) and all(isinstance(item, str) and item.strip() for item in value):
        return tuple(item.strip() for item in value)
    return None


def _day(value: object) -> date | None:
    """A YAML date (unquoted 2027-01-01) or its text."""
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _parse_entry(node: yaml.Node, source: str, problems: list[Problem]) -> FaqEntry | None:
    """Turn one mapping node into an entry, reporting missing keys and wrong types."""
    line = node_line(node)
    if not isinstance(node, yaml.MappingNode):
        problems.append(Problem(source, line, "entry must be a mapping"))
        return None
    texts: dict[str, str] = {}
    lists: dict[str, tuple[str, ...]] = {}
    dates: dict[str, date] = {}
    ok = True
    for key, value_node in mapping_items(node):
        value_line = node_line(value_node)
        value = to_python(value_node)
        if key in _DATES:
            day = _day(value)
            if day is None:
                problems.append(Problem(source, value_line, f"{key!r} must be a date (YYYY-MM-DD)"))
                ok = False
            else:
                dates[key] = day
        elif key in _TEXT_LISTS:
            items = _text_list(value)
            if items is None:
                problems.append(Problem(source, value_line, f"{key!r} must be a list of non-empty strings"))
                ok = False
            else:
                lists[key] = items
        elif key not in _KNOWN_KEYS:
            problems.append(Problem(source, value_line, f"unknown key {key!r}"))
        elif not isinstance(value, str):
            problems.append(Problem(source, value_line, f"{key!r} must be a string"))
            ok = False
        else:
            texts[key] = value.strip()
    present = {*texts, *lists}
    for key in (*_REQUIRED_TEXT, "similar"):
        if key not in present:
            problems.append(Problem(source, line, f"missing required key {key!r}"))
            ok = False
    if not ok:
        return None
    return FaqEntry(
        id=texts["id"],
        question=texts["question"],
        answer=texts["answer"],
        category=texts.get("category", ""),
        similar=lists.get("similar", ()),
        keywords=lists.get("keywords", ()),
        related=lists.get("related", ()),
        source=source,
        line=line,
        effective=dates.get("effective"),
        expires=dates.get("expires"),
    )


def load_faq_file(path: str | Path, problems: list[Problem] | None = None) -> list[FaqEntry]:
    """Read one faq/*.yml file; raises KbValidationError unless a problems list is given."""
    path = Path(path)
    found: list[Problem] = []
    root = compose_file(path, found)
    entries: list[FaqEntry] = []
    if root is not None and not isinstance(root, yaml.SequenceNode):
        found.append(Problem(str(path), node_line(root), "file must hold a list of entries"))
    elif root is not None:
        for node in root.value:
            problem = construction_problem(node, str(path))
            if problem is not None:
                found.append(problem)
                continue
            entry = _parse_entry(node, str(path), found)
            if entry is not None:
                entries.append(entry)
    if problems is None:
        _raise_if_any(found)
    else:
        problems.extend(found)
    return entries


def load_faq_directory(path: str | Path, problems: list[Problem] | None = None) -> list[FaqEntry]:
    """Read every *.yml / *.yaml file of a directory, in name order."""
    directory = Path(path)
    files = sorted([*directory.glob("*.yml"), *directory.glob("*.yaml")])
    found: list[Problem] = []
    if not files:
        found.append(Problem(str(directory), 0, "no FAQ files found"))
    entries = [entry for file in files for entry in load_faq_file(file, found)]
    if problems is None:
        _raise_if_any(found)
    else:
        problems.extend(found)
    return entries


def load_synonym_groups(path: str | Path, problems: list[Problem]) -> list[SynonymGroup]:
    """Read synonyms.yml into groups, reporting malformed groups."""
    path = Path(path)
    root = compose_file(path, problems)
    if root is None:
        return []
    if not isinstance(root, yaml.SequenceNode):
        problems.append(Problem(str(path), node_line(root), "synonyms file must hold a list"))
        return []
    groups = []
    for node in root.value:
        problem = construction_problem(node, str(path))
        if problem is not None:
            problems.append(problem)
            continue
        value = to_python(node)
        line = node_line(node)
        canonical = value.get("canonical") if isinstance(value, dict) else None
        variants = _text_list(value.get("variants")) if isinstance(value, dict) else None
        if not isinstance(canonical, str) or not canonical.strip() or not variants:
            problems.append(Problem(str(path), line, "synonym group needs 'canonical' text and a 'variants' list"))
            continue
        groups.append(SynonymGroup(canonical.strip(), variants, str(path), line))
    return groups


def check_synonym_groups(groups: list[SynonymGroup]) -> list[Problem]:
    """Report variants listed in two groups and variants that are another group's canonical."""
    problems: list[Problem] = []
    canonicals = {group.canonical: group for group in groups}
    owner: dict[str, SynonymGroup] = {}
    for group in groups:
        for variant in group.variants:
            if variant in canonicals:
                problems.append(Problem(group.source, group.line, f"variant {variant!r} is also a canonical word"))
            first = owner.setdefault(variant, group)
            if first is not group:
                problems.append(
                    Problem(
                        group.source,
                        group.line,
                        f"variant {variant!r} already belongs to {first.canonical!r} (line {first.line})",
                    )
                )
    return problems


def load_synonyms(path: str | Path, problems: list[Problem] | None = None) -> dict[str, str]:
    """Read synonyms.yml as a variant → canonical mapping."""
    found: list[Problem] = []
    groups = load_synonym_groups(path, found)
    found.extend(check_synonym_groups(groups))
    if problems is None:
        _raise_if_any(found)
    else:
        problems.extend(found)
    return {variant: group.canonical for group in groups for variant in group.variants}


def load_terms(path: str | Path) -> list[str]:
    """Read a terms file (`terms.txt`): one term per line (first field), '#' starts a comment; a missing
    file has none. The jieba dictionary and the served index both read terms here."""
    if not Path(path).exists():
        return []
    terms = []
    for raw in Path(path).read_text(encoding="utf-8").splitlines():
        fields = raw.split("#", 1)[0].split()
        if fields:
            terms.append(fields[0])
    return terms


def load_jsonl(path: str | Path) -> list[FaqEntry]:
    """Read FAQ entries from JSON lines with 'id', 'question', 'answer' and optional lists."""
    entries = []
    source = str(path)
    with Path(path).open(encoding="utf-8") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            record = json.loads(raw)
            entries.append(
                FaqEntry(
                    id=str(record["id"]),
                    question=str(record["question"]),
                    answer=str(record.get("answer", "")),
                    category=str(record.get("category", "")),
                    similar=tuple(record.get("similar") or ()),
                    keywords=tuple(record.get("keywords") or ()),
                    related=tuple(record.get("related") or ()),
                    source=source,
                    line=number,
                )
            )
    return entries


def load_and_validate(directory: str | Path) -> tuple[list[FaqEntry], dict[str, str]]:
    """Load faq/*.yml and synonyms.yml of a knowledge-base directory; raise with every problem."""
    root = Path(directory)
    problems: list[Problem] = []
    entries = load_faq_directory(root / "faq", problems)
    problems.extend(validate_entries(entries))
    synonyms: dict[str, str] = {}
    if (root / "synonyms.yml").exists():
        synonyms = load_synonyms(root / "synonyms.yml", problems)
    _raise_if_any(problems)
    return entries, synonyms
