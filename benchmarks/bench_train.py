"""Training benchmark: wall time and peak memory of a full `rasa train` into a temp directory, and model size.

Usage: python benchmarks/bench_train.py [--out benchmarks/results/train.json]

The project's own `models/` is never touched: `bot.runtime.training.train(tmp, force=True)` runs in a child process,
and the peak RSS is the largest of its process tree (`getrusage(RUSAGE_CHILDREN).ru_maxrss`).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
TRAIN_CHILD = (
    "import sys; from pathlib import Path; from bot.runtime.training import train; train(Path(sys.argv[1]), force=True)"
)


def configured_epochs(config: Path = ROOT / "config.yml") -> dict[str, int]:
    """Epochs of every component and policy in the config that trains for a number of epochs."""
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    parts = (data.get("pipeline") or []) + (data.get("policies") or [])
    return {part["name"]: int(part["epochs"]) for part in parts if "epochs" in part}


def measure_training(out_dir: Path) -> dict:
    """Train once into `out_dir`; wall time, peak RSS of the child processes and the model's size."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", TRAIN_CHILD, str(out_dir)], cwd=ROOT, env=env, check=True)
    wall = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    model = next(out_dir.glob("kefu-*.tar.gz"))
    return {
        "wall_s": round(wall, 1),
        "peak_rss_mb": round(peak_kib / 1024, 1),
        "model_mb": round(model.stat().st_size / 2**20, 2),
        "cpus": os.cpu_count(),
        "epochs": configured_epochs(),
    }


def main(argv: list[str] | None = None) -> int:
    """Train into a temp dir, write the JSON, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "train.json")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kefu-train-") as work:
        result = measure_training(Path(work))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"training: {result['wall_s']} s, peak RSS {result['peak_rss_mb']} MiB, model {result['model_mb']} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
