"""The model fingerprint: retrain only when data, domain, config or NLU code change."""

from __future__ import annotations

import shutil
from pathlib import Path

from bot.core.paths import PROJECT_ROOT
from bot.runtime.training import FINGERPRINT_INPUTS, fingerprint


def copy_project(target: Path) -> Path:
    for name in FINGERPRINT_INPUTS:
        source = PROJECT_ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.exists():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def test_fingerprint_is_stable_for_unchanged_inputs(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    assert fingerprint(root) == fingerprint(root)
    (root / "README.md").write_text("不影响模型", encoding="utf-8")
    assert fingerprint(root) == fingerprint(copy_project(tmp_path / "again"))


def test_fingerprint_changes_with_training_data(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    before = fingerprint(root)
    with (root / "data" / "nlu" / "chitchat.yml").open("a", encoding="utf-8") as data:
        data.write("\n")
    assert fingerprint(root) != before


def test_fingerprint_changes_with_config(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    before = fingerprint(root)
    config = root / "config.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("epochs: 50", "epochs: 51"), encoding="utf-8")
    assert fingerprint(root) != before
