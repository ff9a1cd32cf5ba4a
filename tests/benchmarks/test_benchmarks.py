"""The benchmark code's pure parts: statistics, bare-project generation, scenarios, outcomes and the report."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import numpy as np
import pytest
import yaml

from benchmarks.bare_project import bare_domain, bare_rules, fingerprint, intent_names
from benchmarks.bench_load import outcome_summary, server_name
from benchmarks.bench_nlu import confusion_matrix
from benchmarks.report import render_markdown
from benchmarks.scenarios import (
    SMS_CODE,
    TEMPLATES,
    Step,
    customer_script,
    demo_identities,
    ended_in_handoff,
    matches,
    step_text,
)
from benchmarks.stats import latency_summary, peak_rss_mb, percentile, ratio, target_rows
from bot.core.paths import PROJECT_ROOT

DOMAIN = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("q", [0, 50, 95, 99, 100])
def test_percentile_interpolates_like_numpy(q: float) -> None:
    values = list(np.random.default_rng(3).exponential(40, 257))
    assert percentile(values, q) == pytest.approx(float(np.percentile(values, q)))


def test_latency_summary_of_known_values() -> None:
    summary = latency_summary([10.0, 20.0, 30.0, 40.0, 1000.0])
    assert (summary["messages"], summary["p50_ms"], summary["max_ms"], summary["mean_ms"]) == (5, 30.0, 1000.0, 220.0)
    assert summary["p99_ms"] == pytest.approx(961.6)
    assert math.isnan(latency_summary([])["p50_ms"])


def test_ratio_is_nan_without_a_floor() -> None:
    assert ratio(30.0, 20.0) == 1.5
    assert math.isnan(ratio(30.0, 0.0))
    assert math.isnan(ratio(math.nan, 10.0))


def test_peak_rss_reads_vmhwm(tmp_path: Path) -> None:
    (tmp_path / "42").mkdir()
    (tmp_path / "42" / "status").write_text("Name:\trasa\nVmHWM:\t  2097152 kB\nVmRSS:\t 1024 kB\n", encoding="ascii")
    assert peak_rss_mb(42, tmp_path) == 2048.0
    assert math.isnan(peak_rss_mb(43, tmp_path))


def tiny_load(p50: float, errors: int = 0) -> dict:
    phase = {"messages": 4, "p50_ms": p50, "p95_ms": p50 * 2, "p99_ms": p50 * 3, "throughput_mps": 10.0,
             "errors": errors, "latencies_ms": [p50] * 4}
    bare_phase = {**phase, "p50_ms": 20.0, "throughput_mps": 40.0, "errors": 0}
    return {
        "config": {"customers": 2, "paced_conversations_per_customer": 1, "saturated_conversations_per_customer": 1,
                   "think_s": [2.0, 6.0], "cpus": 2},
        "ours": {"paced": phase, "saturated": phase, "peak_rss_mb": {"rasa": 1300.0, "actions": 250.0},
                 "conversations": {"total": 6, "contained": 5, "handoff": 1, "unresolved": 0,
                                   "containment_rate": 0.8333, "handoff_rate": 0.1667,
                                   "by_kind": {"faq": {"contained": 5}, "handoff": {"handoff": 1}}}},
        "bare": {"paced": bare_phase, "saturated": bare_phase, "peak_rss_mb": {"rasa": 1200.0}},
        "ratios": {"p50": ratio(p50, 20.0), "p99": ratio(p50 * 3, 60.0), "throughput": 0.25},
    }


def test_targets_pass_and_miss() -> None:
    rows = {row["name"]: row for row in target_rows(tiny_load(40.0), {"wall_s": 150.0})}
    assert rows["p50 per message (32 customers)"]["passed"] is True
    assert rows["p99 per message"]["passed"] is True
    assert rows["p50 ours / bare Rasa"]["passed"] is False  # 40 / 20 = 2.0 > 1.5
    assert rows["throughput ours / bare Rasa"]["passed"] is False
    assert rows["full training"]["value"] == 2.5 and rows["full training"]["passed"] is True
    assert rows["Rasa server peak RSS (MiB)"]["passed"] is True
    errors = {row["name"]: row for row in target_rows(tiny_load(40.0, errors=1), None)}
    assert errors["errors"]["passed"] is False
    assert errors["full training"]["passed"] is None


def test_report_from_tiny_json() -> None:
    results = {"load": tiny_load(60.0), "train": {"wall_s": 130.0, "peak_rss_mb": 2000.0, "model_mb": 28.2,
                                                  "cpus": 2, "epochs": {"DIETClassifier": 50}}}
    text = render_markdown(results, ["load_latency_cdf.png"], day=date(2026, 11, 22))
    assert "Generated 2026-11-22" in text
    assert "| p50 per message (32 customers) | ≤ 50 ms | 60 | **miss** |" in text
    assert "| ours | paced | 4 | 60 | 120 | 180 | 10 | 0 |" in text
    assert "containment rate 0.833" in text and "handoff rate 0.167" in text
    assert "**130 s**" in text and "DIETClassifier 50" in text
    assert "![load_latency_cdf](load_latency_cdf.png)" in text
    assert "## Understanding" not in text  # no nlu.json: section left out


def test_bare_domain_answers_every_real_intent_statically() -> None:
    intents = intent_names(DOMAIN)
    domain = bare_domain(DOMAIN)
    assert domain["intents"] == intents and "faq" in intents and "request_human" in intents
    assert domain["entities"] == DOMAIN["entities"]
    assert not {"actions", "forms", "slots"} & domain.keys()
    assert set(domain["responses"]) == {f"utter_{name}" for name in intents} | {"utter_default"}
    rules = bare_rules(DOMAIN)["rules"]
    assert len(rules) == len(intents) + 1
    assert {"rule": "answer faq", "steps": [{"intent": "faq"}, {"action": "utter_faq"}]} in rules
    assert rules[-1]["steps"] == [{"intent": "nlu_fallback"}, {"action": "utter_default"}]


def test_bare_fingerprint_follows_the_generated_files() -> None:
    assert fingerprint("a", "b") == fingerprint("a", "b")
    assert fingerprint("a", "b") != fingerprint("a2", "b")


def test_intents_listed_with_options_are_found() -> None:
    assert intent_names({"intents": ["greet", {"faq": {"use_entities": []}}]}) == ["greet", "faq"]


def test_demo_identities_have_an_active_credit_card() -> None:
    identities = demo_identities()
    assert len(identities) == 6
    zhang = next(identity for identity in identities if identity.phone == "13812345678")
    assert (zhang.id_last4, zhang.credit_tail) == ("1234", "8866")


def test_customers_cycle_through_every_template() -> None:
    identities = demo_identities()
    kinds = [script.kind for index in range(len(TEMPLATES)) for script in customer_script(index, 1, identities)]
    assert len(set(kinds)) == len(TEMPLATES)
    second = customer_script(1, 3, identities)
    assert second[0].steps[1].text == identities[1].phone
    assert second[0].phone == identities[1].phone


def test_sms_code_step_and_reply_checks() -> None:
    assert step_text(Step(SMS_CODE), "123456") == "123456"
    assert step_text(Step(SMS_CODE), None) == "000000"
    assert step_text(Step("你好"), "123456") == "你好"
    assert matches(r"GS\d+", ["挂失成功，受理编号 GS2026001"])
    assert not matches("还款日", ["抱歉"])
    assert matches(None, [])
    assert ended_in_handoff(["抱歉，当前人工客服都不在线。您可以留言，客服会尽快联系您。"])
    assert not ended_in_handoff(["我是本行的智能客服助手小金，不是真人。如需人工客服，请输入「转人工」。"])


def test_outcome_shares() -> None:
    conversations = [{"kind": "faq", "outcome": "contained", "missed": None}] * 3 + [
        {"kind": "handoff", "outcome": "handoff", "missed": None},
        {"kind": "faq", "outcome": "unresolved", "missed": {"step": "x"}},
    ]
    summary = outcome_summary(conversations)
    assert (summary["containment_rate"], summary["handoff_rate"], summary["unresolved"]) == (0.6, 0.2, 1)
    assert summary["by_kind"] == {"faq": {"contained": 3, "unresolved": 1}, "handoff": {"handoff": 1}}
    assert summary["missed_samples"] == [conversations[-1]]


def test_confusion_matrix_counts_true_against_predicted() -> None:
    rows = [
        {"intent": "faq", "intent_prediction": {"name": "faq"}},
        {"intent": "faq", "intent_prediction": {"name": "nlu_fallback"}},
        {"intent": "greet", "intent_prediction": {"name": "faq"}},
    ]
    matrix = confusion_matrix(rows)
    assert matrix == {"true": ["faq", "greet"], "predicted": ["faq", "greet", "nlu_fallback"],
                      "matrix": [[1, 0, 1], [1, 0, 0]]}


def test_server_names_from_command_lines() -> None:
    assert server_name(["python", "-m", "rasa", "run", "actions", "--actions", "actions"]) == "actions"
    assert server_name(["python", "-m", "bot.cli.main", "console"]) == "console"
    assert server_name(["python", "-m", "rasa", "run", "--model", "m.tar.gz"]) == "rasa"
