"""YAML reading that keeps the 1-based line of every node, for precise error messages."""

from __future__ import annotations

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


def mapping_items(node: yaml.MappingNode) -> list[tuple[Any, yaml.Node]]:
    """The (key, value node) pairs of a mapping node, keys as Python values."""
    return [(to_python(key), value) for key, value in node.value]
