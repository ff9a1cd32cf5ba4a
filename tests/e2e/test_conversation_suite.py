"""The project's conversation suite (`conversations/suite/`, written without reading `data/`) against the live bot.

The exact turn success rate is reported by `make bench` (benchmarks/bench_conversations.py); this test guards
against regressions: the share of right turns stays above the floor, and general questions are almost never
pushed into identity verification.
"""

from __future__ import annotations

from bot.core.paths import PROJECT_ROOT
from bot.devtools.runner import ScriptClient, mismatches
from bot.devtools.script import load_scripts
from bot.runtime.serve import ServerPorts

SUITE = PROJECT_ROOT / "conversations" / "suite"
TURN_SUCCESS_FLOOR = 0.89
MAX_GENERAL_QUESTIONS_VERIFIED = 0.02


def test_the_conversation_suite_stays_above_its_floor(servers: ServerPorts, api_token: str) -> None:
    client = ScriptClient(servers.rasa_url, api_token)
    right = wrong = 0
    general = verified = 0
    for script in load_scripts([SUITE]):
        for conversation in script.conversations:
            session = client.session(conversation.metadata)
            for step in conversation.steps:
                turn = client.play(session, step)
                if mismatches(step, turn):
                    wrong += 1
                else:
                    right += 1
                if step.intent == "faq":
                    general += 1
                    verified += "utter_verification_needed" in turn.responses
    assert right / (right + wrong) >= TURN_SUCCESS_FLOOR, f"{right} right, {wrong} wrong"
    assert verified / general <= MAX_GENERAL_QUESTIONS_VERIFIED, f"{verified} of {general} general questions verified"
