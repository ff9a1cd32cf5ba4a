"""YAML reading that keeps the 1-based line of every node, for precise error messages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from bot.kb.problems import Problem


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
