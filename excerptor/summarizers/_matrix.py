"""Sparse term matrices shared by the vectorized summarizers (numpy/scipy only, no sumy)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import scipy.sparse as sp


def normalized(words: Sequence[Sequence[str]], stop_words: Iterable[str] = ()) -> list[list[str]]:
    """sumy's ``normalize_word`` (lower) on every token, stop words dropped."""
    stop = frozenset(stop_words)
    return [[w for w in map(str.lower, ws) if w not in stop] for ws in words]


def count_matrix(sentences: Sequence[Sequence[str]]) -> tuple[sp.csr_matrix, dict[str, int]]:
    """Sentence × term occurrence counts (CSR, sorted indices) and the term → column map."""
    vocab: dict[str, int] = {}
    indptr = [0]
    indices: list[int] = []
    for ws in sentences:
        for w in ws:
            indices.append(vocab.setdefault(w, len(vocab)))
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.float64)
    matrix = sp.csr_matrix(
        (data, np.asarray(indices, dtype=np.int64), np.asarray(indptr, dtype=np.int64)),
        shape=(len(sentences), len(vocab)),
    )
    matrix.sum_duplicates()  # also sorts the indices
    return matrix, vocab


def row_ids(matrix: sp.csr_matrix) -> np.ndarray:
    """The row of every stored entry of a CSR matrix."""
    return np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))


def first_best(values: np.ndarray, mask: np.ndarray | None = None, *, lowest: bool = False) -> int:
    """Index of the first best value (sumy's ``list.index(min(...))`` / strict ``>`` scan),
    treating values within float noise of the best as tied."""
    v = -values if lowest else values
    if mask is not None:
        v = np.where(mask, v, -np.inf)
    best = v.max()
    tol = 1e-12 * abs(best)
    return int(np.flatnonzero(v >= best - tol)[0])


def entries_of(indptr: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions of the stored entries of ``rows`` in a CSR/CSC matrix, and the index (into
    ``rows``) of the row each belongs to; no scipy indexing overhead."""
    starts, stops = indptr[rows], indptr[rows + 1]
    lengths = stops - starts
    owner = np.repeat(np.arange(len(rows)), lengths)
    offsets = np.cumsum(lengths) - lengths
    return np.arange(lengths.sum()) - np.repeat(offsets, lengths) + np.repeat(
        starts, lengths
    ), owner
