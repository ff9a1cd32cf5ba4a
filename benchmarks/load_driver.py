"""Simulated customers talking to a Rasa server over the website's REST channel, concurrently.

Each customer runs its scripted conversations one after another, each under a fresh sender id, optionally
pausing (think time) before every message. A phone's verification steps (ID last four → SMS code) are held
under a per-phone lock so that two customers sharing a demo phone never read each other's code.
"""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import aiohttp

from benchmarks.scenarios import (
    SMS_CODE,
    Conversation,
    ended_in_handoff,
    matches,
    step_text,
)

CodeReader = Callable[[str], "str | None"]


@dataclass
class PhaseResult:
    """What one load phase measured."""

    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    wall_s: float = 0.0
    conversations: list[dict] = field(default_factory=list)


@dataclass(frozen=True)
class Pacing:
    """Think time before each message, uniformly drawn from [low, high] seconds."""

    low: float = 0.0
    high: float = 0.0

    def pause(self, rng: random.Random) -> float:
        """Seconds to wait before the next message."""
        return rng.uniform(self.low, self.high) if self.high > 0 else 0.0


class Driver:
    """Plays conversations against one server and records latency, errors and outcomes."""

    def __init__(self, base_url: str, read_code: CodeReader, pacing: Pacing, label: str) -> None:
        self.url = f"{base_url.rstrip('/')}/webhooks/web/webhook"
        self.read_code = read_code
        self.pacing = pacing
        self.label = label
        self.result = PhaseResult()
        self._phone_locks: dict[str, asyncio.Lock] = {}

    async def _send(self, session: aiohttp.ClientSession, sender: str, text: str) -> list[str] | None:
        """POST one message; the bot's texts, or None on an error (recorded)."""
        started = time.perf_counter()
        try:
            async with session.post(self.url, json={"sender": sender, "message": text}) as response:
                body = await response.json(content_type=None)
                status = response.status
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
            self._error(f"{type(error).__name__}: {error}")
            return None
        self.result.latencies_ms.append((time.perf_counter() - started) * 1000)
        if status != 200 or not isinstance(body, list):
            self._error(f"HTTP {status}: {str(body)[:200]}")
            return None
        return [str(message.get("text") or "") for message in body if isinstance(message, dict)]

    def _error(self, description: str) -> None:
        self.result.errors += 1
        if len(self.result.error_samples) < 10:
            self.result.error_samples.append(description)

    async def conversation(self, session: aiohttp.ClientSession, script: Conversation, rng: random.Random) -> None:
        """Play one conversation and record whether it was resolved and whether it reached a human."""
        sender = f"bench-{self.label}-{uuid.uuid4().hex[:12]}"
        resolved, handoff, missed = True, False, None
        lock = self._phone_locks.setdefault(script.phone, asyncio.Lock()) if script.phone else None
        held = False
        for number, step in enumerate(script.steps):
            if lock and not held and number + 1 < len(script.steps) and script.steps[number + 1].text == SMS_CODE:
                await lock.acquire()
                held = True
            await asyncio.sleep(self.pacing.pause(rng))
            code = await asyncio.to_thread(self.read_code, script.phone) if step.text == SMS_CODE else None
            texts = await self._send(session, sender, step_text(step, code))
            if lock and held and (step.text == SMS_CODE or texts is None):
                lock.release()
                held = False
            if texts is None:
                resolved = False
                break
            handoff = handoff or ended_in_handoff(texts)
            if resolved and not matches(step.expect, texts):
                resolved, missed = False, {"step": step.text, "expected": step.expect, "got": texts}
        outcome = "handoff" if handoff else "contained" if resolved else "unresolved"
        self.result.conversations.append({"kind": script.kind, "outcome": outcome, "missed": missed})

    async def customer(self, session: aiohttp.ClientSession, scripts: list[Conversation], seed: int) -> None:
        """One simulated customer: its conversations in order."""
        rng = random.Random(seed)
        for script in scripts:
            await self.conversation(session, script, rng)

    async def run(self, scripts: list[list[Conversation]], timeout_s: float = 60) -> PhaseResult:
        """All customers at once; returns the phase's measurements."""
        timeout = aiohttp.ClientTimeout(total=timeout_s)
        connector = aiohttp.TCPConnector(limit=0)
        started = time.perf_counter()
        async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
            await asyncio.gather(*(self.customer(session, script, seed) for seed, script in enumerate(scripts)))
        self.result.wall_s = time.perf_counter() - started
        return self.result
