"""Pure helpers shared by the benchmarks: percentiles, ratios, peak memory and the target table."""

from __future__ import annotations

import math
from pathlib import Path

TARGETS = {
    "p50_ms": 50.0,
    "p99_ms": 250.0,
    "errors": 0,
    "p50_ratio": 1.5,
    "throughput_ratio": 0.7,
    "train_minutes": 5.0,
    "rasa_rss_mb": 1536.0,
}


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0–100) with linear interpolation between ranks, as numpy's default does."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def latency_summary(latencies_ms: list[float]) -> dict[str, float]:
    """Count, mean, p50/p95/p99 and maximum of per-message latencies in milliseconds."""
    count = len(latencies_ms)
    return {
        "messages": count,
        "mean_ms": round(sum(latencies_ms) / count, 2) if count else math.nan,
        "p50_ms": round(percentile(latencies_ms, 50), 2),
        "p95_ms": round(percentile(latencies_ms, 95), 2),
        "p99_ms": round(percentile(latencies_ms, 99), 2),
        "max_ms": round(max(latencies_ms), 2) if count else math.nan,
    }


def ratio(ours: float, bare: float) -> float:
    """ours / bare, rounded; NaN when the floor is zero or missing."""
    if not bare or math.isnan(bare) or math.isnan(ours):
        return math.nan
    return round(ours / bare, 3)


def peak_rss_mb(pid: int, proc: Path = Path("/proc")) -> float:
    """The process's peak resident set size (`VmHWM`) in MiB, or NaN when it cannot be read."""
    try:
        status = (proc / str(pid) / "status").read_text(encoding="ascii")
    except OSError:
        return math.nan
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return math.nan


def target_rows(load: dict, train: dict | None) -> list[dict]:
    """Each target with its measured value and whether it was met (None when not measured)."""
    paced = load.get("ours", {}).get("paced", {})
    ratios = load.get("ratios", {})
    errors = sum(load.get("ours", {}).get(phase, {}).get("errors", 0) for phase in ("paced", "saturated"))
    rss = load.get("ours", {}).get("peak_rss_mb", {}).get("rasa", math.nan)
    minutes = train["wall_s"] / 60 if train and "wall_s" in train else math.nan
    rows = [
        ("p50 per message (32 customers)", "≤ 50 ms", paced.get("p50_ms", math.nan), "le", TARGETS["p50_ms"]),
        ("p99 per message", "≤ 250 ms", paced.get("p99_ms", math.nan), "le", TARGETS["p99_ms"]),
        ("errors", "0", errors, "le", TARGETS["errors"]),
        ("p50 ours / bare Rasa", "≤ 1.5", ratios.get("p50", math.nan), "le", TARGETS["p50_ratio"]),
        ("throughput ours / bare Rasa", "≥ 0.7", ratios.get("throughput", math.nan), "ge",
         TARGETS["throughput_ratio"]),
        ("full training", "≤ 5 min", round(minutes, 2), "le", TARGETS["train_minutes"]),
        ("Rasa server peak RSS (MiB)", "≤ 1536", rss, "le", TARGETS["rasa_rss_mb"]),
    ]
    table = []
    for name, target, value, sense, limit in rows:
        measured = value is not None and not (isinstance(value, float) and math.isnan(value))
        passed = (value <= limit if sense == "le" else value >= limit) if measured else None
        table.append({"name": name, "target": target, "value": value if measured else None, "passed": passed})
    return table
