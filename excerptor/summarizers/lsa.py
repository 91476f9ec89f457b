"""LSA (Steinberger & Ježek) with a closed form for sumy's default of keeping every dimension."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from ._base import StopWords, Vectorized
from ._matrix import count_matrix, normalized, row_ids


class Lsa(StopWords, Vectorized):
    """sumy's LSA. With every singular value kept (sumy's REDUCTION_RATIO = 1), the rating
    sqrt(Σ σ_k² v_kj²) is the norm of sentence j's column of the term matrix, so the
    SVD of the dense |terms|×|sentences| matrix is skipped; a smaller ratio still uses it."""

    sumy_base = ("sumy.summarizers.lsa", "LsaSummarizer")
    MIN_DIMENSIONS = 3
    REDUCTION_RATIO = 1 / 1

    def ratings(
        self, words: Sequence[Sequence[str]], blocks: Sequence[int] | None = None
    ) -> np.ndarray:
        n = len(words)
        counts, vocab = count_matrix(normalized(words, self.stop_words))
        n_terms = len(vocab)
        if n == 0 or n_terms == 0:
            return np.zeros(n)
        k = min(n_terms, n)
        dimensions = max(self.MIN_DIMENSIONS, int(k * self.REDUCTION_RATIO))
        smooth = 0.4
        if dimensions < k:
            return self._svd_ratings(counts.toarray().T, dimensions, smooth)
        row_max = counts.max(axis=1).toarray().ravel()
        present = np.diff(counts.indptr)
        safe_max = np.where(row_max > 0, row_max, 1.0)
        # every term of a non-empty sentence gets smooth + (1 - smooth) * tf / max_tf
        values = smooth + (1.0 - smooth) * counts.data / safe_max[row_ids(counts)]
        squares = np.bincount(row_ids(counts), weights=values**2, minlength=n)
        squares += (n_terms - present) * smooth**2
        squares[row_max == 0] = 0.0
        return np.sqrt(squares)

    def _svd_ratings(self, matrix: np.ndarray, dimensions: int, smooth: float) -> np.ndarray:
        col_max = matrix.max(axis=0)
        filled = col_max > 0
        matrix[:, filled] = smooth + (1.0 - smooth) * matrix[:, filled] / col_max[filled]
        _u, sigma, v = np.linalg.svd(matrix, full_matrices=False)
        powered = np.where(np.arange(len(sigma)) < dimensions, sigma**2, 0.0)
        return np.array([math.sqrt(r) for r in (powered[:, None] * v**2).sum(axis=0)])
