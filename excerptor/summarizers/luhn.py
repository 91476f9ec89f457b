"""Luhn: clusters of significant (repeated) words."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np

from ._base import StopWords, Vectorized
from ._matrix import normalized


class Luhn(StopWords, Vectorized):
    """sumy's Luhn, linear: significant words in a set (sumy scans a tuple per word)."""

    sumy_base = ("sumy.summarizers.luhn", "LuhnSummarizer")
    max_gap_size = 4
    significant_percentage = 1

    def ratings(
        self, words: Sequence[Sequence[str]], blocks: Sequence[int] | None = None
    ) -> np.ndarray:
        everything = [w for ws in normalized(words, self.stop_words) for w in ws]
        limit = int(len(everything) * self.significant_percentage)
        terms = sorted(Counter(everything).items(), key=lambda i: -i[1])
        if limit:  # sumy: 0 means every term
            terms = terms[:limit]
        significant = frozenset(t for t, c in terms if c > 1)
        return np.array(
            [self._rate(list(map(str.lower, ws)), significant) for ws in words], dtype=np.float64
        )

    def _rate(self, stems: list[str], significant: frozenset[str]) -> float:
        gap = self.max_gap_size
        best = 0.0
        chunk: list[int] = []
        in_chunk = False
        zeros = 0  # trailing non-significant words of the open chunk
        for stem in stems:
            hit = stem in significant
            if hit and not in_chunk:
                best = max(best, self._score(chunk))
                in_chunk, chunk, zeros = True, [1], 0
            elif in_chunk:
                chunk.append(int(hit))
                zeros = 0 if hit else zeros + 1
            if in_chunk and zeros >= gap:
                in_chunk = False
        return max(best, self._score(chunk))

    @staticmethod
    def _score(chunk: list[int]) -> float:
        significant = sum(chunk)
        if significant <= 1:
            return 0.0
        while chunk and chunk[-1] == 0:
            chunk = chunk[:-1]
        return significant**2 / len(chunk)
