"""A database holding the small knowledge base of `tests.support.small_kb`, imported as `kefu db seed` does."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content.files import import_content
from tests.support.kb_fixture import BRANCHES
from tests.support.small_kb import write_kb


@pytest.fixture
def small_kb_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'kefu.db'}"
    import_content(small_kb_dir(tmp_path / "kb"), url)
    return url


def small_kb_dir(root: Path) -> Path:
    """The small knowledge base with a branch directory, as `import_content` needs."""
    write_kb(root)
    (root / "branches.yml").write_text(BRANCHES, encoding="utf-8")
    return root
