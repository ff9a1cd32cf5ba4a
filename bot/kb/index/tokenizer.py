"""Text preparation and word segmentation with a private jieba-rs tokenizer."""

from __future__ import annotations

import re
from collections.abc import Iterable

import rjieba

from bot.core.text import normalize
from bot.kb.index.analysis_memo import Analysis, configuration_key, memo_for
from bot.kb.index.synonyms import SynonymMapper

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
        self._content: dict[str, bool] = {}
        # jieba's dictionary and segmentation (HMM off) in Rust: ten times faster, and the domain
        # words added here stay private to this analyzer.
        self._jieba = rjieba.Jieba()
        self.terms = sorted({self.prepare(term) for term in terms} | self.synonyms.words)
        for term in self.terms:
            if len(term) > 1:
                self._jieba.add_word(term, _USER_WORD_FREQ, None)
        self._memo = memo_for(configuration_key(synonyms or {}, self.terms, stopwords))

    def prepare(self, text: str) -> str:
        """Normalized, lower-cased text with synonym variants replaced by canonical words."""
        return self.synonyms.apply(normalize(text).lower())

    def words(self, prepared: str) -> list[str]:
        """Content words of a prepared text, stopwords removed."""
        return [token for token in self._jieba.cut(prepared, False) if self._is_content(token)]

    def analyse(self, texts: list[str]) -> list[Analysis]:
        """Prepared text and words of each knowledge-base text, analysed once per configuration and process
        (see `bot.kb.index.analysis_memo`): a rebuild only analyses the texts that changed."""
        memo = self._memo
        for text in dict.fromkeys(texts):
            if text not in memo:
                prepared = self.prepare(text)
                memo[text] = (prepared, tuple(self.words(prepared)))
        return [memo[text] for text in texts]

    def _is_content(self, token: str) -> bool:
        """Whether a token carries content (memoised: the same tokens recur across questions)."""
        known = self._content.get(token)
        if known is None:
            known = self._content[token] = bool(_CONTENT.search(token)) and token not in self.stopwords
        return known

    @staticmethod
    def chars(prepared: str) -> str:
        """The prepared text reduced to letters, digits and Chinese characters."""
        return _NOT_CONTENT.sub("", prepared)
