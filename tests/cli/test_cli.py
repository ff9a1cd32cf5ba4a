"""The `kefu` command line, run as a real process."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot.accounts.identity import IdentityService
from bot.accounts.sms import OutboxSmsGateway
from bot.core.db import session_factory
from bot.core.paths import PROJECT_ROOT
from bot.db.seed import seed_demo_customers
from bot.kb.loader import load_faq_directory
from tests.support.kb_fixture import FAQ, write_kb


def kefu(
    *args: str, database: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **(env or {})}
    if database is not None:
        env["DATABASE_URL"] = f"sqlite:///{database}"
    return subprocess.run(
        [sys.executable, "-m", "bot.cli.main", *args],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )


def test_help_lists_the_commands() -> None:
    result = kefu("--help")
    assert result.returncode == 0
    for command in ("run", "shell", "train", "kb", "db"):
        assert command in result.stdout


def test_kb_validate_reports_file_and_line(tmp_path: Path) -> None:
    broken = FAQ.replace("  similar: [信用卡要交年费吗, xyk年费多少钱, 信用卡怎么免年费]\n", "  similar: [只有一个]\n")
    result = kefu("kb", "validate", "--dir", str(write_kb(tmp_path, faq=broken)))
    assert result.returncode == 1
    assert "cards.yml:6" in result.stderr


@pytest.mark.slow
def test_kb_import_and_export(tmp_path: Path) -> None:
    database = tmp_path / "kefu.db"
    assert kefu("kb", "import", "--dir", str(write_kb(tmp_path / "kb")), database=database).returncode == 0
    out = tmp_path / "export.jsonl"
    assert kefu("kb", "export", "--jsonl", str(out), database=database).returncode == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) == 2
    exported = tmp_path / "exported"
    assert kefu("kb", "export", "--dir", str(exported), database=database).returncode == 0
    back = [(entry.id, entry.question, entry.similar, entry.answer) for entry in load_faq_directory(exported / "faq")]
    assert back == [(entry.id, entry.question, entry.similar, entry.answer)
                    for entry in load_faq_directory(tmp_path / "kb" / "faq")]


@pytest.mark.slow
def test_kb_index_fills_the_embedding_cache(tmp_path: Path) -> None:
    cache = tmp_path / "embeddings"
    env = {"KEFU_EMBEDDING_CACHE": str(cache)}
    result = kefu("kb", "index", "--dir", str(write_kb(tmp_path / "kb")), env=env)
    assert result.returncode == 0, result.stderr
    assert "检索索引已就绪：2 条问答" in result.stdout
    assert list(cache.glob("*.vectors.npy"))
    broken = FAQ.replace("  similar: [信用卡要交年费吗, xyk年费多少钱, 信用卡怎么免年费]\n", "  similar: [只有一个]\n")
    failed = kefu("kb", "index", "--dir", str(write_kb(tmp_path / "bad", faq=broken)), env=env)
    assert failed.returncode == 1
    assert "cards.yml:6" in failed.stderr


def test_kb_evaluate_prints_one_json_line(tmp_path: Path) -> None:
    faq = tmp_path / "faq.jsonl"
    faq.write_text(
        "\n".join(
            json.dumps(record, ensure_ascii=False)
            for record in [
                {"id": "a", "question": "信用卡年费是多少", "answer": "x"},
                {"id": "b", "question": "借记卡丢了怎么挂失", "answer": "y"},
            ]
        ),
        encoding="utf-8",
    )
    queries = tmp_path / "queries.jsonl"
    queries.write_text(
        json.dumps({"query": "信用卡年费多少钱", "expected_id": "a"}, ensure_ascii=False) + "\n"
        + json.dumps({"query": "今天天气怎么样", "expected_id": None}, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    result = kefu("kb", "evaluate", "--faq", str(faq), "--queries", str(queries))
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    metrics = json.loads(lines[-1])
    assert set(metrics) == {
        "n", "top1", "top3", "mrr", "oos_rejection", "false_answer_rate", "answered_right", "clarify_rate",
        "clarify_first_right", "p50_ms", "p99_ms",
    }
    assert metrics["n"] == 2
    assert metrics["top1"] == 1.0


def test_db_sms_shows_the_latest_code_with_the_phone_masked(tmp_path: Path) -> None:
    database = tmp_path / "kefu.db"
    url = f"sqlite:///{database}"
    seed_demo_customers(url)
    with session_factory(url)() as session:
        IdentityService(session, OutboxSmsGateway(session)).start("cli-test", "13812345678", "1234")
    result = kefu("db", "sms", database=database)
    assert result.returncode == 0, result.stderr
    assert "138****5678" in result.stdout and "13812345678" not in result.stdout
    assert re.search(r"验证码为\d{6}", result.stdout)
