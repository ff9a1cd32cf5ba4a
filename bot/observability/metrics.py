"""Every Prometheus series of kefu, defined once, and the few helpers that keep their labels free of personal
data: label values are channel, intent, action, outcome and operation names only, never sender ids, texts or
knowledge-base questions.

Each process exposes the series it moves on its own `/metrics` (see `bot.observability.endpoint`): the Rasa
server the channel, intent and WeChat series, the action server the action and knowledge-base series, the
console the handoff series; the database retries wherever they happen. A series a process never moves stays
at zero there.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from prometheus_client import Counter, Gauge, Histogram

from bot.core import db
from bot.observability.turn import Turn

OTHER = "other"
"""The label value standing for any name outside the known set (an intent the domain does not have)."""

CHANNEL_MESSAGES = Counter("kefu_channel_messages", "Customer messages received, by channel.", ["channel"])
CHANNEL_REPLY_SECONDS = Histogram(
    "kefu_channel_reply_seconds", "Time from a customer message to the end of the bot's turn, by channel.",
    ["channel"], buckets=(0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 4.5, 10.0, 30.0))
CHANNEL_ERRORS = Counter(
    "kefu_channel_errors",
    "Turns that ended in the apology: `failed` (an error behind Rasa) or `silent` (the bot said nothing).",
    ["channel", "kind"])
CHANNEL_REFUSALS = Counter(
    "kefu_channel_refusals", "Messages answered politely and not processed: `too_long` or `too_fast`.",
    ["channel", "reason"])

INTENTS = Counter("kefu_intents", "Customer messages by recognised intent (`other`: not in the domain).", ["intent"])
FALLBACKS = Counter(
    "kefu_fallbacks",
    "Turns that fell back: `nlu` (intent nlu_fallback) or `core` (action_default_fallback was predicted).",
    ["kind"])

KB_DECISIONS = Counter(
    "kefu_kb_decisions", "Knowledge-base searches by outcome: answer, clarify or decline.", ["outcome"])
KB_SEARCH_SECONDS = Histogram(
    "kefu_kb_search_seconds", "Time of one knowledge-base search.",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5))

HANDOFF_QUEUE = Gauge("kefu_handoff_queue_length", "Live-chat tickets waiting for an agent.")
HANDOFF_ACTIVE = Gauge("kefu_handoff_active_tickets", "Tickets an agent has claimed and not closed.")
HANDOFF_AGENTS_ONLINE = Gauge("kefu_handoff_agents_online", "Agents whose console checked in within the last minute.")
HANDOFF_OLDEST_WAIT = Gauge(
    "kefu_handoff_oldest_wait_seconds", "How long the longest-waiting live-chat ticket has waited (0: none).")
HANDOFF_WAIT_SECONDS = Histogram(
    "kefu_handoff_wait_seconds", "How long a ticket waited in the queue before an agent claimed it.",
    buckets=(10.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1200.0, 1800.0, 3600.0))

ACTION_SECONDS = Histogram(
    "kefu_action_seconds", "Time the action server took to run one custom action, by action.", ["action"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0))
ACTION_FAILURES = Counter(
    "kefu_action_failures", "Custom action calls that did not answer 200, by action.", ["action"])

DB_RETRIES = Counter(
    "kefu_db_retries", "Database operations retried after a connection error, by operation.", ["operation"])

WECHAT_PASSIVE_REPLIES = Counter(
    "kefu_wechat_passive_replies", "WeChat messages answered inside the request (passive reply).")
WECHAT_API_SENDS = Counter(
    "kefu_wechat_api_sends", "Messages sent through WeChat's customer-service API, by outcome: sent or failed.",
    ["outcome"])
WECHAT_DEADLINE_MISSES = Counter(
    "kefu_wechat_deadline_misses",
    "WeChat turns not ready within WECHAT_REPLY_DEADLINE, answered later through the API.")

KB_OUTCOMES = {"answer": "answer", "clarify": "clarify", "none": "decline"}
"""The knowledge base's decision outcomes and their label values."""


def observe_turn(turn: Turn, outcome: str, seconds: float, known_intents: Collection[str]) -> None:
    """Count a processed customer turn: its channel, latency, intent, fallbacks and `outcome` (`answered`,
    `paused`, or the error kinds `failed` and `silent`)."""
    channel = turn.channel or OTHER
    CHANNEL_MESSAGES.labels(channel).inc()
    CHANNEL_REPLY_SECONDS.labels(channel).observe(seconds)
    if outcome in ("failed", "silent"):
        CHANNEL_ERRORS.labels(channel, outcome).inc()
    if turn.intent:
        INTENTS.labels(turn.intent if turn.intent in known_intents else OTHER).inc()
        if turn.intent == "nlu_fallback":
            FALLBACKS.labels("nlu").inc()
    if turn.core_fallback:
        FALLBACKS.labels("core").inc()


def observe_refusal(channel: str | None, reason: str) -> None:
    """Count a message refused by the size or rate limit."""
    CHANNEL_MESSAGES.labels(channel or OTHER).inc()
    CHANNEL_REFUSALS.labels(channel or OTHER, reason).inc()


def observe_kb_decision(outcome: str, seconds: float) -> None:
    """Count one knowledge-base search by its outcome and time it."""
    KB_DECISIONS.labels(KB_OUTCOMES.get(outcome, OTHER)).inc()
    KB_SEARCH_SECONDS.observe(seconds)


def bind_handoff_gauges(
    queue_length: Callable[[], float], active: Callable[[], float], agents_online: Callable[[], float],
    oldest_wait: Callable[[], float],
) -> None:
    """Read the handoff gauges from these functions at each scrape (the process serving the agents does it)."""
    HANDOFF_QUEUE.set_function(queue_length)
    HANDOFF_ACTIVE.set_function(active)
    HANDOFF_AGENTS_ONLINE.set_function(agents_online)
    HANDOFF_OLDEST_WAIT.set_function(oldest_wait)


def _count_retry(operation: str) -> None:
    DB_RETRIES.labels(operation).inc()


db.RETRY_OBSERVERS.append(_count_retry)
