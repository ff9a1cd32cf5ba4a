"""The FAQ knowledge base: build once, then search, answer and follow up."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from bot.core.text import has_content, normalize
from bot.kb.entry import FaqEntry
from bot.kb.followup import followup_fragment, rewrites
from bot.kb.index.answer_index import AnswerIndex
from bot.kb.index.embedder import Embedder
from bot.kb.index.entry_index import EntryIndex, EntryScores
from bot.kb.index.lexical_index import LexicalIndex, Query
from bot.kb.index.semantic_index import SemanticIndex, unembedded
from bot.kb.index.tokenizer import TextAnalyzer
from bot.kb.rank.calibration import (
    REALISTIC_AMBIGUITY_RATIOS,
    Thresholds,
    TrainingOutcome,
    is_ambiguous,
    is_sure,
    training_outcome,
    tune_thresholds,
)
from bot.kb.rank.features import FeatureExtractor, QueryScores
from bot.kb.rank.prior import Prior, load_prior, needs_prior
from bot.kb.rank.reranker import Reranker, collect_candidates, fit_reranker
from bot.kb.rank.stage import Stage
from bot.kb.rank.training_data import (
    TrainingQuery,
    build_training_queries,
    labelled_queries,
    negative_queries,
    removed_copies,
)

MAX_QUERY_CHARS = 200
# Above this many entries every training query costs more to score, and a third fewer are used.
LARGE_KB_ENTRIES = 5000
# Share of labelled queries repeated with their entry hidden, to learn what "no entry fits" looks like.
REMOVED_SHARE = 0.1
# Follow-ups read together with the previous question are short; a long message stands on its own.
MAX_CONTEXT_CHARS = 30
# ...and relate to the knowledge base at all: most off-topic chat (「今天天气怎么样」 0.003, 「哈哈哈」, 「讲个笑话」)
# scores below this on its own, in-domain follow-ups (「中间隔了个周末」 0.014, 「那她刷的钱算谁的」) above it.
MIN_CONTEXT_CONFIDENCE = 0.008
# A short follow-up answered alone below this confidence is read with the previous question first. On the
# follow-up turns of conversations/suite, reading them in context below 0.4-0.5 gave the most right and fewest
# wrong answers.
FIRM_CONFIDENCE = 0.45
# A message naming this many things the previous entry never mentions asks a question of its own.
MIN_NEW_TOPICS = 2
# A follow-up this short naming (almost) nothing the previous entry does not mention is read with it first, and that
# reading is taken when it is sure and clearly surer than the message alone (「多久能到」 after a question on
# receiving money from abroad: 0.97 with it, 0.61 alone on the claims entry 「理赔多久能到账」).
MAX_BARE_FOLLOWUP_CHARS = 16
SURE_IN_CONTEXT = 0.9
CONTEXT_MARGIN = 0.1
MAX_BARE_NEW_WORDS = 1
# Words that ask rather than name something (「那剩下的利息怎么算」 names 剩下 and 利息 only).
ASKING_WORDS = frozenset({
    "怎么", "怎样", "如何", "什么", "多少", "需要", "可以", "一般", "那种", "这种", "还能", "能不能", "会不会",
    "是不是", "有没有",
})


@dataclass(frozen=True)
class Hit:
    """A retrieved entry with its calibrated confidence."""

    id: str
    score: float
    question: str


@dataclass(frozen=True)
class Decision:
    """What to do with a message: answer (`suggestions`: close runner-ups to offer beside it), ask which entry
    was meant (`suggestions`: the choices), or say nothing."""

    outcome: str
    answer_id: str | None
    confidence: float
    suggestions: list[Hit] = field(default_factory=list)
    query: str = ""

    @property
    def firm(self) -> bool:
        """An answer with no close runner-up offered beside it."""
        return self.outcome == "answer" and not self.suggestions


class KnowledgeBase:
    """Entry-level lexical and embedding retrieval with a listwise re-ranker.

    The re-ranker is learned from the KB's own paraphrases; a KB with too few of them uses the
    shipped prior (see bot.kb.rank.prior) unless `use_prior` says otherwise. `priors` (by mode: with
    embeddings or not) replaces the shipped ones, e.g. to measure priors fitted on other entries. With
    `embed_at_most`, an index that would first embed more texts than that is built without embeddings
    (`embeddings_deferred` says so): a large new knowledge base answers in seconds instead of hours.
    """

    def __init__(
        self,
        entries: list[FaqEntry],
        synonyms: dict[str, str] | None = None,
        terms: Iterable[str] = (),
        negatives: Sequence[str] = (),
        training_cap: int = 1500,
        seed: int = 0,
        embedder: Embedder | None = None,
        use_prior: bool | None = None,
        priors: dict[bool, Prior] | None = None,
        embed_at_most: int | None = None,
    ) -> None:
        if not entries:
            raise ValueError("a knowledge base needs at least one entry")
        self._entries = list(entries)
        self._by_id = {entry.id: entry for entry in self._entries}
        topics = {*terms, *(entry.category for entry in entries if entry.category)}
        vocabulary = topics | {word for entry in entries for word in entry.keywords}
        analyzer = TextAnalyzer(synonyms, vocabulary)
        self._topics = sorted({prepared for prepared in map(analyzer.prepare, topics) if len(prepared) > 1})
        self._mentioned: dict[str, str] = {}
        questions = [question for entry in self._entries for question in entry.questions]
        owners = np.repeat(np.arange(len(self._entries)), [len(entry.questions) for entry in self._entries])
        notes = [" ".join(entry.keywords) for entry in self._entries]
        self.index = LexicalIndex(analyzer, questions, owners, notes)
        answers = [entry.answer for entry in self._entries]
        self.embeddings_deferred = (
            embedder is not None and embed_at_most is not None
            and unembedded(embedder, self.index, answers) > embed_at_most
        )
        if self.embeddings_deferred:
            embedder = None
        self.semantic = None if embedder is None else SemanticIndex(embedder, self.index, answers)
        answer_index = AnswerIndex(analyzer, answers)
        prepared = {word: analyzer.prepare(word) for word in vocabulary}
        keywords = [tuple(prepared[word] for word in entry.keywords) for entry in self._entries]
        self.extractor = FeatureExtractor(self.index, keywords, frozenset(analyzer.terms))
        use_prior = needs_prior(self._entries) if use_prior is None else use_prior
        cap = training_cap * 2 // 3 if len(self._entries) > LARGE_KB_ENTRIES else training_cap
        full = EntryIndex(self.index, answer_index, self.semantic)
        # With embeddings, a lexical stage (the same index without them) answers the queries it is
        # sure of without embedding them.
        indexes = [full] if self.semantic is None else [full, full.without_embeddings()]
        stages = self._stages(indexes, use_prior, priors, negatives, np.random.default_rng(seed), cap)
        self._main = stages[0]
        self._fast = stages[1] if len(stages) > 1 else None

    def _stages(
        self,
        indexes: list[EntryIndex],
        use_prior: bool,
        priors: dict[bool, Prior] | None,
        negatives: Sequence[str],
        rng: np.random.Generator,
        cap: int,
    ) -> list[Stage]:
        """One ranking stage per entry index: the priors for their modes (given, else shipped), or
        (without them, or when one is missing) re-rankers fitted on up to `cap` queries drawn from
        the KB itself."""
        if use_prior:
            chosen = [(index, self._prior(index, priors)) for index in indexes]
            if all(prior is not None for _, prior in chosen):
                return [Stage(index, prior.reranker, prior.thresholds) for index, prior in chosen]
        training = build_training_queries(self.index, rng, cap=cap)
        models = self._fit(indexes[0], training, negatives, with_lexical=len(indexes) > 1)
        return [Stage(index, *model) for index, model in zip(indexes, models, strict=True)]

    @staticmethod
    def _prior(index: EntryIndex, priors: dict[bool, Prior] | None) -> Prior | None:
        """The prior for an index's mode (with embeddings or not): given, else shipped."""
        semantic = index.semantic is not None
        return priors.get(semantic) if priors is not None else load_prior(semantic)

    @property
    def entry_index(self) -> EntryIndex:
        """The pooled entry index of the full ranking (with embeddings when enabled)."""
        return self._main.entry_index

    @property
    def _lexical(self) -> Stage:
        """The ranking without embeddings: the fast stage when embeddings are on, else the only one."""
        return self._fast or self._main

    @property
    def reranker(self) -> Reranker:
        """The re-ranker of the full ranking."""
        return self._main.reranker

    def fitted(self) -> dict[bool, Prior]:
        """The re-rankers and thresholds in use, by mode (with embeddings or not): to build a changed knowledge
        base with them as `priors` instead of fitting again."""
        stages = [self._main] if self._fast is None else [self._main, self._fast]
        return {stage.entry_index.semantic is not None: Prior(stage.reranker, stage.thresholds) for stage in stages}

    @property
    def thresholds(self) -> Thresholds:
        """The decision thresholds of the full ranking."""
        return self._main.thresholds

    def _fit(
        self,
        entry_index: EntryIndex,
        training: list[TrainingQuery],
        negatives: Sequence[str],
        with_lexical: bool = False,
    ) -> list[tuple[Reranker, Thresholds]]:
        """Learn the re-ranker from `training`; tune the thresholds on it plus the negatives.

        With `with_lexical`, a second re-ranker is learned for the same index without embeddings.
        The negatives (messages no entry answers) only calibrate the thresholds, which the internal
        CV found better than fitting on them too.
        """
        calibration = self._with_vectors(training + negative_queries(self.index, negatives))
        training = calibration[: len(training)]
        models = []
        for candidates in collect_candidates(self.extractor, entry_index, calibration, with_lexical):
            reranker = fit_reranker(training, candidates[: len(training)])
            models.append((reranker, tune_thresholds(training_outcome(reranker, calibration, candidates))))
        return models

    def fit_on(self, pairs: Sequence[tuple[str, int]], negatives: Sequence[str], seed: int = 0) -> Prior:
        """A re-ranker and thresholds learned from labelled (text, entry position) queries."""
        queries = labelled_queries(self.index, pairs)
        queries += removed_copies(self.index, queries, np.random.default_rng(seed), REMOVED_SHARE)
        return Prior(*self._fit(self.entry_index, queries, negatives)[0])

    def _with_vectors(self, queries: list[TrainingQuery]) -> list[TrainingQuery]:
        """Training queries with their sentence embeddings attached (cached: they come from the KB)."""
        if self.semantic is None:
            return queries
        vectors = self.semantic.vectors([item.query for item in queries], persist=True)
        return [
            replace(item, query=replace(item.query, vector=vector))
            for item, vector in zip(queries, vectors, strict=True)
        ]

    def _with_vector(self, query: Query) -> Query:
        """A customer message with its embedding attached (never cached on disk), when embeddings are on."""
        if self.semantic is None:
            return query
        return replace(query, vector=self.semantic.vectors([query])[0])

    @property
    def entries(self) -> list[FaqEntry]:
        """All entries in load order."""
        return list(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, entry_id: object) -> bool:
        """Whether an entry with this id exists."""
        return entry_id in self._by_id

    def entry(self, entry_id: str) -> FaqEntry:
        """The entry with this id (KeyError if unknown)."""
        return self._by_id[entry_id]

    def _rank_queries(self, queries: list[Query], stage: Stage) -> list[list[Hit]]:
        return self._ranked(queries, stage.entry_index.score(queries), stage.reranker)

    def _ranked(self, queries: list[Query], pooled: EntryScores, reranker: Reranker) -> list[list[Hit]]:
        ranked = []
        for row, query in enumerate(queries):
            scores = QueryScores.row(pooled, row)
            found = self.extractor.candidates(query, scores)
            probs = reranker.predict(found.features)
            order = np.argsort(-probs, kind="stable")
            ranked.append([self._hit(int(found.entries[i]), float(probs[i])) for i in order])
        return ranked

    def _hit(self, position: int, score: float) -> Hit:
        entry = self._entries[position]
        return Hit(entry.id, score, entry.question)

    def _rank(self, text: str) -> tuple[list[Hit], Thresholds]:
        """Ranked hits and the thresholds that apply to them: the lexical stage's when it is sure.

        When it is not, the same lexical scores are completed with the message's embedding.
        """
        query = self.index.query(normalize(text, MAX_QUERY_CHARS))
        if self._fast is None:
            return self._rank_queries([query], self._main)[0], self._main.thresholds
        lexical = self._fast.entry_index.score([query])
        hits = self._ranked([query], lexical, self._fast.reranker)[0]
        if hits and is_sure(hits[0].score, hits[1].score if len(hits) > 1 else 0.0, self._fast.thresholds):
            return hits, self._fast.thresholds
        query = self._with_vector(query)
        scores = self._main.entry_index.add_embeddings(lexical, [query])
        return self._ranked([query], scores, self._main.reranker)[0], self._main.thresholds

    def search(self, text: str, top_k: int = 3) -> list[Hit]:
        """The top_k entries for a query, best first, with calibrated confidences."""
        if not has_content(normalize(text)):
            return []
        return self._rank(text)[0][:top_k]

    def outcome_on(self, queries: Sequence[tuple[str, str | None]]) -> TrainingOutcome:
        """How the ranking does on labelled customer messages ((text, expected id or None when no
        entry answers it)), as the thresholds see it: best and runner-up confidence, top-1 and top-3."""
        confidence, runner_up, correct, in_top3 = [], [], [], []
        for text, expected in queries:
            hits = self.search(text, top_k=3)
            confidence.append(hits[0].score if hits else 0.0)
            runner_up.append(hits[1].score if len(hits) > 1 else 0.0)
            correct.append(bool(hits) and expected is not None and hits[0].id == expected)
            in_top3.append(expected is not None and expected in [hit.id for hit in hits])
        return TrainingOutcome(np.array(confidence), np.array(runner_up), np.array(correct), np.array(in_top3))

    def calibrate(self, queries: Sequence[tuple[str, str | None]]) -> Thresholds:
        """Thresholds of the full ranking tuned on labelled customer messages (not yet in use)."""
        return tune_thresholds(self.outcome_on(queries), ratios=REALISTIC_AMBIGUITY_RATIOS, bounds=(0.1, 0.95))

    def use_thresholds(self, thresholds: Thresholds) -> None:
        """Decide with these thresholds of the full ranking from now on."""
        self._main = replace(self._main, thresholds=thresholds)

    def _decide(self, hits: list[Hit], query: str, thresholds: Thresholds) -> Decision:
        """Answer above the answer threshold, clarify above the clarify threshold, else nothing.

        An answer held back only by a close runner-up answers the best entry and keeps the runner-ups as
        `suggestions`: the customer who meant the first gets the answer at once, one who meant another is a
        click away, as with a clarification.
        """
        confidence = hits[0].score if hits else 0.0
        ambiguous = len(hits) > 1 and bool(is_ambiguous(confidence, hits[1].score, thresholds.ambiguity))
        if confidence >= thresholds.answer:
            return Decision("answer", hits[0].id, confidence, hits[1:3] if ambiguous else [], query)
        if confidence >= thresholds.clarify:
            return Decision("clarify", None, confidence, hits[:3], query)
        return Decision("none", None, confidence, [], query)

    def _followup(self, text: str, previous_id: str, hits: list[Hit]) -> tuple[str, list[Hit]] | None:
        """The best rewrite of a follow-up against the previous question, if it beats the text alone."""
        analyzer = self.index.analyzer
        fragment = followup_fragment(analyzer.chars(analyzer.prepare(text)))
        previous = self._by_id.get(previous_id)
        if fragment is None or previous is None:
            return None
        prepared = analyzer.prepare(previous.question)
        replaceable = [term for term in analyzer.terms if len(term) > 1 and term in prepared]
        if not replaceable:
            replaceable = [word for word in analyzer.words(prepared) if len(word) > 1]
        candidates = rewrites(prepared, fragment, replaceable)
        if not candidates:
            return None
        # Rewrites are the previous standard question with one term swapped: lexical ranking suits them.
        ranked = self._rank_queries([self.index.query(candidate) for candidate in candidates], self._lexical)
        moved_on = [i for i in range(len(candidates)) if ranked[i] and ranked[i][0].id != previous_id]
        if not moved_on:
            return None
        best = max(moved_on, key=lambda i: ranked[i][0].score)
        baseline = hits[0].score if hits else 0.0
        if ranked[best][0].score > baseline:
            return candidates[best], ranked[best]
        return None

    def answer(self, text: str, previous_id: str | None = None) -> Decision:
        """Decide how to respond to a message, using the previous entry for short follow-ups."""
        query = normalize(text, MAX_QUERY_CHARS)
        if not has_content(query):
            return Decision("none", None, 0.0, [], query)
        hits, thresholds = self._rank(query)
        decision = self._decide(hits, query, thresholds)
        if previous_id not in self._by_id or len(query) > MAX_CONTEXT_CHARS:
            return decision
        named = self._named_topics(query)
        # Reading the message with the previous question ranks it again: done at most once.
        in_context = functools.cache(lambda: self._in_context(query, previous_id))
        if decision.confidence >= MIN_CONTEXT_CONFIDENCE and self._is_bare_followup(query, named, previous_id):
            # 「多久能到」「收费吗」 after an answer ask about that answer's subject, even where another entry
            # would answer the words alone.
            contextual = in_context()
            if contextual is not None and contextual.confidence >= max(
                SURE_IN_CONTEXT, decision.confidence + CONTEXT_MARGIN
            ):
                return contextual
        rewritten = self._followup(query, previous_id, hits)
        if rewritten is not None:
            return self._decide(rewritten[1], rewritten[0], self._lexical.thresholds)
        if decision.confidence < MIN_CONTEXT_CONFIDENCE:
            return decision
        if (decision.firm and decision.confidence >= FIRM_CONFIDENCE) or self._names_another_topic(named, previous_id):
            return decision
        return in_context() or decision

    def _is_bare_followup(self, query: str, named: list[str], previous_id: str) -> bool:
        """A short message naming no topic and at most one word that the previous entry does not mention:
        「换卡要钱吗」 after an answer on replacing a damaged card, not 「要取十万现金 需要提前跟网点说吗」 after one on
        opening hours on holidays."""
        if len(query) > MAX_BARE_FOLLOWUP_CHARS or self._new_topics(named, previous_id):
            return False
        mentioned = self._mentioned_by(previous_id)
        analyzer = self.index.analyzer
        words = analyzer.words(analyzer.prepare(query))
        new = [word for word in words if len(word) > 1 and word not in ASKING_WORDS and word not in mentioned]
        return len(new) <= MAX_BARE_NEW_WORDS

    def _named_topics(self, query: str) -> list[str]:
        """The products and services (domain terms, categories) the message names."""
        prepared = self.index.analyzer.prepare(query)
        return [topic for topic in self._topics if topic in prepared]

    def _names_another_topic(self, named: list[str], previous_id: str) -> bool:
        """Whether the message names several things (domain terms or categories) that the previous entry never
        mentions: 「平时要怎么防止银行卡被盗刷」 after a transfer answer is a new question, while 「换的话收手续费吗」
        after one on exchanging torn notes, naming a fee only, is a follow-up."""
        return len(self._new_topics(named, previous_id)) >= MIN_NEW_TOPICS

    def _new_topics(self, named: list[str], previous_id: str) -> list[str]:
        """The named topics the previous entry never mentions, those inside a longer one counted once."""
        mentioned = self._mentioned_by(previous_id)
        new = [topic for topic in named if topic not in mentioned]
        return [topic for topic in new if not any(topic != other and topic in other for other in new)]

    def _mentioned_by(self, entry_id: str) -> str:
        """An entry's question, answer, category and keywords as prepared text (kept once computed)."""
        if entry_id not in self._mentioned:
            entry = self._by_id[entry_id]
            text = " ".join([entry.question, entry.answer, entry.category, *entry.keywords])
            self._mentioned[entry_id] = self.index.analyzer.prepare(text)
        return self._mentioned[entry_id]

    def _in_context(self, query: str, previous_id: str) -> Decision | None:
        """A short follow-up (「办一个要钱不」) read with the previous question: the answer that reading gives,
        if it is confident; `answer` prefers it to a less confident answer of the message alone."""
        contextual = f"{self._by_id[previous_id].question} {query}"
        hits, thresholds = self._rank(contextual)
        decision = self._decide(hits, contextual, thresholds)
        return decision if decision.firm else None
