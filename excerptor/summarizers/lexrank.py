"""LexRank on a sparse TF-IDF cosine graph."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

from ._base import StopWords, Vectorized
from ._matrix import count_matrix, normalized, row_ids


class LexRank(StopWords, Vectorized):
    """sumy's LexRank with the n×n Python loops replaced by sparse matrix products."""

    sumy_base = ("sumy.summarizers.lex_rank", "LexRankSummarizer")
    threshold = 0.1
    epsilon = 0.1

    def ratings(
        self, words: Sequence[Sequence[str]], blocks: Sequence[int] | None = None
    ) -> np.ndarray:
        n = len(words)
        if n == 0:
            return np.zeros(0)
        counts, _ = count_matrix(normalized(words, self.stop_words))
        if counts.nnz == 0:
            return np.zeros(n)
        row_max = counts.max(axis=1).toarray().ravel()
        row_max[row_max == 0] = 1.0
        df = np.bincount(counts.indices, minlength=counts.shape[1])
        idf = np.log(n / (1.0 + df))
        # diag(1 / row_max) @ counts @ diag(idf), entry by entry (the same products, fewer
        # scipy calls).
        tfidf = counts.copy()
        tfidf.data = tfidf.data * (1.0 / row_max)[row_ids(counts)] * idf[counts.indices]
        tfidf.eliminate_zeros()  # terms in n-1 sentences have idf 0: no edge through them
        norms = np.sqrt(np.asarray(tfidf.multiply(tfidf).sum(axis=1)).ravel())
        inv = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
        unit = sp.diags(inv) @ tfidf
        cosine = (unit @ unit.T).tocsr()
        cosine.data = (cosine.data > self.threshold).astype(np.float64)
        cosine.eliminate_zeros()
        degrees = np.diff(cosine.indptr).astype(np.float64)
        degrees[degrees == 0] = 1.0
        markov = cosine.copy()
        markov.data = (1.0 / degrees)[row_ids(cosine)] * cosine.data
        return self.power_method(markov, self.epsilon)

    @staticmethod
    def power_method(matrix: sp.spmatrix, epsilon: float) -> np.ndarray:
        """sumy's power method, iteration for iteration, on a sparse matrix."""
        transposed = sp.csr_matrix(matrix.T)
        n = matrix.shape[0]
        p = np.full(n, 1.0 / n)
        lam = 1.0
        while lam > epsilon:
            nxt = transposed @ p
            norm = np.linalg.norm(nxt)
            if norm == 0:  # no sentence has a word: sumy would divide by zero
                return np.zeros(n)
            nxt /= norm
            lam = np.linalg.norm(nxt - p)
            p = nxt
        return p
