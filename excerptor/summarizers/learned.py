"""Learned: a linear scorer over a dozen sentence features, its weights package data.

A sentence's rating is ``features · weights``. The features are what a site owner looks at
when choosing an excerpt: where the sentence stands (position in the post, first of its
paragraph), how central it is (LexRank), what it shares with the title, how specific it is
(figures, Latin terms, katakana words), how it opens (a connective or pointer back) and ends,
and how well it fits the budget.

The weights (``data/scorer.json``, a few hundred bytes) were fitted by
``python benchmarks/train_scorer.py`` on the authors' own summaries of 29 blogs in
``../shared/eval`` (a softmax over each post's sentences, aimed at the sentences with the
highest ROUGE-2 against the author's summary), around :data:`PRIOR`, lead_centrality's own
rating, with the penalty that did best leave-one-blog-out (``python benchmarks/quality.py
--lobo``). Leave-one-blog-out the fit does not beat its prior by more than noise, so the
weights stay close to it and ``lead_centrality`` remains the default; nothing is downloaded
at run time.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from functools import cache
from importlib import resources

import numpy as np

from .. import defects
from ._base import Vectorized
from .lead_centrality import _centrality, _cosine, budget_fit

# lead_centrality's rating as a log-linear model of these features: the prior the weights
# are fitted around (a penalty on the distance to it), so that little data moves it little.
PRIOR = {
    "log_position": -0.5,
    "log_centrality": 0.25,
    "log_title": 1.0,
    "few_words": float(np.log(0.2)),
    "log_fit": 1.0,
}

FEATURES = (
    "log_position",  # log(1 + index among candidates)
    "first",  # the post's first candidate
    "block_first",  # first sentence of its paragraph
    "log_block",  # log(1 + rank of its paragraph)
    "centrality",  # LexRank, scaled to a maximum of 1
    "log_centrality",  # its log (floor 1e-3)
    "title_cosine",  # cosine of content words with the title's
    "log_title",  # log(1 + 8 × title_cosine)
    "title_share",  # share of the title's content words it holds
    "figures",  # holds a figure (2025年, 3倍, v1.2)
    "latin",  # holds a Latin-script term of two letters or more
    "katakana",  # share of its characters in katakana words of three or more
    "dangling",  # opens with a connective or a pointer back (また、この…)
    "question",  # ends with a question mark
    "unfinished",  # ends without 。！？ or a closing bracket
    "few_words",  # fewer than two content words
    "log_fit",  # log of budget_fit (0 without a budget)
    "log_words",  # log(1 + content words)
)

_FIGURE = re.compile(r"[0-9０-９]")
_LATIN = re.compile(r"[A-Za-zＡ-Ｚａ-ｚ]{2,}")
_KATAKANA = re.compile(r"[\u30a1-\u30fa\u30fc]{3,}")
_QUESTION = re.compile(r"[?？][」』）)]*$")
_FINISHED = re.compile(r"[。．！!？?」』）)…]$")


@cache
def _weights() -> np.ndarray:
    data = json.loads(
        resources.files("excerptor").joinpath("data", "scorer.json").read_text("utf-8")
    )
    by_name = dict(zip(data["features"], data["weights"], strict=True))
    return np.array([by_name.get(name, 0.0) for name in FEATURES], dtype=np.float64)


def features(
    words: Sequence[Sequence[str]],
    blocks: Sequence[int] | None = None,
    *,
    title_words: Sequence[str] = (),
    lengths: Sequence[int] | None = None,
    max_chars: int | None = None,
    texts: Sequence[str] | None = None,
) -> np.ndarray:
    """The feature matrix (one row per sentence, columns as :data:`FEATURES`)."""
    n = len(words)
    x = np.zeros((n, len(FEATURES)))
    if n == 0:
        return x
    col = {name: i for i, name in enumerate(FEATURES)}
    position = np.arange(n, dtype=np.float64)
    x[:, col["log_position"]] = np.log1p(position)
    x[0, col["first"]] = 1.0
    if blocks is not None and len(blocks) == n:
        b = np.asarray(blocks)
        starts = np.r_[True, b[1:] != b[:-1]]
        x[:, col["block_first"]] = starts
        x[:, col["log_block"]] = np.log1p(np.cumsum(starts) - 1)
    centrality = _centrality(tuple(map(tuple, words)))
    x[:, col["centrality"]] = centrality
    x[:, col["log_centrality"]] = np.log(np.maximum(centrality, 1e-3))
    counts = np.fromiter((len(ws) for ws in words), dtype=np.float64, count=n)
    x[:, col["few_words"]] = counts < 2
    x[:, col["log_words"]] = np.log1p(counts)
    if title_words:
        from collections import Counter

        title = Counter(w.lower() for w in title_words)
        for i, ws in enumerate(words):
            mine = Counter(w.lower() for w in ws)
            x[i, col["title_cosine"]] = _cosine(mine, title)
            x[i, col["title_share"]] = sum(1 for w in title if w in mine) / len(title)
        x[:, col["log_title"]] = np.log1p(8.0 * x[:, col["title_cosine"]])
    if texts is not None and len(texts) == n:
        for i, text in enumerate(texts):
            x[i, col["figures"]] = bool(_FIGURE.search(text))
            x[i, col["latin"]] = bool(_LATIN.search(text))
            kata = sum(len(m) for m in _KATAKANA.findall(text))
            x[i, col["katakana"]] = kata / max(len(text), 1)
            x[i, col["dangling"]] = i > 0 and defects.dangling_opener(text)
            x[i, col["question"]] = bool(_QUESTION.search(text))
            x[i, col["unfinished"]] = not _FINISHED.search(text.rstrip())
    if lengths is not None and max_chars is not None and len(lengths) == n:
        x[:, col["log_fit"]] = np.log(budget_fit(lengths, max_chars, 0.5, 0.25))
    return x


class Learned(Vectorized):
    """A linear scorer of :data:`FEATURES` with weights fitted leave-one-blog-out on authors'
    own summaries (``data/scorer.json``); ``weights`` overrides them (for training)."""

    contextual = True  # rank() passes title_words, lengths, max_chars and texts

    def __init__(self, weights: Sequence[float] | None = None) -> None:
        self.weights = None if weights is None else np.asarray(weights, dtype=np.float64)

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
        """``features(...) · weights``; earlier sentences win ties."""
        x = features(
            words,
            blocks,
            title_words=title_words,
            lengths=lengths,
            max_chars=max_chars,
            texts=texts,
        )
        weights = _weights() if self.weights is None else self.weights
        return x @ weights - 1e-9 * np.arange(len(words))

    def budget_term(self, lengths: Sequence[int], max_chars: int) -> np.ndarray:
        """What the ``log_fit`` feature adds for an excerpt of ``max_chars``."""
        weights = _weights() if self.weights is None else self.weights
        weight = weights[FEATURES.index("log_fit")]
        return weight * np.log(budget_fit(lengths, max_chars, 0.5, 0.25))
