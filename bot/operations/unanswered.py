"""Questions the bot could not answer, mined from the stored conversations and grouped by need.

A customer message counts when the knowledge base found no answer or had to ask which entry was meant, when
the customer rejected the answer it got (「不对」), or when it was the customer's last question before a handoff.
Stored conversations are already redacted; numbers are masked once more here. Messages are grouped by
sentence embeddings (the knowledge base's own models; character n-grams when embeddings are off) with
scikit-learn's agglomerative clustering, and each group gets the entry the knowledge base finds closest.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import sqlalchemy as sa
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize as unit_rows

from bot.core.db import create_db_engine
from bot.core.masking import mask_numbers
from bot.core.text import normalize
from bot.kb import KnowledgeBase
from bot.kb.index.embedder import configured_embedder

MAX_DISTANCE = 0.35
"""Average cosine distance within a group: paraphrases of one need sit well below it, different needs above."""
EXAMPLES = 5
MAX_EMBEDDED = 800
"""Distinct wordings embedded per mining run: the most frequent ones (see `cluster_messages`)."""
TAIL_SIMILARITY = 0.4
"""Character n-gram cosine at which a rare wording joins the group of the closest frequent one."""
MAX_TAIL_CLUSTERED = 3000
"""Rare wordings close to no frequent one that are grouped among themselves (memory grows with its square)."""
NOT_A_QUESTION = frozenset({
    "request_human", "deny", "affirm", "thanks", "greet", "goodbye", "rate", "bot_challenge", "restart",
})
"""Intents of messages that carry no need of their own (「转人工」, 「不对」, 「谢谢」)."""

_EVENTS = sa.table(
    "events", sa.column("id"), sa.column("sender_id"), sa.column("type_name"), sa.column("timestamp"),
    sa.column("data"),
)


@dataclass(frozen=True)
class Unanswered:
    """One customer message the bot did not resolve, and why (`no_match`, `clarify`, `rejected`, `handoff`)."""

    text: str
    reason: str
    at: datetime


@dataclass
class Cluster:
    """Messages of one need: how many, the most frequent wordings, why, when, and the closest entry."""

    messages: list[Unanswered]
    suggested_entry: dict[str, object] | None = None
    examples: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        """The cluster as `kefu kb unanswered --json` prints it."""
        days = Counter(message.at.date().isoformat() for message in self.messages)
        return {
            "size": len(self.messages),
            "examples": self.examples,
            "suggested_entry": self.suggested_entry,
            "reasons": dict(Counter(message.reason for message in self.messages).most_common()),
            "first_seen": min(message.at for message in self.messages).isoformat(),
            "last_seen": max(message.at for message in self.messages).isoformat(),
            "by_day": dict(sorted(days.items())),
        }


def unanswered_messages(conversations_url: str, since: datetime | None = None) -> list[Unanswered]:
    """Every unresolved customer message in Rasa's tracker store at `conversations_url`."""
    engine = create_db_engine(conversations_url)
    try:
        if not sa.inspect(engine).has_table("events"):
            return []
        query = sa.select(_EVENTS.c.sender_id, _EVENTS.c.type_name, _EVENTS.c.timestamp, _EVENTS.c.data).where(
            _EVENTS.c.type_name.in_(("user", "bot", "action"))).order_by(_EVENTS.c.sender_id, _EVENTS.c.id)
        if since is not None:
            query = query.where(_EVENTS.c.timestamp >= since.timestamp())
        with engine.connect() as connection:
            rows = connection.execute(query).all()
    finally:
        engine.dispose()
    found: list[Unanswered] = []
    sender = None
    state: _Conversation | None = None
    for sender_id, kind, timestamp, data in rows:
        if sender_id != sender:
            sender, state = sender_id, _Conversation(found)
        state.see(kind, json.loads(data or "{}"), datetime.fromtimestamp(timestamp or 0))
    return found


class _Conversation:
    """Walks one conversation's events and records the unresolved messages into `found`."""

    def __init__(self, found: list[Unanswered]) -> None:
        self.found = found
        self.question: tuple[str, datetime] | None = None
        self.answered: tuple[str, datetime] | None = None
        self.recorded: set[tuple[str, datetime]] = set()

    def see(self, kind: str, event: dict, at: datetime) -> None:
        if kind == "user":
            text = (event.get("text") or "").strip()
            intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
            if intent == "deny" and self.answered:
                self._record(self.answered, "rejected")
                self.answered = None
            if text and not text.startswith("/") and intent not in NOT_A_QUESTION:
                self.question, self.answered = (text, at), None
        elif kind == "bot":
            outcome = (event.get("metadata") or {}).get("faq_outcome")
            if outcome in ("none", "clarify") and self.question:
                self._record(self.question, "no_match" if outcome == "none" else "clarify")
            elif outcome == "answer" and self.question:
                self.answered = self.question
        elif kind == "action" and event.get("name") == "action_handoff" and self.question:
            self._record(self.question, "handoff")
            self.question = None

    def _record(self, question: tuple[str, datetime], reason: str) -> None:
        """Record a message once, for the first reason it went unresolved."""
        if question in self.recorded:
            return
        self.recorded.add(question)
        text, at = question
        self.found.append(Unanswered(mask_numbers(text), reason, at))


def cluster_messages(
    messages: Sequence[Unanswered], vectors_of: Callable[[list[str]], np.ndarray] | None = None,
    max_embedded: int = MAX_EMBEDDED,
) -> list[list[Unanswered]]:
    """Groups of the same need, largest first; `vectors_of` embeds texts (None: character n-grams).

    Only the `max_embedded` most frequent wordings are embedded and clustered; each rarer wording joins the group
    of the frequent wording closest to it in character n-grams, or, when none is close, groups with other rare
    wordings by character n-grams alone. Sentence embeddings cost tens of milliseconds a text on 2 cores, so
    this keeps mining 10,000 messages within a minute; the groups are defined by what customers say most.
    """
    if not messages:
        return []
    frequency = Counter(normalize(message.text) for message in messages)
    texts = [text for text, _count in frequency.most_common()]
    head, tail = texts[:max_embedded], texts[max_embedded:]
    label_of = dict(zip(head, _labels(head, vectors_of(head) if vectors_of and len(head) > 1 else None),
                        strict=True))
    if tail:
        label_of.update(_tail_labels(head, tail, [label_of[text] for text in head]))
    groups: dict[int, list[Unanswered]] = {}
    for message in messages:
        groups.setdefault(label_of[normalize(message.text)], []).append(message)
    return sorted(groups.values(), key=lambda group: (-len(group), group[0].text))


def _labels(texts: list[str], vectors: np.ndarray | None) -> list[int]:
    """Agglomerative clusters of `texts` (by `vectors`, or character n-grams)."""
    if len(texts) == 1:
        return [0]
    if vectors is None:
        vectors = _char_ngrams(texts)
    clustering = AgglomerativeClustering(
        n_clusters=None, distance_threshold=MAX_DISTANCE, affinity="cosine", linkage="average")
    return [int(label) for label in clustering.fit_predict(unit_rows(np.asarray(vectors, dtype=np.float64)))]


def _tail_labels(head: list[str], tail: list[str], head_labels: list[int]) -> dict[str, int]:
    """Labels of rare wordings: the nearest frequent wording's group if close enough, else new groups."""
    grams = TfidfVectorizer(analyzer="char", ngram_range=(1, 2)).fit([*head, *tail])
    similarity = (grams.transform(tail) @ grams.transform(head).T).toarray()
    nearest = similarity.argmax(axis=1)
    labels: dict[str, int] = {}
    alone: list[str] = []
    for row, text in enumerate(tail):
        if similarity[row, nearest[row]] >= TAIL_SIMILARITY:
            labels[text] = head_labels[nearest[row]]
        else:
            alone.append(text)
    first = max(head_labels) + 1
    clustered, singletons = alone[:MAX_TAIL_CLUSTERED], alone[MAX_TAIL_CLUSTERED:]
    if clustered:
        labels.update((text, first + label) for text, label in zip(clustered, _labels(clustered, None),
                                                                   strict=True))
    first += len(clustered) + 1
    labels.update((text, first + number) for number, text in enumerate(singletons))
    return labels


def _char_ngrams(texts: list[str]) -> np.ndarray:
    return TfidfVectorizer(analyzer="char", ngram_range=(1, 2)).fit_transform(texts).toarray()


def mine(
    messages: Sequence[Unanswered], kb: KnowledgeBase | None,
    vectors_of: Callable[[list[str]], np.ndarray] | None = None,
) -> list[Cluster]:
    """Clusters of `messages`, each with its most frequent wordings and the entry closest to them."""
    clusters = []
    for group in cluster_messages(messages, vectors_of):
        wordings = Counter(message.text for message in group)
        examples = [text for text, _count in wordings.most_common(EXAMPLES)]
        clusters.append(Cluster(group, _suggested(kb, examples), examples))
    return clusters


def _suggested(kb: KnowledgeBase | None, examples: Iterable[str]) -> dict[str, object] | None:
    """The entry most of the examples reach first, as a place to add them as similar questions."""
    if kb is None:
        return None
    tops = [hits[0] for hits in (kb.search(text, top_k=1) for text in examples) if hits]
    if not tops:
        return None
    best_id, _votes = Counter(hit.id for hit in tops).most_common(1)[0]
    confidence = max(hit.score for hit in tops if hit.id == best_id)
    return {"id": best_id, "question": kb.entry(best_id).question, "confidence": round(float(confidence), 3)}


def mine_stored(
    conversations_url: str, since: datetime | None, knowledge_base: Callable[[], KnowledgeBase | None],
) -> list[Cluster]:
    """The clusters of the unresolved messages stored at `conversations_url` since `since`, grouped with the
    configured sentence embeddings, each with the closest entry of `knowledge_base()` (built only when there is
    something to mine): what `kefu kb unanswered` prints and the console shows."""
    messages = unanswered_messages(conversations_url, since)
    embedder = configured_embedder()
    return mine(messages, knowledge_base() if messages else None, embedder.questions if embedder else None)
