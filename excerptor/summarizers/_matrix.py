"""Term matrices shared by the vectorized summarizers (numpy/scipy only, no sumy).

scipy.sparse is imported only where a matrix is built: importing it costs about 0.3 s, more
than ranking a whole blog post takes, so the default pipeline ranks posts of up to
:data:`DENSE_MAX` sentences with dense numpy matrices and never imports it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import scipy.sparse as sp

# Sentences up to which a dense sentence × sentence matrix is used: at 256 sentences it is
# 0.5 MB and numpy's dense products beat scipy.sparse; above, the sparse path keeps the time
# linear in the number of sentences.
DENSE_MAX = 256


def normalized(words: Sequence[Sequence[str]], stop_words: Iterable[str] = ()) -> list[list[str]]:
    """sumy's ``normalize_word`` (lower) on every token, stop words dropped."""
    stop = frozenset(stop_words)
    return [[w for w in map(str.lower, ws) if w not in stop] for ws in words]


def count_matrix(sentences: Sequence[Sequence[str]]) -> tuple[sp.csr_matrix, dict[str, int]]:
    """Sentence × term occurrence counts (CSR, sorted indices) and the term → column map."""
    import scipy.sparse as sp

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


def dense_counts(sentences: Sequence[Sequence[str]]) -> tuple[np.ndarray, dict[str, int]]:
    """:func:`count_matrix` as a dense array."""
    vocab: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    for i, ws in enumerate(sentences):
        for w in ws:
            rows.append(i)
            cols.append(vocab.setdefault(w, len(vocab)))
    matrix = np.zeros((len(sentences), len(vocab)))
    np.add.at(matrix, (np.asarray(rows, dtype=np.intp), np.asarray(cols, dtype=np.intp)), 1.0)
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
