"""The API token `kefu run` makes when none is configured: kept for its owner only, read back by `kefu reload`."""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path

import pytest

from bot.core.paths import PROJECT_ROOT
from bot.runtime.api_token import issue_token, running_token


@pytest.fixture(autouse=True)
def no_configured_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KEFU_API_TOKEN", raising=False)


def test_a_made_token_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "var" / "api-token"
    token = issue_token(path)
    assert len(token) >= 24 and running_token(path) == token
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert issue_token(path) != token


def test_a_configured_token_is_used_and_not_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEFU_API_TOKEN", "configured-token")
    path = tmp_path / "api-token"
    assert issue_token(path) == "configured-token" == running_token(path)
    assert not path.exists()


def test_reload_without_a_model_says_what_to_do(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli.main", "reload", "--model", str(tmp_path / "missing.tar.gz")],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 1
    assert "请先运行 kefu train" in result.stdout
