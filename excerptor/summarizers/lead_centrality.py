"""Lead × centrality: LexRank weighted by a position prior, likeness to the title and fit.

A blog excerpt is mostly about what the post opens with and what its title announces, so
a sentence's rating is

    lexrank^centrality_power × (1 + position)^-position_power
        × (1 + title_weight × cosine(title)) × (1 + purpose_weight × announces)
        × fit(length, max_chars)

with sentences of fewer than ``min_words`` content words (captions, "以下の通り:") damped.
``announces`` is 1 for a sentence that states what the post does (…を紹介します,
この記事では…), the sentence authors' own summaries most often restate.

``fit`` (only when the caller gives sentence lengths and the budget) is what an excerpt of
``max_chars`` characters loses with this sentence first: a sentence longer than the budget
is cut, and loses its end, ``(max_chars / length)^cut_power``; a shorter one leaves room
that, when not even a median sentence of the post fits in it, stays empty,
``(length / max_chars)^short_power``.

The parameters were chosen by 2-fold cross-validation by blog on human-written summaries
(``python benchmarks/quality.py --tune``): the values are the middle of the plateau both folds
share, not either fold's optimum.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

import numpy as np

from ._base import Vectorized
from .lexrank import LexRank


def _cosine(a: Counter, b: Counter) -> float:
    if not a or not b:
        return 0.0
    dot = sum(count * b[word] for word, count in a.items() if word in b)
    return dot / float(np.sqrt(sum(v * v for v in a.values()) * sum(v * v for v in b.values())))


def _centrality(words: Sequence[Sequence[str]]) -> np.ndarray:
    """LexRank scaled to a maximum of 1."""
    centrality = np.clip(LexRank().ratings(words), 0.0, None)
    if centrality.max() > 0:
        centrality = centrality / centrality.max()
    return centrality


def budget_fit(
    lengths: Sequence[int], max_chars: int, short_power: float, cut_power: float
) -> np.ndarray:
    """How well each sentence suits being an excerpt's first sentence, in (0, 1]."""
    length = np.maximum(np.asarray(lengths, dtype=np.float64), 1.0)
    budget = float(max(max_chars, 1))
    cut = np.minimum(budget / length, 1.0) ** cut_power
    # Room after a short sentence is filled by the next ones only if a typical one fits.
    unfilled = budget - length < float(np.median(length))
    short = np.where(unfilled, np.minimum(length / budget, 1.0), 1.0) ** short_power
    return cut * short


# A sentence that announces the post's purpose: a meta verb of the writer (紹介/解説/共有/
# まとめ…) or an opener that frames the post (この記事では).
_ANNOUNCES = re.compile(
    r"(?:紹介|解説|共有|まとめ|整理|記録|メモ|考察)"
    r"(?:し|する|します|しました|したい|しておき|しています|していきます|してみ)"
    r"|まとめ(?:ます|ました|る|た|てみ|ておき)"
    r"|^(?:この記事では|本記事では|このエントリでは|本エントリでは|本稿では)"
)


# …that a linked post did (以前に以下の記事で整理しました)
_ELSEWHERE = re.compile(r"(?:以下|下記|こちら|別)の(?:記事|エントリ|ページ)")


def announces(text: str) -> bool:
    """Whether ``text`` states what the post does (…を紹介します, この記事では…), not
    what a linked post did."""
    return _ANNOUNCES.search(text) is not None and _ELSEWHERE.search(text) is None


class LeadCentrality(Vectorized):
    """Position prior × LexRank centrality × title similarity × fit to the budget (the
    title and the budget are optional)."""

    contextual = True  # rank() passes title_words
    centrality_power = 0.25
    position_power = 0.5
    title_weight = 8.0
    purpose_weight = 1.0
    min_words = 2
    short_penalty = 0.2
    short_power = 0.5
    cut_power = 0.25

    def ratings(
        self,
        words: Sequence[Sequence[str]],
        blocks: Sequence[int] | None = None,
        *,
        title_words: Sequence[str] = (),
        lengths: Sequence[int] | None = None,
        max_chars: int | None = None,
        texts: Sequence[str] | None = None,
    ) -> np.ndarray:
        """Ratings of ``words`` (one list per sentence); ``title_words`` are the title's
        content words, ``texts`` the sentences (for :func:`announces`); with ``lengths``
        (of the sentences, in characters) and ``max_chars``, times :meth:`budget`."""
        n = len(words)
        if n == 0:
            return np.zeros(0)
        centrality = _centrality(words)
        position = np.arange(n, dtype=np.float64)
        score = centrality**self.centrality_power * (1.0 + position) ** -self.position_power
        title = Counter(w.lower() for w in title_words)
        if title:
            likeness = [_cosine(Counter(w.lower() for w in ws), title) for ws in words]
            score = score * (1.0 + self.title_weight * np.asarray(likeness))
        if texts is not None and len(texts) == n and self.purpose_weight:
            purpose = np.fromiter((announces(t) for t in texts), dtype=np.float64, count=n)
            score = score * (1.0 + self.purpose_weight * purpose)
        counts = np.fromiter((len(ws) for ws in words), dtype=np.float64, count=n)
        score = np.where(counts < self.min_words, score * self.short_penalty, score)
        if lengths is not None and max_chars is not None and len(lengths) == n:
            score = score * self.budget(lengths, max_chars)
        # Earlier sentences win ties, and sentences without any rating keep document order.
        return score - 1e-9 * position

    def budget(self, lengths: Sequence[int], max_chars: int) -> np.ndarray:
        """The factor for an excerpt of ``max_chars``: :func:`budget_fit`."""
        return budget_fit(lengths, max_chars, self.short_power, self.cut_power)
