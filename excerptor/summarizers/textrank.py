"""TextRank on a sparse word-overlap graph."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

from ._base import StopWords, Vectorized
from ._matrix import count_matrix, normalized, row_ids


def overlap_weights(words: list[list[str]], *, pairs_only: bool) -> sp.csr_matrix:
    """Edge weights common-words / (log|s1| + log|s2|) of TextRank (``pairs_only=False``:
    diagonal kept, weight = overlap where the norm is 0) and Reduction (``pairs_only=True``:
    no diagonal, weight 0 where the norm is 0, i.e. between two one-word sentences)."""
    counts, _ = count_matrix(words)
    overlap = (counts @ counts.T).tocsr()
    if pairs_only:
        overlap.setdiag(0)
        overlap.eliminate_zeros()
    logs = np.log(np.maximum([len(w) for w in words], 1)).astype(np.float64)
    norm = logs[row_ids(overlap)] + logs[overlap.indices]
    zero = norm == 0.0 if pairs_only else np.isclose(norm, 0.0)
    overlap.data = np.where(
        zero, 0.0 if pairs_only else overlap.data, overlap.data / np.where(zero, 1.0, norm)
    )
    overlap.eliminate_zeros()
    return overlap


class TextRank(StopWords, Vectorized):
    """sumy's TextRank; the dense damping matrix is applied as a rank-one term."""

    sumy_base = ("sumy.summarizers.text_rank", "TextRankSummarizer")
    epsilon = 1e-4
    damping = 0.85
    _ZERO_DIVISION_PREVENTION = 1e-7

    def ratings(
        self, words: Sequence[Sequence[str]], blocks: Sequence[int] | None = None
    ) -> np.ndarray:
        n = len(words)
        if n == 0:
            return np.zeros(0)
        weights = overlap_weights(normalized(words, self.stop_words), pairs_only=False)
        sums = np.asarray(weights.sum(axis=1)).ravel() + self._ZERO_DIVISION_PREVENTION
        weights = (sp.diags(1.0 / sums) @ weights).T.tocsr()
        teleport = (1.0 - self.damping) / n
        p = np.full(n, 1.0 / n)
        lam = 1.0
        while lam > self.epsilon:
            # M.T @ p with M = teleport + damping * W, never materialising M
            nxt = teleport * p.sum() + self.damping * (weights @ p)
            lam = np.linalg.norm(nxt - p)
            p = nxt
        return p
