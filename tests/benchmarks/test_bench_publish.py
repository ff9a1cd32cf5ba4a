"""The publish benchmark for one round: the wording it publishes was not answered with its entry before."""

from __future__ import annotations

import pytest

from benchmarks.bench_publish import ROUNDS, measure


@pytest.mark.slow
def test_one_round_is_timed_until_the_new_wording_is_answered() -> None:
    result = measure(repeat=1)
    [round_] = result["rounds"]
    assert round_["entry"] == ROUNDS[0][0] and round_["answered_before"] != ROUNDS[0][0]
    assert 0 < round_["seconds"] == result["worst_s"]
    assert result["passed"] is (result["worst_s"] < result["target_s"])
