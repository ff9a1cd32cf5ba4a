"""Vectorised character 1- and 2-gram counting (what CountVectorizer(analyzer="char") does, in numpy)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp

from bot.kb.index.weighting import count_matrix

_BITS = 21  # every Unicode code point fits in 21 bits
_BIGRAM = np.uint64(1 << (2 * _BITS))  # marks bigram keys apart from unigram keys


def _gram_keys(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """One integer key per character unigram and bigram of every text, and the text each belongs to."""
    lengths = np.fromiter((len(text) for text in texts), dtype=np.int64, count=len(texts))
    codes = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    owners = np.repeat(np.arange(len(texts)), lengths)
    follows = owners[1:] == owners[:-1]
    bigrams = _BIGRAM | (codes[:-1][follows] << np.uint64(_BITS)) | codes[1:][follows]
    return np.r_[codes, bigrams], np.r_[owners, owners[:-1][follows]]


def _decode(keys: np.ndarray) -> list[str]:
    """The unigram or bigram of each key (two UTF-32 code units, the second zero for a unigram)."""
    mask = np.uint64((1 << _BITS) - 1)
    bigram = keys >= _BIGRAM
    units = np.zeros((len(keys), 2), dtype="<u4")
    units[:, 0] = np.where(bigram, (keys >> np.uint64(_BITS)) & mask, keys)
    units[:, 1] = np.where(bigram, keys & mask, 0)
    return np.frombuffer(units.tobytes(), dtype="<U2").tolist()


class CharNgrams:
    """Counts of character unigrams and bigrams over the vocabulary of the fitted texts."""

    def __init__(self) -> None:
        self._keys = np.zeros(0, dtype=np.uint64)
        self.grams: list[str] = []

    def fit_transform(self, texts: list[str]) -> sp.csr_matrix:
        """Learn the vocabulary of `texts` and count it (texts × grams, float32)."""
        keys, owners = _gram_keys(texts)
        # Hashing the keys, then sorting the distinct ones only, is several times faster than np.unique.
        codes, distinct = pd.factorize(keys)
        order = np.argsort(distinct)
        rank = np.empty(len(order), dtype=np.int64)
        rank[order] = np.arange(len(order))
        self._keys = np.asarray(distinct[order], dtype=np.uint64)
        self.grams = _decode(self._keys)
        return self._matrix(owners, rank[codes], len(texts))

    def transform(self, texts: list[str]) -> sp.csr_matrix:
        """Counts of the known grams of `texts`; unknown grams are ignored."""
        keys, owners = _gram_keys(texts)
        columns = np.minimum(np.searchsorted(self._keys, keys), max(len(self._keys) - 1, 0))
        known = self._keys[columns] == keys if len(self._keys) else np.zeros(len(keys), dtype=bool)
        return self._matrix(owners[known], columns[known], len(texts))

    def _matrix(self, rows: np.ndarray, columns: np.ndarray, n_rows: int) -> sp.csr_matrix:
        return count_matrix(rows, columns, (n_rows, len(self._keys)))
