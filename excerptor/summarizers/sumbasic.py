"""SumBasic: greedy picks by average word probability, squaring picked words' probabilities."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ._base import StopWords, Vectorized
from ._matrix import count_matrix, entries_of, first_best, normalized


class SumBasic(StopWords, Vectorized):
    """sumy's SumBasic; after each pick only the sentences sharing a picked word are updated."""

    sumy_base = ("sumy.summarizers.sum_basic", "SumBasicSummarizer")

    def ratings(
        self, words: Sequence[Sequence[str]], blocks: Sequence[int] | None = None
    ) -> np.ndarray:
        n = len(words)
        if n == 0:
            return np.zeros(0)
        counts, _ = count_matrix(normalized(words, self.stop_words))
        total = counts.sum()
        prob = np.asarray(counts.sum(axis=0)).ravel() / (total if total else 1.0)
        lengths = np.asarray(counts.sum(axis=1)).ravel()
        safe = np.where(lengths > 0, lengths, 1.0)
        by_term = counts.T.tocsr()
        score = (counts @ prob) / safe
        remaining = np.ones(n, dtype=bool)
        out = np.empty(n)
        for rank in range(n):
            # scores are kept up to date by deltas; the few within float drift of the best
            # are re-rated exactly before the (first-index) tie-break, as sumy rates them
            live = np.where(remaining, score, -np.inf)
            top = live.max()
            near = np.flatnonzero(live >= top - (1e-9 * abs(top) + 1e-13))
            if near.size > 1:
                at, owner = entries_of(counts.indptr, near)
                exact = np.bincount(
                    owner, weights=counts.data[at] * prob[counts.indices[at]], minlength=near.size
                )
                score[near] = exact / safe[near]
            best = first_best(score, remaining)
            remaining[best] = False
            out[best] = -rank
            row = slice(counts.indptr[best], counts.indptr[best + 1])
            terms, times = counts.indices[row], counts.data[row]
            # a word met k times in the picked sentence is squared k times: p ** (2 ** k)
            new = prob[terms] ** (2.0**times)
            change = new - prob[terms]
            prob[terms] = new
            at, owner = entries_of(by_term.indptr, terms)
            rows = by_term.indices[at]
            score += np.bincount(rows, by_term.data[at] * change[owner] / safe[rows], minlength=n)
        return out
