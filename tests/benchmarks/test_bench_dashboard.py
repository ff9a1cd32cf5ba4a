"""The dashboard benchmark on a few hundred conversations: the seeded log is what the figures count."""

from __future__ import annotations

from benchmarks.bench_dashboard import measure


def test_the_seeded_conversations_are_all_counted() -> None:
    result = measure(conversations=300, days=3, repeat=1)
    assert result["counted"] == 300
    assert result["rows"]["tickets"] == round(result["handoff_rate"] * 300)
    assert result["rows"]["agent_messages"] == result["rows"]["tickets"] > 0
    assert set(result["cases"]) == {"whole_period", "last_7_days", "one_channel"}
    assert all(case["max_s"] >= case["median_s"] > 0 for case in result["cases"].values())
    assert result["passed"] is (result["worst_s"] < result["target_s"])
