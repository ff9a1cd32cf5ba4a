"""Decision thresholds (answer / clarify / ambiguity) tuned on the re-ranked training queries."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

from bot.kb.rank.features import Candidates
from bot.kb.rank.reranker import Reranker
from bot.kb.rank.training_data import TrainingQuery

# Candidate odds ratios (runner-up odds / best odds) from which a query counts as ambiguous; a
# runner-up at least half as likely as the best candidate always is.
AMBIGUITY_RATIOS = (0.1, 0.2, 0.3, 0.5)
# Calibrating on real customer phrasings may also conclude that the runner-up should not stop an
# answer at all (1.0: only a runner-up as likely as the best one does).
REALISTIC_AMBIGUITY_RATIOS = (*AMBIGUITY_RATIOS, 1.0)
# A lexical answer at least this likely is taken without computing embeddings. In the internal
# cross-validation (one similar question per entry held out, a tenth of the entries removed) the
# lexical stage was this sure for 58% of the queries, 1.2% of all queries answered wrongly.
SURE_CONFIDENCE = 0.9


@dataclass(frozen=True)
class Thresholds:
    """Answer at or above `answer` unless the runner-up's odds reach `ambiguity` × the best one's;
    ask at or above `clarify`."""

    answer: float
    clarify: float
    ambiguity: float = 0.4


def odds(probability: np.ndarray | float) -> np.ndarray | float:
    """p / (1 − p), bounded."""
    return probability / np.maximum(1.0 - probability, 1e-9)


def is_ambiguous(confidence: np.ndarray | float, runner_up: np.ndarray | float, ratio: float) -> np.ndarray | bool:
    """Whether the runner-up is too close to the best candidate to answer."""
    return odds(runner_up) >= ratio * odds(confidence)


def is_sure(confidence: float, runner_up: float, thresholds: Thresholds) -> bool:
    """Whether an answer is confident enough to skip further evidence (the embedding stage)."""
    return confidence >= max(SURE_CONFIDENCE, thresholds.answer) and not is_ambiguous(
        confidence, runner_up, thresholds.ambiguity
    )


@dataclass(frozen=True)
class TrainingOutcome:
    """For each training query: top and runner-up probability, whether top-1 / top-3 was right."""

    confidence: np.ndarray
    runner_up: np.ndarray
    correct: np.ndarray
    in_top3: np.ndarray


def training_outcome(reranker: Reranker, queries: list[TrainingQuery], candidates: list[Candidates]) -> TrainingOutcome:
    """Re-rank every training query and record the top confidences and correctness."""
    confidence, runner_up, correct, in_top3 = [], [], [], []
    for item, found in zip(queries, candidates, strict=True):
        probs = reranker.predict(found.features)
        order = np.argsort(-probs, kind="stable")
        ranked = found.entries[order]
        confidence.append(float(probs[order[0]]) if len(probs) else 0.0)
        runner_up.append(float(probs[order[1]]) if len(probs) > 1 else 0.0)
        correct.append(bool(len(ranked)) and not item.entry_removed and ranked[0] == item.entry)
        in_top3.append(not item.entry_removed and item.entry in ranked[:3])
    return TrainingOutcome(np.array(confidence), np.array(runner_up), np.array(correct), np.array(in_top3))


def _best_threshold(
    confidence: np.ndarray, good: np.ndarray, cost: float, floor: float = 0.0
) -> tuple[float | None, float]:
    """Threshold (at least `floor`) maximising good − cost × bad over kept queries (confidence ≥ t), and
    that utility; None if it is never positive."""
    if not len(confidence):
        return None, 0.0
    order = np.argsort(-confidence, kind="stable")
    kept_good = good[order].astype(float)
    utility = np.cumsum(kept_good - cost * (1.0 - kept_good))
    utility[confidence[order] < floor] = -np.inf
    best = int(np.argmax(utility))
    return (float(confidence[order][best]), float(utility[best])) if utility[best] > 0 else (None, 0.0)


def tune_thresholds(
    outcome: TrainingOutcome,
    wrong_answer_cost: float = 2.0,
    useless_clarify_cost: float = 1.0,
    bounds: tuple[float, float] = (0.3, 0.95),
    ratios: tuple[float, ...] = AMBIGUITY_RATIOS,
) -> Thresholds:
    """Answer where a right answer outweighs the cost of wrong ones, with the ambiguity ratio (of
    `ratios`) that gives the best such utility; clarify where top-3 is mostly right."""
    low, high = bounds
    best_ratio, answer, best_utility = ratios[-1], None, 0.0
    for ratio in ratios:
        clear = ~is_ambiguous(outcome.confidence, outcome.runner_up, ratio)
        threshold, utility = _best_threshold(
            np.where(clear, outcome.confidence, 0.0), outcome.correct, wrong_answer_cost, floor=low
        )
        if threshold is not None and utility > best_utility:
            best_ratio, answer, best_utility = ratio, threshold, utility
    answer = high if answer is None else min(max(answer, low), high)
    clarify, _ = _best_threshold(outcome.confidence, outcome.in_top3, useless_clarify_cost)
    clarify = answer / 2 if clarify is None else min(max(clarify, 0.1), answer)
    return Thresholds(answer=answer, clarify=clarify, ambiguity=best_ratio)


def load_thresholds(path: Path) -> Thresholds | None:
    """Thresholds written by `kefu kb calibrate` (None when the file does not exist)."""
    if not path.exists():
        return None
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return Thresholds(answer=float(data["answer"]), clarify=float(data["clarify"]), ambiguity=float(data["ambiguity"]))


def write_thresholds(path: Path, thresholds: Thresholds, source: str, queries: int) -> None:
    """Store calibrated thresholds with where they came from."""
    lines = [
        "# Decision thresholds calibrated on real customer phrasings by `kefu kb calibrate`; run it again",
        "# after large changes to the knowledge base. Delete this file to use the thresholds tuned on the",
        "# entries' own similar questions.",
        f"answer: {thresholds.answer:.4f}",
        f"clarify: {thresholds.clarify:.4f}",
        f"ambiguity: {thresholds.ambiguity}",
        f"source: {source}",
        f"queries: {queries}",
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
