"""Analysed knowledge-base texts remembered across index builds in one process.

Re-indexing after a published change analyses every question again, although almost all of them are
unchanged: at 10,000 entries that is 160,000 normalisations and segmentations, most of a rebuild. An
analysis depends only on the text and on the analyzer's configuration (synonyms, domain terms,
stopwords), so each configuration keeps one memo; a build with the same configuration only analyses the
texts it has not seen. Customer messages are never memoised (they are analysed once and forgotten).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Iterable

Analysis = tuple[str, tuple[str, ...]]

# The configurations kept: the served one and the one being built when a change of synonyms or terms
# is published.
_KEPT = 2
_memos: OrderedDict[bytes, dict[str, Analysis]] = OrderedDict()
_lock = threading.Lock()


def configuration_key(synonyms: dict[str, str], terms: Iterable[str], stopwords: Iterable[str]) -> bytes:
    """A digest of everything an analysis depends on besides the text."""
    digest = hashlib.blake2b(digest_size=16)
    for part in (sorted(synonyms.items()), sorted(terms), sorted(stopwords)):
        digest.update(repr(part).encode())
        digest.update(b"\0")
    return digest.digest()


def memo_for(key: bytes) -> dict[str, Analysis]:
    """The memo of one configuration (text → prepared text and words), the most recent ones kept."""
    with _lock:
        memo = _memos.pop(key, None)
        _memos[key] = memo if memo is not None else {}
        while len(_memos) > _KEPT:
            _memos.popitem(last=False)
        return _memos[key]


def forget() -> None:
    """Drop every memo (e.g. to measure a first build)."""
    with _lock:
        _memos.clear()
