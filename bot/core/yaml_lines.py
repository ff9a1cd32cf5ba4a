"""YAML reading that keeps 1-based lines, for precise error messages: as a node tree (the knowledge base) or as
line-aware mappings and sequences (the branch directory, chat scripts), and the located problem it reports."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True)
class Problem:
    """A defect in a source file, located by file and 1-based line."""

    source: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.message}"


class LineMapping(dict):
    """A YAML mapping that remembers its line, each key's line and each scalar value's source text."""

    line: int
    key_lines: dict[Any, int]
    raw: dict[Any, str]


class LineSequence(list):
    """A YAML sequence that remembers the line of each item."""

    item_lines: list[int]


class _Loader(yaml.SafeLoader):
    """Safe loader whose mappings and sequences remember their lines; duplicate keys are collected, not merged."""

    duplicates: list[tuple[int, Any]]


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineMapping:
    loader.flatten_mapping(node)
    mapping = LineMapping()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    mapping.raw = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            key = str(key)
        line = key_node.start_mark.line + 1
        if key in mapping:
            loader.duplicates.append((line, key))
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = line
        if isinstance(value_node, yaml.ScalarNode):
            mapping.raw[key] = value_node.value
    return mapping


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LineSequence:
    sequence = LineSequence(loader.construct_object(item, deep=True) for item in node.value)
    sequence.item_lines = [item.start_mark.line + 1 for item in node.value]
    return sequence


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def load_with_lines(source: str) -> tuple[Any, list[tuple[int, Any]]]:
    """Safely load one YAML document whose mappings are `LineMapping`s and sequences `LineSequence`s, and the
    (line, key) of every duplicate key; raises `yaml.YAMLError` (with a mark when it has one) on bad syntax."""
    loader = _Loader(source)
    loader.duplicates = []
    try:
        return loader.get_single_data(), loader.duplicates
    finally:
        loader.dispose()


def compose_file(path: Path, problems: list[Problem]) -> yaml.Node | None:
    """Parse a YAML file into its node tree; syntax errors are reported as problems."""
    try:
        return yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problems.append(Problem(str(path), line, f"invalid YAML: {getattr(error, 'problem', error)}"))
    except (OSError, UnicodeDecodeError) as error:
        problems.append(Problem(str(path), 1, f"cannot read file: {error}"))
    return None


def node_line(node: yaml.Node) -> int:
    """The 1-based line where a node starts."""
    return node.start_mark.line + 1


def to_python(node: yaml.Node) -> Any:
    """Construct the plain Python value of a node with the safe constructor."""
    return yaml.constructor.SafeConstructor().construct_object(node, deep=True)


def construction_problem(node: yaml.Node, source: str) -> Problem | None:
    """Why `node` cannot become plain, storable values (unknown or unsafe tag, invalid tagged value, unhashable key,
    text with lone surrogates), or None."""
    try:
        to_python(node)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else node_line(node)
        return Problem(source, line, f"unsupported YAML value: {error.problem or error.context}")
    except (TypeError, ValueError) as error:
        return Problem(source, node_line(node), f"invalid YAML value: {error}")
    for scalar in _scalars(node, set()):
        try:
            scalar.value.encode("utf-8")
        except UnicodeEncodeError:
            return Problem(source, node_line(scalar), "text contains an invalid character (lone surrogate)")
    return None


def _scalars(node: yaml.Node, seen: set[int]) -> Iterator[yaml.ScalarNode]:
    """The scalar nodes under `node`, each once (aliases may make the tree recursive)."""
    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, yaml.ScalarNode):
        yield node
    elif isinstance(node, yaml.SequenceNode):
        for child in node.value:
            yield from _scalars(child, seen)
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from _scalars(key, seen)
            yield from _scalars(value, seen)


def mapping_items(node: yaml.MappingNode) -> list[tuple[Any, yaml.Node]]:
    """The (key, value node) pairs of a mapping node, keys as Python values."""
    return [(to_python(key), value) for key, value in node.value]
