"""Extractive summaries with sumy's algorithms (stage 3; package `summarizers`, so that it
does not shadow the public function `excerptor.summarize`).

CONTRACT (implementation in progress).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

DEFAULT_ALGORITHM = "lexrank"


class Sentence(NamedTuple):
    """A summary candidate."""

    text: str  # plain text, as a reader sees it
    words: tuple[str, ...]  # content-word lemmas (japanese.content_words)
    block: int  # index of its block in the Document
    index: int  # position in document order among candidates, 0..n-1


ALGORITHMS: tuple[str, ...] = (
    "lexrank", "textrank", "lsa", "luhn", "edmundson", "kl", "sumbasic", "reduction", "lead",
)


def rank(sentences: Sequence[Sentence], algorithm: str = DEFAULT_ALGORITHM) -> list[int]:
    """Indices into ``sentences``, best first. Exact duplicates are rated once (first copy
    kept); near-identical sentences are never both ranked ahead of distinct ones."""
    raise NotImplementedError


def summary(sentences: Sequence[Sentence], count: int, order: Sequence[int]) -> list[int]:
    """The ``count`` best distinct sentences of ``order``, returned in document order."""
    raise NotImplementedError


def excerpt(
    sentences: Sequence[Sentence],
    order: Sequence[int],
    max_chars: int,
    truncate: Callable[[str, int], str],
) -> str:
    """Whole sentences taken in rank order while they fit ``max_chars``, shown in document
    order; if even the best does not fit, ``truncate(best, max_chars)``."""
    raise NotImplementedError
