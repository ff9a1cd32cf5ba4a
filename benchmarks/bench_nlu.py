"""NLU benchmark: intent accuracy, macro-F1, out-of-scope rejection and entity F1 on the held-out file.

Runs `rasa test nlu` with the current model on `tests/nlu/test_nlu.yml` (written separately from
the training data) and writes `benchmarks/results/nlu.json`.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.training import train  # noqa: E402

REJECTED = {"out_of_scope", "nlu_fallback"}


def run_rasa_test(model: Path, test_file: Path, out: Path) -> None:
    """Evaluate the model with Rasa's own NLU evaluation."""
    env = dict(os.environ, ACTION_ENDPOINT_URL="http://127.0.0.1:9/webhook")
    subprocess.run(
        [sys.executable, "-m", "rasa", "test", "nlu", "--model", str(model), "--nlu", str(test_file),
         "--out", str(out), "--no-plot", "--successes"],
        cwd=ROOT, env=env, check=True,
    )


def oos_rejection(out: Path) -> float:
    """Share of out-of-scope test messages answered with out_of_scope or the NLU fallback."""
    successes = json.loads((out / "intent_successes.json").read_text(encoding="utf-8")) \
        if (out / "intent_successes.json").exists() else []
    errors = json.loads((out / "intent_errors.json").read_text(encoding="utf-8"))
    oos = [r for r in successes + errors if r["intent"] == "out_of_scope"]
    rejected = [r for r in oos if r["intent_prediction"]["name"] in REJECTED]
    return len(rejected) / len(oos) if oos else 0.0


def summarise(out: Path) -> dict[str, object]:
    """The headline figures from Rasa's reports."""
    intents = json.loads((out / "intent_report.json").read_text(encoding="utf-8"))
    summary: dict[str, object] = {
        "intent_accuracy": round(intents["accuracy"], 4),
        "intent_macro_f1": round(intents["macro avg"]["f1-score"], 4),
        "intent_weighted_f1": round(intents["weighted avg"]["f1-score"], 4),
        "oos_rejection": round(oos_rejection(out), 4),
        "per_intent_f1": {
            name: round(values["f1-score"], 4)
            for name, values in intents.items()
            if isinstance(values, dict) and "f1-score" in values and not name.endswith("avg")
        },
    }
    for report in sorted(out.glob("*Extractor_report.json")) + sorted(out.glob("DIETClassifier_report.json")):
        entities = json.loads(report.read_text(encoding="utf-8"))
        summary[f"entity_f1_{report.stem.removesuffix('_report')}"] = round(entities["weighted avg"]["f1-score"], 4)
    return summary


def main() -> int:
    """Train if needed, evaluate, write JSON and print the summary."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--test-file", type=Path, default=ROOT / "tests" / "nlu" / "test_nlu.yml")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    args = parser.parse_args()
    report_dir = ROOT / "var" / "bench" / "nlu"
    run_rasa_test(train(), args.test_file, report_dir)
    summary = summarise(report_dir)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "nlu.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    print(json.dumps({k: v for k, v in summary.items() if k != "per_intent_f1"}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
