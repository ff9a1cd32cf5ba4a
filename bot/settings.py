"""Runtime settings read from the environment, with embedded defaults for a laptop."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE_BASE_DIR = PROJECT_ROOT / "knowledge_base"
NLU_DATA_DIR = PROJECT_ROOT / "data" / "nlu"
VAR_DIR = PROJECT_ROOT / "var"


def embedding_cache_dir() -> Path:
    """Where sentence embeddings of knowledge-base texts are cached (`KEFU_EMBEDDING_CACHE`)."""
    return Path(os.environ.get("KEFU_EMBEDDING_CACHE", str(PROJECT_ROOT / "build" / "embeddings")))


def database_url() -> str:
    """The SQLAlchemy URL of the application database (`DATABASE_URL`, SQLite by default)."""
    default = f"sqlite:///{VAR_DIR / 'kefu.db'}"
    return os.environ.get("DATABASE_URL", default)
