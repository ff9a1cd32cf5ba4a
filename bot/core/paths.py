"""Where the project's files live: the repository root and the folders below it."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
KNOWLEDGE_BASE_DIR = PROJECT_ROOT / "knowledge_base"
NLU_DATA_DIR = PROJECT_ROOT / "data" / "nlu"
VAR_DIR = PROJECT_ROOT / "var"
BUILD_DIR = PROJECT_ROOT / "build"
MODELS_DIR = PROJECT_ROOT / "models"
