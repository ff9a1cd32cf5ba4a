"""`kefu agent add --role` and `kefu agent list`, run as real processes on a private database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.core.paths import PROJECT_ROOT


def kefu_agent(database: Path, *args: str, password: str = "password-1") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli.main", "agent", *args], input=f"{password}\n",
        cwd=PROJECT_ROOT, env={**os.environ, "DATABASE_URL": f"sqlite:///{database}"},
        capture_output=True, text=True, timeout=120, check=False,
    )


@pytest.mark.slow
def test_agent_add_with_a_role_and_list(tmp_path: Path) -> None:
    database = tmp_path / "kefu.db"
    added = kefu_agent(database, "add", "zhao", "--name", "赵主管", "--role", "supervisor", "--password-stdin")
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == "已创建主管 赵主管（zhao）"
    assert kefu_agent(database, "add", "wang", "--name", "小王", "--password-stdin").returncode == 0
    refused = kefu_agent(database, "add", "boss", "--name", "老板", "--role", "admin", "--password-stdin")
    assert refused.returncode == 2 and "admin" in refused.stderr
    listed = kefu_agent(database, "list").stdout.splitlines()
    assert sorted(listed) == ["wang\t小王\tagent", "zhao\t赵主管\tsupervisor"]
