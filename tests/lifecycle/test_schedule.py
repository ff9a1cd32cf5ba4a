"""The daily schedule: runs at once, again after the interval, sooner after a failure, and stops when told."""

from __future__ import annotations

import threading

from bot.lifecycle.schedule import repeat


def test_repeat_runs_now_retries_failures_sooner_and_stops() -> None:
    stop = threading.Event()
    runs: list[str] = []

    def task() -> None:
        runs.append("run")
        if len(runs) == 1:
            raise RuntimeError("database starting")
        if len(runs) == 3:
            stop.set()

    worker = threading.Thread(target=repeat, args=(task, 0.2, stop), kwargs={"retry": 0.01})
    worker.start()
    worker.join(timeout=10)
    assert not worker.is_alive()
    assert runs == ["run"] * 3
