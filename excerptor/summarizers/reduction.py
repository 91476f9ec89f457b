"""Reduction: each sentence rated by its summed word-overlap with every other sentence."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ._base import StopWords, Vectorized
from ._matrix import normalized
from .textrank import overlap_weights


class Reduction(StopWords, Vectorized):
    """sumy's Reduction with the pairwise loop as one sparse product."""

    sumy_base = ("sumy.summarizers.reduction", "ReductionSummarizer")

    def ratings(
        self, words: Sequence[Sequence[str]], blocks: Sequence[int] | None = None
    ) -> np.ndarray:
        if not words:
            return np.zeros(0)
        weights = overlap_weights(normalized(words, self.stop_words), pairs_only=True)
        return np.asarray(weights.sum(axis=1)).ravel()
