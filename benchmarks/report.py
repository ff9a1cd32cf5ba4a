"""Turn the benchmark JSON under `benchmarks/results/` into `report.md` and PNG plots.

Usage: python benchmarks/report.py [--results benchmarks/results]

Sections whose JSON is missing are left out, so the report can be rebuilt after any single benchmark.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.plots import draw_all  # noqa: E402
from benchmarks.stats import target_rows  # noqa: E402

SOURCES = ("conversations", "nlu", "kb", "load", "train")
OUTCOMES = ("contained", "handoff", "unresolved")


def load_results(results_dir: Path) -> dict[str, dict]:
    """The JSON of every benchmark that has run, by name."""
    return {
        name: json.loads((results_dir / f"{name}.json").read_text(encoding="utf-8"))
        for name in SOURCES
        if (results_dir / f"{name}.json").exists()
    }


def fmt(value: object, digits: int = 3) -> str:
    """A number for a table cell: rounded, '–' when missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}".rstrip("0").rstrip(".") if digits else f"{value:.0f}"
    return str(value)


def table(header: list[str], rows: list[list[object]]) -> list[str]:
    """A markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(fmt(cell) for cell in row) + " |" for row in rows]
    return lines


def targets_section(results: dict[str, dict]) -> list[str]:
    """Every target with the measured value and pass/miss."""
    if "load" not in results:
        return []
    rows = []
    for row in target_rows(results["load"], results.get("train")):
        verdict = {True: "pass", False: "**miss**", None: "not measured"}[row["passed"]]
        rows.append([row["name"], row["target"], row["value"], verdict])
    return ["## Targets", "", *table(["what", "target", "measured", "result"], rows), ""]


def load_section(load: dict) -> list[str]:
    """Latency, throughput, errors and memory of both stacks, the ratios and containment."""
    config = load["config"]
    lines = [
        "## End-to-end load",
        "",
        f"{config['customers']} simulated customers in parallel over `POST /webhooks/web/webhook`, on "
        f"{config['cpus']} cores. **paced**: {config['paced_conversations_per_customer']} conversations each, "
        f"{config['think_s'][0]}–{config['think_s'][1]} s think time before every message (latency targets); "
        f"**saturated**: {config['saturated_conversations_per_customer']} conversations each, no think time "
        "(throughput). The bare-Rasa floor runs the same pipeline and policies with one static response per "
        "intent, no actions, database or knowledge base, and gets the same messages.",
        "",
    ]
    rows = []
    for stack in ("ours", "bare"):
        for phase in ("paced", "saturated"):
            data = load[stack][phase]
            rows.append([stack, phase, data["messages"], data["p50_ms"], data["p95_ms"], data["p99_ms"],
                         data["throughput_mps"], data["errors"]])
    lines += table(["stack", "phase", "messages", "p50 ms", "p95 ms", "p99 ms", "msg/s", "errors"], rows)
    ratios = load["ratios"]
    lines += [
        "",
        f"**ours / bare**: p50 {fmt(ratios['p50'])}×, p99 {fmt(ratios['p99'])}× (paced); throughput "
        f"{fmt(ratios['throughput'])}× (saturated).",
        "",
    ]
    first = [[stack, text, load[stack]["first_messages_ms"][text], load[stack]["paced"]["p50_ms"]]
             for stack in ("ours", "bare") for text in load[stack].get("first_messages_ms", {})]
    first += [[f"ours, {channel}", text, ms, load["ours"]["paced"]["p50_ms"]]
              for channel, messages in load["ours"].get("first_messages_by_channel_ms", {}).items()
              if channel != "web" for text, ms in messages.items()]
    if first:
        lines += ["First messages after the servers say ready (each a new conversation), against the paced p50:",
                  "", *table(["stack", "message", "ms", "paced p50 ms"], first), ""]
    memory = [[f"ours: {name}", mb] for name, mb in load["ours"]["peak_rss_mb"].items()]
    memory += [[f"bare: {name}", mb] for name, mb in load["bare"]["peak_rss_mb"].items()]
    lines += ["Peak memory (`VmHWM`):", "", *table(["process", "MiB"], memory), ""]
    conversations = load["ours"]["conversations"]
    lines += [
        "## Containment",
        "",
        f"{conversations['total']} simulated conversations on our stack: **containment rate "
        f"{fmt(conversations['containment_rate'])}** (resolved without a human: every expected reply seen, no "
        f"handoff), **handoff rate {fmt(conversations['handoff_rate'])}** (reached the queue or a left message, "
        f"留言), {conversations['unresolved']} unresolved. One conversation template in six asks for a human.",
        "",
        *table(["kind", *OUTCOMES],
               [[kind, *(counts.get(o, 0) for o in OUTCOMES)] for kind, counts in conversations["by_kind"].items()]),
        "",
    ]
    return lines


def nlu_section(nlu: dict) -> list[str]:
    """Held-out intent and entity figures, and cross-validation."""

    def entity_cells(figures: dict) -> list[object]:
        return [figures.get("entity_f1_pipeline"), figures.get("entity_f1_DIETClassifier"),
                figures.get("entity_f1_SpacyRuleEntityExtractor")]

    rows = [["held-out test file", nlu["intent_accuracy"], nlu["intent_macro_f1"], nlu["oos_rejection"],
             *entity_cells(nlu)]]
    blind = nlu.get("blind")
    if blind:
        rows.append(["other author's set (never read data/)", blind["intent_accuracy"], blind["intent_macro_f1"],
                     blind["oos_rejection"], *entity_cells(blind)])
    cv = nlu.get("cross_validation")
    if cv:
        rows.append([f"cross-validation ({cv['folds']} folds, DIET {cv['diet_epochs']} epochs)",
                     cv["intent_accuracy"], cv["intent_macro_f1"], cv["oos_rejection"], *entity_cells(cv)])
    lines = [
        "## Understanding (NLU)",
        "",
        *table(["set", "intent accuracy", "intent macro-F1", "out-of-scope rejected", "entity F1 (pipeline output)",
                "entity F1 (DIET)", "entity F1 (rules)"], rows),
        "",
        "Entity F1 is weighted over entity types on token labels, as Rasa scores extractors; the pipeline output is "
        "what the dialogue gets after every component (rule matches replace DIET's, cities, districts and card "
        "types come from the rules alone).",
        "",
    ]
    sets = [("held-out test file", nlu)] + ([("other author's set", blind)] if blind else [])
    per_entity = {name: per for name, figures in sets if (per := figures.get("per_entity_f1_pipeline"))}
    if per_entity:
        entities = sorted({entity for per in per_entity.values() for entity in per})
        lines += ["Per-entity F1 of the pipeline output:", "",
                  *table(["entity", *per_entity], [[entity, *(per.get(entity) for per in per_entity.values())]
                                                   for entity in entities]), ""]
    if blind:
        lines += [f"`complain` on the other author's set: precision {fmt(blind['complain_precision'])}, recall "
                  f"{fmt(blind['complain_recall'])}.", ""]
    if cv:
        lines += [f"Cross-validation trains DIET for {cv['diet_epochs']} epochs instead of the config's to stay in "
                  f"the `make bench` budget ({fmt(cv['wall_s'], 0)} s).", ""]
    if "confusion" in nlu:
        lines += ["Confusion matrix on the held-out file: `nlu_confusion.png`.", ""]
    return lines


KB_SETS = (
    ("other author's paraphrases, served KB (calibrated thresholds)", "blind"),
    ("same, thresholds tuned on the KB's own similar questions", "blind_uncalibrated"),
    ("own held-out paraphrases, full KB", "heldout"),
    ("same, lexical only", "heldout_lexical"),
    ("own held-out, KB of standard questions only", "heldout_faq_only"),
    ("same, lexical only", "heldout_faq_only_lexical"),
    ("same, priors fitted on the other half of the entries", "heldout_faq_only_crossfit"),
    ("faq-dev (afqmc)", "faq_dev"),
    ("same, lexical only", "faq_dev_lexical"),
)


def kb_section(kb: dict) -> list[str]:
    """Retrieval quality and scale."""
    rows = [[name, kb[key]["n"], kb[key]["top1"], kb[key]["top3"], kb[key]["mrr"], kb[key]["oos_rejection"],
             kb[key]["false_answer_rate"], kb[key]["p50_ms"], kb[key]["p99_ms"]]
            for name, key in KB_SETS if key in kb]
    lines = ["## Knowledge base", ""]
    lines += table(["set", "n", "top-1", "top-3", "MRR", "off-topic rejected", "wrong answers", "p50 ms", "p99 ms"],
                   rows)
    decided = [[name, kb[key]["answered_right"], kb[key]["clarify_rate"], kb[key]["clarify_first_right"]]
               for name, key in KB_SETS[:2] if key in kb and "answered_right" in kb[key]]
    if decided:
        lines += ["", "Decisions on the in-scope queries:", "",
                  *table(["set", "answered right", "clarified", "clarification with the right entry first"],
                         decided)]
    if "semantic" in kb:
        semantic = kb["semantic"]
        p50, p99 = fmt(semantic["query_embedding_p50_ms"]), fmt(semantic["query_embedding_p99_ms"])
        lines += ["", "Embedding one message (multilingual-e5-small 4-bit and USE multilingual, "
                      f"{semantic['threads']} threads): p50 {p50} ms, p99 {p99} ms; "
                      "knowledge-base texts are embedded once and cached."]
    lines += ["", *table(["entries", "questions", "index build s (lexical)", "search p50 ms (lexical)",
                          "search p99 ms (lexical)", "embedding similarity p99 ms"],
                         [[r["entries"], r["questions"], r["build_s"], r["p50_ms"], r["p99_ms"],
                           r.get("semantic_scoring_p99_ms", "")]
                          for r in kb.get("scale", [])]), ""]
    return lines


CONVERSATION_SETS = {
    "suite": "`conversations/suite/` (development set, also played by the tests)",
    "holdout": "`benchmarks/data/conversations_holdout/` (a blind author's; development set since 2026-12-02)",
    "holdout_2": "`benchmarks/data/conversations_holdout_2/` (a blind author's; development set since 2026-12-03)",
    "holdout_3": "`benchmarks/data/conversations_holdout_3/` (held out: never used for development)",
    "holdout_4": "`benchmarks/data/conversations_holdout_4/` (two blind authors'; development set since 2026-12-06)",
}


def conversations_section(conversations: dict) -> list[str]:
    """Turn success of the scripted conversation sets."""
    lines = ["## Conversations", ""]
    for name, label in CONVERSATION_SETS.items():
        row = conversations.get(name)
        if row is None:
            continue
        files = [[file, r["passed"], r["failed"], r["passed"] / max(r["passed"] + r["failed"], 1)]
                 for file, r in row["per_file"].items()]
        lines += [
            f"{label}: {row['conversations']} conversations, {row['turns']} turns, played as "
            f"`kefu chat --script DIR --in-process` plays them: **turn success {fmt(row['turn_success_rate'])}**.",
            "",
            *table(["file", "turns right", "turns wrong", "share right"], files),
            "",
        ]
    return lines


def train_section(train: dict) -> list[str]:
    """Full training time, memory and model size."""
    epochs = ", ".join(f"{name} {count}" for name, count in train.get("epochs", {}).items())
    return [
        "## Training",
        "",
        f"Full `rasa train` (epochs: {epochs}) on {train['cpus']} cores: **{fmt(train['wall_s'], 0)} s**, peak "
        f"RSS {fmt(train['peak_rss_mb'], 0)} MiB, model {fmt(train['model_mb'], 1)} MiB.",
        "",
    ]


def render_markdown(results: dict[str, dict], plots: list[str], day: date | None = None) -> str:
    """The whole report as markdown."""
    lines = [
        "# kefu benchmark report",
        "",
        f"Generated {(day or date.today()).isoformat()} by `make bench` from the JSON in this directory.",
        "",
        *targets_section(results),
    ]
    if "conversations" in results:
        lines += conversations_section(results["conversations"])
    if "load" in results:
        lines += load_section(results["load"])
    if "nlu" in results:
        lines += nlu_section(results["nlu"])
    if "kb" in results:
        lines += kb_section(results["kb"])
    if "train" in results:
        lines += train_section(results["train"])
    if plots:
        lines += ["## Plots", "", *(f"![{Path(name).stem}]({name})" for name in plots), ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Read the JSON, draw the plots, write report.md."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=Path, default=ROOT / "benchmarks" / "results")
    args = parser.parse_args(argv)
    results = load_results(args.results)
    plots = [path.name for path in draw_all(results, args.results)]
    (args.results / "report.md").write_text(render_markdown(results, plots), encoding="utf-8")
    print(f"wrote {args.results / 'report.md'} and {len(plots)} plots")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
