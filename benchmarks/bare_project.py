"""The bare-Rasa floor: the project's NLU pipeline and policies, one static response per intent.

No custom actions, no database, no knowledge base. The generated domain and rules live in `build/bench/bare/`
next to the trained model, which is cached under a fingerprint of everything that shapes it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from bot.runtime.training import fingerprint as training_fingerprint

ROOT = Path(__file__).resolve().parents[1]
BARE_DIR = ROOT / "build" / "bench" / "bare"
NLU_INPUTS = ("config.yml", "data/nlu", "build/jieba", "bot/nlu", "bot/core/text.py")
FALLBACK_INTENT = "nlu_fallback"


def intent_names(domain: dict[str, Any]) -> list[str]:
    """The domain's intents, whether listed as names or as `{name: options}` mappings."""
    names = []
    for item in domain.get("intents") or []:
        names.extend(item.keys() if isinstance(item, dict) else [item])
    return [str(name) for name in names]


def response_name(intent: str) -> str:
    """The static response that answers `intent`."""
    return f"utter_{intent}"


def bare_domain(domain: dict[str, Any]) -> dict[str, Any]:
    """The real domain's intents and entities, each intent answered by one static text, and nothing else."""
    intents = intent_names(domain)
    responses = {response_name(name): [{"text": f"静态回复：{name}"}] for name in intents}
    responses["utter_default"] = [{"text": "静态回复：没听懂"}]
    return {
        "version": "3.1",
        "session_config": domain.get("session_config", {}),
        "intents": intents,
        "entities": list(domain.get("entities") or []),
        "responses": responses,
    }


def bare_rules(domain: dict[str, Any]) -> dict[str, Any]:
    """One rule per intent (and for the NLU fallback): reply with its static response."""
    pairs = [(name, response_name(name)) for name in intent_names(domain)]
    pairs.append((FALLBACK_INTENT, "utter_default"))
    return {
        "version": "3.1",
        "rules": [
            {"rule": f"answer {intent}", "steps": [{"intent": intent}, {"action": action}]}
            for intent, action in pairs
        ],
    }


def fingerprint(domain_text: str, rules_text: str, root: Path = ROOT) -> str:
    """SHA-256 over the generated domain and rules and the NLU inputs they are trained with."""
    return training_fingerprint(root, NLU_INPUTS, seed=domain_text.encode() + rules_text.encode())


def _dump(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def ensure_model(out_dir: Path = BARE_DIR) -> Path:
    """Write the bare project files and train its model unless one for the same inputs exists."""
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    domain_text, rules_text = _dump(bare_domain(domain)), _dump(bare_rules(domain))
    target = out_dir / f"bare-{fingerprint(domain_text, rules_text)}.tar.gz"
    if target.exists():
        return target
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "domain.yml").write_text(domain_text, encoding="utf-8")
    (out_dir / "rules.yml").write_text(rules_text, encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "rasa", "train", "--config", "config.yml", "--domain", str(out_dir / "domain.yml"),
         "--data", "data/nlu", str(out_dir / "rules.yml"), "--out", str(out_dir),
         "--fixed-model-name", target.name.removesuffix(".tar.gz")],
        cwd=ROOT, check=True,
    )
    for old in out_dir.glob("bare-*.tar.gz"):
        if old != target:
            old.unlink()
    return target


def endpoints_file(out_dir: Path = BARE_DIR) -> Path:
    """The bare server's endpoints: none, so Rasa's defaults (in-memory tracker store, no event broker) and not
    the project's `endpoints.yml`, which `rasa run` would otherwise read from the working directory."""
    path = out_dir / "endpoints.yml"
    out_dir.mkdir(parents=True, exist_ok=True)
    path.write_text("# the bare-Rasa floor: Rasa's default stores\n", encoding="utf-8")
    return path


def credentials_file(out_dir: Path = BARE_DIR) -> Path:
    """The bare server's channels: only the website's REST channel."""
    path = out_dir / "credentials.yml"
    out_dir.mkdir(parents=True, exist_ok=True)
    path.write_text("bot.channels.web.WebInput:\n", encoding="utf-8")
    return path


if __name__ == "__main__":
    print(ensure_model())
