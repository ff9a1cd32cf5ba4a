"""The small banking knowledge base of `tests.support.small_kb`, built once per run."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.kb import KnowledgeBase
from bot.kb.assembly import assemble_directory
from tests.support.small_kb import write_kb


@pytest.fixture(scope="session")
def kb_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_kb(tmp_path_factory.mktemp("kb"))


@pytest.fixture(scope="session")
def kb(kb_dir: Path) -> KnowledgeBase:
    return assemble_directory(kb_dir)
