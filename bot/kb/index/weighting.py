"""Term counting and weighting shared by the question-level and entry-level indexes."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp


def count_matrix(rows: np.ndarray, columns: np.ndarray, shape: tuple[int, int]) -> sp.csr_matrix:
    """How often each (row, column) pair occurs, as float32 counts in canonical CSR form (duplicates summed
    row by row: no sort of all the pairs)."""
    ones = np.ones(len(rows), dtype=np.float32)
    matrix = sp.csr_matrix((ones, (np.asarray(rows, dtype=np.int64), np.asarray(columns, dtype=np.int64))), shape=shape)
    matrix.sum_duplicates()
    return matrix


def bm25_idf(df: np.ndarray, n_docs: int) -> np.ndarray:
    """Non-negative BM25 IDF for document frequencies."""
    return np.log1p((n_docs - df + 0.5) / (df + 0.5)).astype(np.float32)


def bm25_weights(tf: sp.csr_matrix, idf: np.ndarray, k1: float, b: float) -> sp.csr_matrix:
    """Documents × terms BM25 weights from raw term counts."""
    lengths = np.asarray(tf.sum(axis=1)).ravel().astype(np.float32)
    average = float(lengths.mean()) if len(lengths) and lengths.mean() > 0 else 1.0
    norm = k1 * (1 - b + b * lengths / average)
    coo = tf.tocoo()
    data = coo.data * (k1 + 1) / (coo.data + norm[coo.row]) * idf[coo.col]
    return sp.csr_matrix((data.astype(np.float32), (coo.row, coo.col)), shape=tf.shape)


def smooth_idf(df: np.ndarray, n_docs: int) -> np.ndarray:
    """scikit-learn's smoothed IDF."""
    return (np.log((1.0 + n_docs) / (1.0 + df)) + 1.0).astype(np.float32)


def sublinear_tfidf(counts: sp.csr_matrix, idf: np.ndarray) -> sp.csr_matrix:
    """Rows of (1 + log tf) × idf, L2-normalised; zero weights are dropped."""
    weighted = sp.csr_matrix(counts, dtype=np.float32, copy=True)
    weighted.data = (1.0 + np.log(np.maximum(weighted.data, 1e-12))) * idf[weighted.indices]
    rows = np.repeat(np.arange(weighted.shape[0]), np.diff(weighted.indptr))
    norms = np.sqrt(np.bincount(rows, weights=weighted.data**2, minlength=weighted.shape[0]))
    norms[norms == 0] = 1.0
    weighted.data = (weighted.data / norms[rows]).astype(np.float32)
    weighted.eliminate_zeros()
    return weighted


def document_frequency(counts: sp.csr_matrix) -> np.ndarray:
    """Number of rows in which each column is non-zero."""
    return np.bincount(counts.indices, minlength=counts.shape[1])
