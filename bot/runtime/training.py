"""Train the Rasa model only when its inputs changed (content fingerprint, as `rasa train` does)."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

from bot.core.paths import KNOWLEDGE_BASE_DIR, NLU_DATA_DIR, PROJECT_ROOT
from bot.nlu.jieba_dict import write_dictionary
from bot.nlu.kb_examples import write_faq_examples

JIEBA_DIR = PROJECT_ROOT / "build" / "jieba"
GENERATED_NLU_DIR = PROJECT_ROOT / "build" / "nlu"
MODELS_DIR = PROJECT_ROOT / "models"
FINGERPRINT_INPUTS = (
    "config.yml", "domain.yml", "data", "build/jieba", "build/nlu", "bot/nlu", "bot/core/text.py",
    "bot/core/patterns.py",
)
TRAINING_DATA = ("data", "build/nlu")


def input_files(root: Path, names: tuple[str, ...]) -> list[Path]:
    """The files named (directories: every file below them), sorted."""
    files: list[Path] = []
    for name in names:
        path = root / name
        if path.is_file():
            files.append(path)
        elif path.is_dir():
            files.extend(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return sorted(files)


def fingerprint(root: Path = PROJECT_ROOT, names: tuple[str, ...] = FINGERPRINT_INPUTS, seed: bytes = b"") -> str:
    """SHA-256 over `seed` and the paths and contents of everything that shapes the model."""
    digest = hashlib.sha256(seed)
    for path in input_files(root, names):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def model_path(models_dir: Path = MODELS_DIR) -> Path:
    """Where the model for the current inputs lives (it may not exist yet)."""
    return models_dir / f"kefu-{fingerprint()}.tar.gz"


def generate_inputs() -> None:
    """Write what training derives from the knowledge base: the jieba dictionary and the `faq` examples."""
    write_dictionary(KNOWLEDGE_BASE_DIR, JIEBA_DIR)
    write_faq_examples(KNOWLEDGE_BASE_DIR, NLU_DATA_DIR, GENERATED_NLU_DIR)


def train(models_dir: Path = MODELS_DIR, force: bool = False) -> Path:
    """Regenerate the derived inputs, then train unless a model for these inputs exists."""
    generate_inputs()
    target = model_path(models_dir)
    if target.exists() and not force:
        print(f"模型已是最新，跳过训练：{target}")
        return target
    models_dir.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable, "-m", "rasa", "train",
        "--config", "config.yml", "--domain", "domain.yml", "--data", *TRAINING_DATA,
        "--out", str(models_dir), "--fixed-model-name", target.name.removesuffix(".tar.gz"),
    ]
    subprocess.run(command, cwd=PROJECT_ROOT, check=True)
    for old in models_dir.glob("kefu-*.tar.gz"):
        if old != target:
            old.unlink()
    return target
