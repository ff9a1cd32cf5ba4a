"""Which trained model the benchmarks measure."""

from __future__ import annotations

import os
from pathlib import Path

from bot.runtime.training import train


def project_model() -> Path:
    """`KEFU_BENCH_MODEL` if set (measure a given model, never train), else the up-to-date project model."""
    override = os.environ.get("KEFU_BENCH_MODEL")
    return Path(override) if override else train()
