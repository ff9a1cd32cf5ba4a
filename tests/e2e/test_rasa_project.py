"""Rasa's own checks on the project: data validation and the conversation test stories."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from rasa_sdk.executor import ActionExecutor

from bot.core.paths import PROJECT_ROOT


def rasa(*args: str) -> subprocess.CompletedProcess[str]:
    """Run a Rasa CLI command in the project root."""
    env = dict(os.environ, ACTION_ENDPOINT_URL="http://127.0.0.1:9/webhook")
    return subprocess.run(
        [sys.executable, "-m", "rasa", *args],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=900, check=False,
    )


@pytest.mark.slow
def test_training_data_and_domain_validate_cleanly() -> None:
    result = rasa("data", "validate", "--max-history", "5")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
    unused = set(re.findall(r"The utterance '(\w+)' is not used", output))
    action_code = "".join(path.read_text(encoding="utf-8") for path in (PROJECT_ROOT / "actions").glob("*.py"))
    uttered_by_code = {name for name in unused if f'"{name}"' in action_code}
    asked_by_forms = {name for name in unused if name.startswith("utter_ask_")}
    uttered_by_rasa = unused & {"utter_default"}
    assert unused == uttered_by_code | asked_by_forms | uttered_by_rasa


def test_conversation_stories_pass(model_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "results"
    result = rasa(
        "test", "core", "--model", str(model_path), "--stories", "tests/stories",
        "--fail-on-prediction-errors", "--out", str(out),
    )
    failed = out / "failed_test_stories.yml"
    details = failed.read_text(encoding="utf-8") if failed.exists() else ""
    assert result.returncode == 0, details + result.stdout[-3000:] + result.stderr[-3000:]


def test_action_server_registers_exactly_the_domain_actions() -> None:
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    executor = ActionExecutor()
    executor.register_package("actions")
    assert set(executor.actions) == set(domain["actions"])
