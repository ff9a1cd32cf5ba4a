"""PNG plots for the benchmark report (matplotlib, headless)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

COLOURS = {"ours": "#c0392b", "bare": "#7f8c8d"}
OUTCOME_COLOURS = {"contained": "#27ae60", "handoff": "#f39c12", "unresolved": "#c0392b"}


def latency_cdf(load: dict, path: Path) -> Path:
    """Cumulative distribution of per-message latency, ours vs bare Rasa, per phase."""
    figure, axes = plt.subplots(1, 2, figsize=(11, 4))
    for axis, phase in zip(axes, ("paced", "saturated"), strict=True):
        for stack in ("ours", "bare"):
            values = np.sort(np.asarray(load[stack][phase]["latencies_ms"]))
            if values.size:
                axis.plot(values, np.arange(1, values.size + 1) / values.size, label=stack, color=COLOURS[stack])
        axis.set_xscale("log")
        axis.set_xlabel("latency per message (ms, log)")
        axis.set_ylabel("share of messages")
        axis.set_title(f"{phase} ({load['config']['customers']} customers)")
        axis.grid(alpha=0.3)
        axis.legend()
    return _save(figure, path)


def load_bars(load: dict, path: Path) -> Path:
    """p50/p99 (paced), throughput (saturated) and the Rasa server's peak memory, ours vs bare."""
    figure, axes = plt.subplots(1, 3, figsize=(12, 3.8))
    stacks = ("ours", "bare")
    panels = (
        ("paced latency (ms)", [("p50", lambda s: load[s]["paced"]["p50_ms"]),
                                ("p99", lambda s: load[s]["paced"]["p99_ms"])]),
        ("saturated throughput (msg/s)", [("msg/s", lambda s: load[s]["saturated"]["throughput_mps"])]),
        ("Rasa server peak RSS (MiB)", [("RSS", lambda s: load[s]["peak_rss_mb"]["rasa"])]),
    )
    for axis, (title, metrics) in zip(axes, panels, strict=True):
        width = 0.8 / len(stacks)
        for offset, stack in enumerate(stacks):
            positions = np.arange(len(metrics)) + offset * width
            axis.bar(positions, [metric(stack) for _, metric in metrics], width, label=stack, color=COLOURS[stack])
        axis.set_xticks(np.arange(len(metrics)) + width / 2, [name for name, _ in metrics])
        axis.set_title(title)
        axis.legend()
    return _save(figure, path)


def containment(load: dict, path: Path) -> Path:
    """Outcome of our simulated conversations by kind."""
    by_kind = load["ours"]["conversations"]["by_kind"]
    kinds = list(by_kind)
    figure, axis = plt.subplots(figsize=(8, 3.8))
    bottom = np.zeros(len(kinds))
    for outcome, colour in OUTCOME_COLOURS.items():
        counts = np.array([by_kind[kind].get(outcome, 0) for kind in kinds], dtype=float)
        axis.bar(kinds, counts, bottom=bottom, label=outcome, color=colour)
        bottom += counts
    axis.set_ylabel("conversations")
    axis.set_title(f"containment rate {load['ours']['conversations']['containment_rate']:.2f}")
    axis.legend()
    axis.tick_params(axis="x", rotation=20)
    return _save(figure, path)


def confusion(nlu: dict, path: Path) -> Path:
    """Row-normalised intent confusion matrix on the held-out test file."""
    data = nlu["confusion"]
    matrix = np.asarray(data["matrix"], dtype=float)
    shares = matrix / np.maximum(matrix.sum(axis=1, keepdims=True), 1)
    figure, axis = plt.subplots(figsize=(10, 8.5))
    image = axis.imshow(shares, cmap="Blues", vmin=0, vmax=1)
    axis.set_xticks(range(len(data["predicted"])), data["predicted"], rotation=90)
    axis.set_yticks(range(len(data["true"])), data["true"])
    for row, column in zip(*np.nonzero(matrix), strict=True):
        colour = "white" if shares[row, column] > 0.5 else "black"
        axis.text(column, row, int(matrix[row, column]), ha="center", va="center", fontsize=7, color=colour)
    axis.set_xlabel("predicted intent")
    axis.set_ylabel("true intent")
    axis.set_title("NLU confusion matrix (held-out test file, counts; colour = share of the row)")
    figure.colorbar(image, ax=axis, fraction=0.04)
    return _save(figure, path)


def kb_scale(kb: dict, path: Path) -> Path:
    """Index build time and search latency against the number of knowledge-base entries."""
    rows = kb["scale"]
    entries = [row["entries"] for row in rows]
    figure, (left, right) = plt.subplots(1, 2, figsize=(10, 3.8))
    left.plot(entries, [row["build_s"] for row in rows], marker="o", color=COLOURS["ours"])
    left.set_title("index build (s)")
    for key, style in (("p50_ms", "o-"), ("p99_ms", "s--")):
        right.plot(entries, [row[key] for row in rows], style, label=key.removesuffix("_ms"), color=COLOURS["ours"])
    right.set_title("search latency (ms)")
    right.legend()
    for axis in (left, right):
        axis.set_xscale("log")
        axis.set_xlabel("entries")
        axis.grid(alpha=0.3)
    return _save(figure, path)


def _save(figure: plt.Figure, path: Path) -> Path:
    figure.tight_layout()
    figure.savefig(path, dpi=90)
    plt.close(figure)
    return path


def draw_all(results: dict[str, dict], out_dir: Path) -> list[Path]:
    """Every plot whose data is present."""
    plots = []
    if "load" in results:
        plots.append(latency_cdf(results["load"], out_dir / "load_latency_cdf.png"))
        plots.append(load_bars(results["load"], out_dir / "load_ours_vs_bare.png"))
        plots.append(containment(results["load"], out_dir / "containment.png"))
    if "nlu" in results and "confusion" in results["nlu"]:
        plots.append(confusion(results["nlu"], out_dir / "nlu_confusion.png"))
    if "kb" in results and results["kb"].get("scale"):
        plots.append(kb_scale(results["kb"], out_dir / "kb_scale.png"))
    return plots
