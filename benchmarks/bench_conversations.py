"""Conversation benchmark: the share of turns that get the right reply, played as
`kefu chat --script DIR --in-process` plays them, for two sets by authors who never read `data/`:

- `suite`: `conversations/suite/`, also played by the tests and used while developing (its first-turn FAQ
  questions are part of the knowledge base's calibration queries);
- `holdout`: `benchmarks/data/conversations_holdout/`, written later by another blind author; its failures
  were read while developing from 2026-12-02 on, so it is a development set now;
- `holdout_2`: `benchmarks/data/conversations_holdout_2/`, written on 2026-12-02 by a third blind author; its
  failures were read while developing from 2026-12-03 on, so it is a development set now;
- `holdout_3`: `benchmarks/data/conversations_holdout_3/`, written on 2026-12-03 by a fourth blind author (who
  read neither `data/`, `conversations/`, the tests, the other sets nor the KB's questions) and never used for
  development — the honest figure;
- `holdout_4`: `benchmarks/data/conversations_holdout_4/`, written on 2026-12-06 by two more blind authors under
  the same rules (223 conversations, 437 turns); its first run, before any change, got 378 turns right (0.865,
  the second honest figure); its failures were read while developing from then on, so it is a development set now.

Writes `benchmarks/results/conversations.json`: per set, turns passed and failed in all and per script file,
and the failed steps (file:line), so that a regression can be read without re-running.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.model import project_model  # noqa: E402
from bot.content.files import import_content  # noqa: E402
from bot.core.paths import KNOWLEDGE_BASE_DIR  # noqa: E402
from bot.db.seed import seed_demo_customers  # noqa: E402
from bot.devtools.local import local_servers  # noqa: E402
from bot.devtools.runner import ScriptClient, run_scripts  # noqa: E402
from bot.devtools.script import Script, load_scripts  # noqa: E402

SETS = {
    "suite": ROOT / "conversations" / "suite",
    "holdout": ROOT / "benchmarks" / "data" / "conversations_holdout",
    "holdout_2": ROOT / "benchmarks" / "data" / "conversations_holdout_2",
    "holdout_3": ROOT / "benchmarks" / "data" / "conversations_holdout_3",
    "holdout_4": ROOT / "benchmarks" / "data" / "conversations_holdout_4",
}


def played(client: ScriptClient, scripts: list[Script]) -> dict:
    """Turn success of one set of scripts, per file, with the failed steps."""
    per_file: dict[str, dict[str, int]] = {}
    failures: list[str] = []
    for script in scripts:
        summary = run_scripts(client, [script], write=lambda _line: None)
        per_file[script.path.name] = {"passed": summary.passed, "failed": summary.failed}
        failures.extend(summary.failures)
    passed = sum(row["passed"] for row in per_file.values())
    failed = sum(row["failed"] for row in per_file.values())
    return {
        "conversations": sum(len(script.conversations) for script in scripts),
        "turns": passed + failed,
        "turns_passed": passed,
        "turn_success_rate": round(passed / (passed + failed), 4) if passed + failed else 0.0,
        "per_file": per_file,
        "failed_steps": failures,
    }


def main() -> int:
    """Play every set, write the JSON and print the headlines."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    args = parser.parse_args()
    sets = {name: load_scripts([path]) for name, path in SETS.items()}
    import_content(KNOWLEDGE_BASE_DIR)
    seed_demo_customers()
    with local_servers(project_model()) as (url, token):
        client = ScriptClient(url, token)
        result = {name: played(client, scripts) for name, scripts in sets.items()}
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "conversations.json").write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    for name, row in result.items():
        headline = {k: v for k, v in row.items() if k not in ("per_file", "failed_steps")}
        print(name, json.dumps(headline, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
