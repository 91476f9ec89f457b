"""KL-Sum: greedy picks that keep the summary's word distribution closest to the document's."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ._base import Vectorized
from ._matrix import count_matrix, first_best, normalized, row_ids


class KL(Vectorized):
    """sumy's KL-Sum, each greedy step one pass over the sparse term matrix.

    sumy rates every sentence by the step it was picked at, n steps of O(n) each. The first
    ``exact_picks`` steps are run exactly; the sentences left are then ordered by their
    divergence at the last step (a summary or excerpt never needs that many sentences).
    ``exact_picks = None`` runs every step, as sumy does. Tokens are taken as normalized
    (lowercase), which sumy assumes for the words already in the summary.
    """

    sumy_base = ("sumy.summarizers.kl", "KLSummarizer")
    stop_words: frozenset[str] = frozenset()  # a plain attribute in sumy's KL, not normalized
    exact_picks: int | None = 100

    def ratings(
        self, words: Sequence[Sequence[str]], blocks: Sequence[int] | None = None
    ) -> np.ndarray:
        n = len(words)
        if n == 0:
            return np.zeros(0)
        counts, _ = count_matrix(normalized(words, self.stop_words))
        term_total = np.asarray(counts.sum(axis=0)).ravel()
        doc = term_total / max(term_total.sum(), 1.0)
        rows, cols, c = row_ids(counts), counts.indices, counts.data
        d = doc[cols]
        d_log_d_over_c = d * (np.log(np.where(d > 0, d, 1.0)) - np.log(c))
        lengths = np.asarray(counts.sum(axis=1)).ravel()
        summary = np.zeros(counts.shape[1])
        summary_len = 0.0
        base_a = base_d = 0.0
        remaining = np.ones(n, dtype=bool)
        out = np.empty(n)
        steps = n if self.exact_picks is None else min(n, self.exact_picks)
        kl = np.zeros(n)
        for step in range(steps):
            s = summary[cols]
            in_summary = s > 0
            safe_s = np.where(in_summary, s, 1.0)
            delta = np.where(in_summary, d * (np.log(safe_s) - np.log(c + s)), d_log_d_over_c)
            new_mass = np.where(in_summary, 0.0, d)
            total = lengths + summary_len
            kl = base_a + np.bincount(rows, weights=delta, minlength=n)
            mass = base_d + np.bincount(rows, weights=new_mass, minlength=n)
            kl += np.log(np.where(total > 0, total, 1.0)) * mass
            kl[total == 0] = 0.0  # sumy: nothing to divide, an empty sum
            best = first_best(kl, remaining, lowest=True)
            remaining[best] = False
            out[best] = -step
            row = slice(counts.indptr[best], counts.indptr[best + 1])
            summary[counts.indices[row]] += counts.data[row]
            summary_len += lengths[best]
            held = summary > 0
            base_a = float(np.sum(doc[held] * (np.log(doc[held]) - np.log(summary[held]))))
            base_d = float(doc[held].sum())
        if steps < n:
            rest = np.flatnonzero(remaining)
            rest = rest[np.argsort(kl[rest], kind="stable")]
            out[rest] = -np.arange(steps, n)
        return out
