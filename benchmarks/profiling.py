"""Flame graphs of running servers: py-spy samples each process while a phase runs, one SVG per server."""

from __future__ import annotations

import contextlib
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path


def py_spy() -> str | None:
    """The py-spy executable next to this Python, or on PATH."""
    beside = Path(sys.executable).with_name("py-spy")
    return str(beside) if beside.exists() else shutil.which("py-spy")


@contextlib.contextmanager
def flame_graphs(processes: dict[str, int], out_dir: Path, rate: int = 50) -> Iterator[dict[str, Path]]:
    """Sample each named process (name → pid) for as long as the block runs; the SVGs land in `out_dir` as
    flame-<name>.svg. Without py-spy nothing is sampled and the mapping stays empty."""
    executable = py_spy()
    graphs: dict[str, Path] = {}
    samplers: list[subprocess.Popen] = []
    if executable:
        out_dir.mkdir(parents=True, exist_ok=True)
        for name, pid in processes.items():
            graphs[name] = out_dir / f"flame-{name}.svg"
            samplers.append(subprocess.Popen(
                [executable, "record", "--pid", str(pid), "--rate", str(rate), "--nonblocking",
                 "--format", "flamegraph", "--output", str(graphs[name])],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            ))
    try:
        yield graphs
    finally:
        for sampler in samplers:
            sampler.send_signal(signal.SIGINT)
        for sampler in samplers:
            try:
                sampler.wait(timeout=60)
            except subprocess.TimeoutExpired:
                sampler.kill()
