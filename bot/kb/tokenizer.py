"""Text preparation and word segmentation with a private jieba tokenizer."""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable

import jieba

from bot.kb.synonyms import SynonymMapper
from bot.normalize import normalize

# Particles and filler words that carry no topic. Question words such as 怎么 or 多少 are kept on
# purpose: they separate e.g. "how to repay" from "what is repayment".
STOPWORDS = frozenset(
    {
        *("的", "了", "吗", "呢", "啊", "吧", "呀", "嘛", "哦", "哈", "啦", "么", "呐", "哇", "噢", "嗯"),
        *("请问", "请", "你好", "您好", "一下", "麻烦", "想", "想要", "就", "还", "都", "也", "是", "有"),
        *("我", "我的", "你", "您", "你们"),
    }
)

_CONTENT = re.compile(r"[0-9a-z\u3400-\u9fff]")
_NOT_CONTENT = re.compile(r"[^0-9a-z\u3400-\u9fff]+")
_USER_WORD_FREQ = 20000


@functools.lru_cache(maxsize=1)
def _base_dictionary() -> tuple[dict[str, int], int]:
    """jieba's default dictionary, loaded once per process by a private tokenizer."""
    base = jieba.Tokenizer()
    base.initialize()
    return base.FREQ, base.total


class _CachedTokenizer(jieba.Tokenizer):
    """jieba with a leaner word graph and cached per-word log probabilities (same segmentation).

    Only used initialised (see _private_tokenizer), so the graph skips jieba's initialisation check.
    """

    def __init__(self) -> None:
        super().__init__()
        self._log_probs: dict[str, float] = {}

    def add_word(self, word: str, freq: int | None = None, tag: str | None = None) -> None:
        """Add a dictionary word (invalidates the cached probabilities, as the total changes)."""
        super().add_word(word, freq, tag)
        self._log_probs.clear()

    def _log_prob(self, word: str) -> float:
        value = self._log_probs.get(word)
        if value is None:
            value = self._log_probs[word] = math.log(self.FREQ.get(word) or 1) - math.log(self.total)
        return value

    def get_DAG(self, sentence: str) -> dict[int, list[int]]:  # noqa: N802
        """jieba's word graph (end positions of the dictionary words starting at each position)."""
        freq, length, graph = self.FREQ, len(sentence), {}
        for start in range(length):
            ends, stop, fragment = [], start, sentence[start]
            while stop < length and fragment in freq:
                if freq[fragment]:
                    ends.append(stop)
                stop += 1
                fragment = sentence[start : stop + 1]
            graph[start] = ends or [start]
        return graph

    def calc(self, sentence: str, DAG: dict[int, list[int]], route: dict[int, tuple[float, int]]) -> None:  # noqa: N803
        """jieba's best-route dynamic programme, with the arithmetic unchanged."""
        route[len(sentence)] = (0, 0)
        log_prob = self._log_prob
        for start in range(len(sentence) - 1, -1, -1):
            ends = DAG[start]
            if len(ends) == 1:
                end = ends[0]
                route[start] = (log_prob(sentence[start : end + 1]) + route[end + 1][0], end)
            else:
                route[start] = max((log_prob(sentence[start : end + 1]) + route[end + 1][0], end) for end in ends)


def _private_tokenizer() -> jieba.Tokenizer:
    """A fresh jieba tokenizer with its own copy of the default dictionary (global jieba untouched)."""
    freq, total = _base_dictionary()
    tokenizer = _CachedTokenizer()
    tokenizer.FREQ, tokenizer.total, tokenizer.initialized = dict(freq), total, True
    return tokenizer


class TextAnalyzer:
    """Normalizes, canonicalizes synonyms and segments text the same way for index and query."""

    def __init__(
        self,
        synonyms: dict[str, str] | None = None,
        terms: Iterable[str] = (),
        stopwords: frozenset[str] = STOPWORDS,
    ) -> None:
        self.synonyms = SynonymMapper(synonyms)
        self.stopwords = stopwords
        self._jieba = _private_tokenizer()
        self.terms = sorted({self.prepare(term) for term in terms} | self.synonyms.words)
        for term in self.terms:
            if len(term) > 1:
                self._jieba.add_word(term, freq=_USER_WORD_FREQ)

    def prepare(self, text: str) -> str:
        """Normalized, lower-cased text with synonym variants replaced by canonical words."""
        return self.synonyms.apply(normalize(text).lower())

    def words(self, prepared: str) -> list[str]:
        """Content words of a prepared text, stopwords removed."""
        return [
            token
            for token in self._jieba.lcut(prepared, HMM=False)
            if _CONTENT.search(token) and token not in self.stopwords
        ]

    def words_of_many(self, prepared: list[str]) -> list[list[str]]:
        """`words` of many prepared texts, segmented in one jieba pass (same result, less overhead)."""
        if any("\n" in text for text in prepared):
            return [self.words(text) for text in prepared]
        result: list[list[str]] = [[]]
        for token in self._jieba.lcut("\n".join(prepared), HMM=False):
            if token == "\n":
                result.append([])
            elif _CONTENT.search(token) and token not in self.stopwords:
                result[-1].append(token)
        return result if prepared else []

    @staticmethod
    def chars(prepared: str) -> str:
        """The prepared text reduced to letters, digits and Chinese characters."""
        return _NOT_CONTENT.sub("", prepared)
