"""NLU benchmark: intent accuracy, macro-F1, confusion matrix, out-of-scope rejection and entity F1.

Runs `rasa test nlu` with the current model on `tests/nlu/test_nlu.yml` (written separately from
the training data) and on `benchmarks/data/nlu_blind.yml` (written by an author who never read `data/`; its
`complain` precision and recall are reported too), then Rasa's stratified cross-validation on `data/nlu`
(`--cv-folds`, DIET trained for `--cv-epochs` instead of the config's epochs to stay in the `make bench`
budget; `--cv-folds 0` skips it), and writes `benchmarks/results/nlu.json`.

Rasa scores entities per extractor; `entity_f1_pipeline` scores the entities of the final parsed message, whichever
component gave them (what the dialogue sees), the same way (token labels, weighted over entity types).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.model import project_model  # noqa: E402

REJECTED = {"out_of_scope", "nlu_fallback"}
PIPELINE = "pipeline"  # the name the final output's entities are scored under


def run_rasa_test(model: Path, test_file: Path, out: Path) -> None:
    """Evaluate the model with Rasa's own NLU evaluation."""
    env = dict(os.environ, ACTION_ENDPOINT_URL="http://127.0.0.1:9/webhook")
    subprocess.run(
        [sys.executable, "-m", "rasa", "test", "nlu", "--model", str(model), "--nlu", str(test_file),
         "--out", str(out), "--no-plot", "--successes"],
        cwd=ROOT, env=env, check=True,
    )


def run_cross_validation(folds: int, epochs: int, out: Path) -> float:
    """Rasa's NLU cross-validation on the training data with DIET's epochs reduced; returns the wall time."""
    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    for component in config["pipeline"]:
        if component["name"] == "DIETClassifier":
            component["epochs"] = epochs
    with tempfile.TemporaryDirectory(prefix="kefu-cv-") as work:
        config_path = Path(work) / "config.yml"
        config_path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "rasa", "test", "nlu", "--cross-validation", "--folds", str(folds),
             "--config", str(config_path), "--nlu", "data/nlu", "--out", str(out), "--no-plot", "--successes"],
            cwd=ROOT, check=True,
        )
        return time.perf_counter() - started


def predictions(out: Path) -> list[dict]:
    """Every evaluated message with its true and predicted intent (needs `--successes`)."""
    rows: list[dict] = []
    for name in ("intent_successes.json", "intent_errors.json"):
        if (out / name).exists():
            rows.extend(json.loads((out / name).read_text(encoding="utf-8")))
    return rows


def confusion_matrix(rows: list[dict]) -> dict[str, list]:
    """Counts of (true intent, predicted intent); labels are the true intents, then any other predictions."""
    true_labels = sorted({row["intent"] for row in rows})
    predicted = sorted({row["intent_prediction"]["name"] or "None" for row in rows} - set(true_labels))
    labels = true_labels + predicted
    index = {label: number for number, label in enumerate(labels)}
    matrix = [[0] * len(labels) for _ in true_labels]
    for row in rows:
        matrix[index[row["intent"]]][index[row["intent_prediction"]["name"] or "None"]] += 1
    return {"true": true_labels, "predicted": labels, "matrix": matrix}


def oos_rejection(out: Path) -> float:
    """Share of out-of-scope test messages answered with out_of_scope or the NLU fallback."""
    oos = [r for r in predictions(out) if r["intent"] == "out_of_scope"]
    rejected = [r for r in oos if r["intent_prediction"]["name"] in REJECTED]
    return len(rejected) / len(oos) if oos else 0.0


def entity_scores(report: dict) -> dict[str, object]:
    """Weighted and macro F1 and the F1 per entity type from a Rasa entity report."""
    return {
        "f1": round(report["weighted avg"]["f1-score"], 4),
        "macro_f1": round(report["macro avg"]["f1-score"], 4),
        "per_entity": {
            name: round(values["f1-score"], 4)
            for name, values in report.items()
            if isinstance(values, dict) and "f1-score" in values and not name.endswith("avg") and name != "no_entity"
        },
    }


def pipeline_entity_report(model: Path, test_file: Path) -> dict:
    """Rasa's entity report for the entities of the final parsed messages of `test_file`, all extractors together."""
    from rasa.core.agent import Agent
    from rasa.model_testing import get_evaluation_metrics
    from rasa.nlu.test import (
        NO_ENTITY,
        EntityEvaluationResult,
        align_all_entity_predictions,
        get_eval_data,
        merge_labels,
        substitute_labels,
    )
    from rasa.shared.nlu.constants import EXTRACTOR, NO_ENTITY_TAG
    from rasa.shared.nlu.training_data.loading import load_data

    agent = Agent.load(str(model))
    _, _, results = asyncio.run(get_eval_data(agent.processor, load_data(str(test_file))))
    combined = [
        EntityEvaluationResult(
            result.entity_targets,
            [{**entity, EXTRACTOR: PIPELINE} for entity in result.entity_predictions],
            result.tokens,
            result.message,
        )
        for result in results
    ]
    aligned = align_all_entity_predictions(combined, {PIPELINE})
    targets = substitute_labels(merge_labels(aligned), NO_ENTITY_TAG, NO_ENTITY)
    predicted = substitute_labels(merge_labels(aligned, PIPELINE), NO_ENTITY_TAG, NO_ENTITY)
    report, *_ = get_evaluation_metrics(targets, predicted, output_dict=True, exclude_label=NO_ENTITY)
    return report


def pipeline_summary(model: Path, test_file: Path) -> dict[str, object]:
    """The entity figures of the pipeline's final output, keyed like the per-extractor ones."""
    scores = entity_scores(pipeline_entity_report(model, test_file))
    return {
        f"entity_f1_{PIPELINE}": scores["f1"],
        f"entity_macro_f1_{PIPELINE}": scores["macro_f1"],
        f"per_entity_f1_{PIPELINE}": scores["per_entity"],
    }


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
        scores = entity_scores(json.loads(report.read_text(encoding="utf-8")))
        extractor = report.stem.removesuffix("_report")
        summary[f"entity_f1_{extractor}"] = scores["f1"]
        summary[f"entity_macro_f1_{extractor}"] = scores["macro_f1"]
        summary[f"per_entity_f1_{extractor}"] = scores["per_entity"]
    return summary


def complaint_scores(out: Path) -> dict[str, float]:
    """Precision and recall of `complain`: a false complaint hands a customer with a question to a human."""
    rows = predictions(out)
    predicted = [r for r in rows if r["intent_prediction"]["name"] == "complain"]
    actual = [r for r in rows if r["intent"] == "complain"]
    hits = [r for r in predicted if r["intent"] == "complain"]
    return {
        "complain_precision": round(len(hits) / len(predicted), 4) if predicted else 1.0,
        "complain_recall": round(len(hits) / len(actual), 4) if actual else 0.0,
        "false_complaints": sorted(r["text"] for r in predicted if r["intent"] != "complain"),
    }


def main() -> int:
    """Train if needed, evaluate, write JSON and print the summary."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--test-file", type=Path, default=ROOT / "tests" / "nlu" / "test_nlu.yml")
    parser.add_argument("--blind-file", type=Path, default=ROOT / "benchmarks" / "data" / "nlu_blind.yml")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    parser.add_argument("--cv-folds", type=int, default=3, help="cross-validation folds (0: skip)")
    parser.add_argument("--cv-epochs", type=int, default=20, help="DIET epochs during cross-validation")
    args = parser.parse_args()
    model = project_model()
    report_dir = ROOT / "var" / "bench" / "nlu"
    run_rasa_test(model, args.test_file, report_dir)
    summary = {**summarise(report_dir), **pipeline_summary(model, args.test_file)}
    summary["confusion"] = confusion_matrix(predictions(report_dir))
    blind_dir = ROOT / "var" / "bench" / "nlu-blind"
    run_rasa_test(model, args.blind_file, blind_dir)
    summary["blind"] = {
        **summarise(blind_dir), **pipeline_summary(model, args.blind_file), **complaint_scores(blind_dir)
    }
    if args.cv_folds:
        cv_dir = ROOT / "var" / "bench" / "nlu-cv"
        wall = run_cross_validation(args.cv_folds, args.cv_epochs, cv_dir)
        cv = {key: value for key, value in summarise(cv_dir).items() if not key.startswith("per_")}
        summary["cross_validation"] = {"folds": args.cv_folds, "diet_epochs": args.cv_epochs,
                                       "wall_s": round(wall, 1), **cv}
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "nlu.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    headline = {k: v for k, v in summary.items() if not k.startswith("per_") and k not in ("confusion", "blind")}
    headline["blind"] = {
        k: v for k, v in summary["blind"].items() if not k.startswith("per_") and k != "false_complaints"
    }
    print(json.dumps(headline, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
