"""Lead × centrality: LexRank weighted by a position prior and by likeness to the title.

A blog excerpt is mostly about what the post opens with and what its title announces, so
a sentence's rating is

    lexrank^centrality_power × (1 + position)^-position_power × (1 + title_weight × cosine(title))

with sentences of fewer than ``min_words`` content words (captions, "以下の通り:") damped.
The parameters were chosen by 2-fold cross-validation by blog on human-written summaries
(benchmarks/quality.py); both folds picked the same neighbourhood.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
from sumy.summarizers._summarizer import AbstractSummarizer

from ._base import Vectorized
from .lexrank import LexRank


def _cosine(a: Counter, b: Counter) -> float:
    if not a or not b:
        return 0.0
    dot = sum(count * b[word] for word, count in a.items() if word in b)
    return dot / float(np.sqrt(sum(v * v for v in a.values()) * sum(v * v for v in b.values())))


class LeadCentrality(Vectorized, AbstractSummarizer):
    """Position prior × LexRank centrality × title similarity (the title is optional)."""

    centrality_power = 0.25
    position_power = 0.5
    title_weight = 8.0
    min_words = 2
    short_penalty = 0.2

    def __init__(self, *args, title_words: Sequence[str] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.title_words: tuple[str, ...] = tuple(title_words)

    def ratings(
        self, words: Sequence[Sequence[str]], blocks: Sequence[int] | None = None
    ) -> np.ndarray:
        n = len(words)
        if n == 0:
            return np.zeros(0)
        centrality = np.clip(LexRank().ratings(words, blocks), 0.0, None)
        if centrality.max() > 0:
            centrality = centrality / centrality.max()
        position = np.arange(n, dtype=np.float64)
        score = centrality**self.centrality_power * (1.0 + position) ** -self.position_power
        title = Counter(w.lower() for w in self.title_words)
        if title:
            likeness = [_cosine(Counter(w.lower() for w in ws), title) for ws in words]
            score = score * (1.0 + self.title_weight * np.asarray(likeness))
        counts = np.fromiter((len(ws) for ws in words), dtype=np.float64, count=n)
        score = np.where(counts < self.min_words, score * self.short_penalty, score)
        # Earlier sentences win ties, and sentences without any rating keep document order.
        return score - 1e-9 * position
