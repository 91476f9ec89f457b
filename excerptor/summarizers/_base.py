"""The two halves of every excerptor summarizer: a sumy-free rating class, and its sumy
subclass built on demand.

Importing any sumy summarizer imports ``sumy.nlp.stemmers``, hence nltk and scipy.stats
(0.4 s or more), so the algorithm modules do not import sumy. Each defines a rating class
(``LexRank``, ...) that subclasses :class:`Vectorized`: ``ratings(words, blocks)`` (the
math, numpy/scipy only) and the sumy parameters it reads, as class attributes with sumy's
defaults (a test keeps them equal to sumy's). ``summarizers.rank`` uses these classes.

:func:`build_sumy_class` builds, once, ``type(name, (LexRank, LexRankSummarizer), {...})``: a
real sumy summarizer (``isinstance`` of its sumy class, ``summarizer(document, count)``)
whose ratings come from the same ``ratings``. The rating class comes first in the MRO, so
whatever it mirrors from sumy (parameters, the ``stop_words`` property) must behave as
sumy's does.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any, ClassVar

import numpy as np


class Vectorized:
    """Base of the rating classes: ``ratings`` rates token lists without sumy's DOM.

    ``sumy_base`` names the sumy class (module, class) that :func:`build_sumy_class` combines
    this class with; sumy's ``AbstractSummarizer`` unless the algorithm is one of sumy's.
    """

    sumy_base: ClassVar[tuple[str, str]] = ("sumy.summarizers._summarizer", "AbstractSummarizer")
    # Whether ``ratings`` also takes ``title_words`` (the post title's content words) and
    # ``texts`` (the sentences' plain text).
    contextual: ClassVar[bool] = False

    def ratings(
        self, words: Sequence[Sequence[str]], blocks: Sequence[int] | None = None
    ) -> np.ndarray:
        """One rating per sentence, higher is better; ``blocks`` gives each sentence's
        paragraph (only position-aware algorithms use it)."""
        raise NotImplementedError

    def _dom_ratings(self, document: Any, *extra: Any) -> np.ndarray:
        """``ratings`` of a sumy ``ObjectDocumentModel``'s sentences (duck-typed, no import);
        ``extra`` is passed on after the paragraph of each sentence."""
        blocks = [i for i, p in enumerate(document.paragraphs) for _ in p.sentences]
        return self.ratings([s.words for s in document.sentences], blocks, *extra)


def word_set(slot: str, through: str) -> property:
    """A word-list property as sumy's summarizers have them: set from any iterable, kept as
    a frozenset in ``slot``, each word passed through the instance's method ``through``."""

    def get(self: Any) -> frozenset[str]:
        return getattr(self, slot)

    def put(self: Any, words: Iterable[str]) -> None:
        setattr(self, slot, frozenset(map(getattr(self, through), words)))

    return property(get, put)


class StopWords:
    """sumy's ``stop_words`` property (normalized to lower case), for the algorithms that
    have it."""

    _stop_words: frozenset[str] = frozenset()
    _lower = staticmethod(str.lower)
    stop_words = word_set("_stop_words", "_lower")


def _sumy_call(self: Any, document: Any, sentences_count: Any) -> tuple:
    """sumy's ``Summarizer()(document, count)`` on top of ``ratings`` (keyed by position,
    where sumy keys by sentence text)."""
    sentences = document.sentences
    if not sentences:
        return ()
    scores = iter(self._dom_ratings(document).tolist())
    return self._get_best_sentences(sentences, sentences_count, lambda _s: next(scores))


@cache
def build_sumy_class(rating: type[Vectorized]) -> type:
    """The sumy subclass of ``rating`` (``LexRank`` -> ``LexRankSummarizer``), built and
    imported (sumy, nltk) on first use."""
    module, base_name = rating.sumy_base
    base = getattr(importlib.import_module(module), base_name)
    name = f"{rating.__name__}Summarizer"
    namespace = {
        "__module__": rating.__module__,
        "__qualname__": name,
        "__doc__": f"sumy's {base_name} rated by excerptor's {rating.__name__}.",
        "__call__": _sumy_call,
    }
    return type(name, (rating, base), namespace)
