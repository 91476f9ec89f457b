"""Extractive summaries with sumy's algorithms (stage 3; package `summarizers`, so that it
does not shadow the public function `excerptor.summarize`).

Each algorithm is one module with a sumy-free rating class (``LexRank``, ``TextRank``, ...)
whose ``ratings(words, blocks)`` rates token lists with numpy/scipy.sparse instead of
sumy's pairwise Python loops, reading sumy's parameters from class attributes that carry
sumy's defaults. ``rank`` and :func:`summarizer` use these classes, so the default path
never imports sumy, nor nltk and scipy.stats, which sumy's summarizers import.

sumy stays the framework: :func:`sumy_class` builds, on first use, each rating class's
sumy subclass (``LexRankSummarizer``: the rating class first, then sumy's
``LexRankSummarizer``), and :func:`sumy_summarizer` returns one to call as sumy does,
``summarizer(document, count)``, rated by the same ``ratings`` (see ``_base``).

Redundancy: sentences with the same normalized text are rated once (first copy kept), and
no two near-identical sentences (:func:`near_identical`) are returned by ``summary`` or
``excerpt``; ``rank`` puts the later of two near-identical sentences after every distinct one.

Registering another algorithm (e.g. ``lead_centrality.py``): a module in this package with
a sumy-free subclass of ``_base.Vectorized`` whose no-argument instance has
``ratings(words, blocks) -> numpy array`` (higher is better), listed in ``_REGISTRY``; its
``sumy_base`` names the sumy class to combine it with (default ``AbstractSummarizer``).
"""

from __future__ import annotations

import importlib
import importlib.util
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from .. import defects as _defects
from .. import japanese
from ..errors import ExcerptorError
from ..japanese import normalize
from ..settings import DEFAULT_ALGORITHM

__all__ = ["DEFAULT_ALGORITHM", "Ranking", "Sentence", "rank", "summary", "excerpt"]


class Sentence(NamedTuple):
    """A summary candidate."""

    text: str  # plain text, as a reader sees it
    words: tuple[str, ...]  # content-word lemmas (japanese.content_words)
    block: int  # index of its block in the Document
    index: int  # position in document order among candidates, 0..n-1
    fragment: bool = False  # japanese.is_fragment: never chosen while a sentence is readable


# name -> (module in this package, class name)
_REGISTRY: dict[str, tuple[str, str]] = {
    "lexrank": ("lexrank", "LexRank"),
    "textrank": ("textrank", "TextRank"),
    "lsa": ("lsa", "Lsa"),
    "luhn": ("luhn", "Luhn"),
    "edmundson": ("edmundson", "Edmundson"),
    "kl": ("kl", "KL"),
    "sumbasic": ("sumbasic", "SumBasic"),
    "reduction": ("reduction", "Reduction"),
    "lead": ("lead", "Lead"),
    "lead_centrality": ("lead_centrality", "LeadCentrality"),
    "learned": ("learned", "Learned"),
}


def _available(module: str) -> bool:
    return importlib.util.find_spec(f"{__name__}.{module}") is not None


ALGORITHMS: tuple[str, ...] = tuple(
    name for name, (module, _cls) in _REGISTRY.items() if _available(module)
)

# Near-identical: Jaccard of word sets at least this, or one normalized text inside the
# other when the shorter has at least _CONTAINED_MIN characters.
_JACCARD_NEAR = 0.8
_CONTAINED_MIN = 10
# Excerpt greedy fill: distinct candidates tried after the best one.
_FILL_TRIES = 10


def rating_class(algorithm: str) -> type:
    """The sumy-free rating class of ``algorithm`` (imports numpy/scipy, never sumy)."""
    if algorithm not in ALGORITHMS:
        raise ExcerptorError(
            f"unknown algorithm {algorithm!r}; choose one of {', '.join(ALGORITHMS)}"
        )
    module, cls = _REGISTRY[algorithm]
    return getattr(importlib.import_module(f"{__name__}.{module}"), cls)


def summarizer(algorithm: str) -> Any:
    """A new sumy-free rating instance for ``algorithm``: what ``rank`` uses; it has
    ``ratings(words, blocks)``, not sumy's ``__call__``."""
    return rating_class(algorithm)()


def sumy_class(algorithm: str) -> type:
    """The sumy subclass of ``algorithm``'s rating class, e.g. a ``LexRankSummarizer`` that
    is also a ``sumy.summarizers.lex_rank.LexRankSummarizer`` (imports sumy and nltk)."""
    from ._base import build_sumy_class

    return build_sumy_class(rating_class(algorithm))


def sumy_summarizer(algorithm: str, *args: Any, **kwargs: Any) -> Any:
    """A new instance of :func:`sumy_class` (arguments as sumy's class takes them, e.g. a
    stemmer), to use with sumy's interface: ``sumy_summarizer("lexrank")(document, 3)``."""
    return sumy_class(algorithm)(*args, **kwargs)


def near_identical(a: Sentence, b: Sentence) -> bool:
    """Same normalized text, one inside the other, or word sets with Jaccard ≥ 0.8."""
    return _near(normalize(a.text), normalize(b.text), set(a.words), set(b.words))


def _near(ta: str, tb: str, wa: set[str], wb: set[str]) -> bool:
    if ta == tb:
        return True
    short, long_ = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    if len(short) >= _CONTAINED_MIN and short in long_:
        return True
    if wa and wb:
        common = len(wa & wb)
        return common >= _JACCARD_NEAR * (len(wa) + len(wb) - common)
    return False


def _near_pairs(sentences: Sequence[Sentence], keys: Sequence[str]) -> list[list[int]]:
    """Neighbours (near-identical sentences) of each sentence; linear in the word overlaps."""
    import numpy as np
    import scipy.sparse as sp

    from ._matrix import count_matrix, row_ids

    sets = [sorted(set(s.words)) for s in sentences]
    binary, vocab = count_matrix(sets)
    # Prefix filter (all-pairs similarity join): two word sets with Jaccard >= 0.8 share one
    # of their ceil(|s|/2) + 1 rarest words, so only pairs sharing such a word are compared;
    # words found in most sentences, which would pair up everything, rarely make a prefix.
    # (Text containment is looked for among these pairs only; summary/excerpt check it all.)
    df = np.bincount(binary.indices, minlength=binary.shape[1])
    rarity = {w: (df[i], w) for w, i in vocab.items()}
    prefixes = [sorted(ws, key=rarity.__getitem__)[: (len(ws) + 1) // 2 + 1] for ws in sets]
    prefix, _ = count_matrix(prefixes)
    pairs = sp.triu(prefix @ prefix.T, k=1).tocsr()
    rows, cols = row_ids(pairs), pairs.indices
    common = np.asarray(binary[rows].multiply(binary[cols]).sum(axis=1)).ravel()
    size = np.array([len(w) for w in sets], dtype=np.float64)
    candidate = common >= 0.5 * np.minimum(size[rows], size[cols])
    neighbours: list[list[int]] = [[] for _ in sentences]
    for i, j in zip(rows[candidate].tolist(), cols[candidate].tolist(), strict=True):
        if _near(keys[i], keys[j], set(sets[i]), set(sets[j])):
            neighbours[i].append(j)
            neighbours[j].append(i)
    return neighbours


@dataclass(frozen=True)
class Ranking:
    """A post's sentences rated once: base scores, and orders made from them.

    Exact duplicates are rated once (first copy kept); near-identical sentences are never both
    ordered ahead of distinct ones. :meth:`order` with a budget multiplies the base scores by
    the algorithm's ``budget`` factor, where it has one (an excerpt prefers sentences that fit).
    """

    sentences: tuple[Sentence, ...]
    unique: tuple[int, ...]  # first copy of each distinct text, in document order
    copies: tuple[int, ...]  # later exact copies
    scores: Any  # numpy array, one base score per ``unique`` sentence
    neighbours: tuple[tuple[int, ...], ...]  # near-identical pairs among ``unique``
    model: Any

    @classmethod
    def of(
        cls,
        sentences: Sequence[Sentence],
        algorithm: str = DEFAULT_ALGORITHM,
        *,
        title_words: Sequence[str] = (),
    ) -> Ranking:
        """Rate ``sentences`` with ``algorithm``; ``title_words`` (the title's content words)
        go to the algorithms that use them (``contextual = True``)."""
        import numpy as np

        model = summarizer(algorithm)
        keys = [normalize(s.text) for s in sentences]
        first: dict[str, int] = {}
        for i, key in enumerate(keys):
            first.setdefault(key, i)
        unique = sorted(first.values())
        copies = tuple(i for i in range(len(sentences)) if first[keys[i]] != i)
        if not unique:
            return cls(tuple(sentences), (), copies, np.zeros(0), (), model)
        chosen = [sentences[i] for i in unique]
        context = {}
        if model.contextual:
            context = {"title_words": tuple(title_words), "texts": [s.text for s in chosen]}
        scores = np.asarray(
            model.ratings([s.words for s in chosen], [s.block for s in chosen], **context),
            dtype=np.float64,
        )
        scores = np.where(np.isnan(scores), -np.inf, scores)
        neighbours = _near_pairs(chosen, [keys[i] for i in unique])
        return cls(
            tuple(sentences), tuple(unique), copies, scores, tuple(map(tuple, neighbours)), model
        )

    def order(self, max_chars: int | None = None) -> list[int]:
        """Indices into the sentences, best first; with ``max_chars``, for an excerpt of it."""
        import numpy as np

        scores = self.scores
        if max_chars is not None and len(scores):
            lengths = [len(self.sentences[i].text) for i in self.unique]
            if hasattr(self.model, "budget"):  # a factor (ratings are positive)
                scores = scores * self.model.budget(lengths, max_chars)
            elif hasattr(self.model, "budget_term"):  # a term (a linear score)
                scores = scores + self.model.budget_term(lengths, max_chars)
        by_rating = np.argsort(-scores, kind="stable").tolist()  # ties: document order
        taken = [False] * len(self.unique)
        ahead: list[int] = []
        later: list[int] = []
        for u in by_rating:
            if any(taken[v] for v in self.neighbours[u]):
                later.append(u)
            else:
                taken[u] = True
                ahead.append(u)
        return [self.unique[u] for u in ahead + later] + list(self.copies)


def rank(
    sentences: Sequence[Sentence],
    algorithm: str = DEFAULT_ALGORITHM,
    *,
    title_words: Sequence[str] = (),
    max_chars: int | None = None,
) -> list[int]:
    """Indices into ``sentences``, best first (see :class:`Ranking`)."""
    if not sentences:
        summarizer(algorithm)  # an unknown name is an error even without sentences
        return []
    return Ranking.of(sentences, algorithm, title_words=title_words).order(max_chars)


def _distinct(sentences: Sequence[Sentence], order: Iterable[int]):
    """``order`` without the sentences near-identical to one already yielded."""
    kept: list[tuple[str, set[str]]] = []
    for i in order:
        key, words = normalize(sentences[i].text), set(sentences[i].words)
        if any(_near(key, k, words, w) for k, w in kept):
            continue
        kept.append((key, words))
        yield i


def summary(sentences: Sequence[Sentence], count: int, order: Iterable[int]) -> list[int]:
    """The ``count`` best distinct sentences of ``order``, returned in document order."""
    chosen: list[int] = []
    if count < 1:
        return chosen
    for i in _distinct(sentences, order):
        chosen.append(i)
        if len(chosen) == count:
            break
    return sorted(chosen)


def _latin(ch: str) -> bool:
    if ch.isspace():
        return False
    return ch.isascii() or unicodedata.name(ch, "").startswith("LATIN")


def join(texts: Sequence[str]) -> str:
    """Units run together as the reader's sentences: one space between two Latin-script
    sides, and 。 after a unit that does not close itself (a list item, a heading-like line)."""
    out = ""
    for text in texts:
        text = text.strip()
        if not text:
            continue
        if out:
            end = japanese.unit_end(out)
            if end not in japanese.CLOSING and end not in japanese.RUNS_ON:
                out = out.rstrip() + "。"
            elif (
                (end in japanese.RUNS_ON and end.isascii())
                or end != out[-1]
                or (_latin(out[-1]) and _latin(text[0]))
            ):
                out += " "
        out += text
    return out


# A sentence that points at something the excerpt cannot show: …は以下の通りです, 下記の…,
# こちらです, …このような感じです:
_POINTS_AT = re.compile(
    r"以下|下記|次のよう|次の(?:通り|とおり)|こちら(?:です|になります)|↓|[:：]$"
)


def _complete(text: str) -> bool:
    """Whether ``text`` is a whole sentence that stands on its own in an excerpt: it closes
    itself (。！？…) and points at nothing below it."""
    text = text.strip()
    return bool(text) and japanese.closes(text) and not _POINTS_AT.search(text)


def _next_to(sentences: Sequence[Sentence], chosen: Sequence[int], i: int, max_chars: int) -> bool:
    """Whether sentence ``i`` may join the excerpt ``chosen``: one short beside the budget
    (像がとてもでかいです。) only next to a chosen one, so the excerpt does not end on a
    remark from further down."""
    short = len(sentences[i].text) < _SHORT_SHARE * max_chars
    return not short or i - 1 in chosen or i + 1 in chosen


_SHORT_SHARE = 0.2


def _opens(sentences: Sequence[Sentence], chosen: Iterable[int], i: int) -> bool:
    """Whether sentence ``i`` may stand where it would in the excerpt ``chosen``: a sentence
    that opens with a connective or a pointer back (また、この…) only right after the
    sentence before it; the post's first sentence points at nothing the reader lacks."""
    index = sentences[i].index
    return index == 0 or not _defects.dangling_opener(sentences[i].text) or i - 1 in set(chosen)


def excerpt(
    sentences: Sequence[Sentence],
    order: Iterable[int],
    max_chars: int,
    truncate: Callable[[str, int], str],
    *,
    title: str | None = None,
    boilerplate: frozenset[str] = frozenset(),
) -> str:
    """Whole sentences taken in rank order while they fit ``max_chars``, shown in document
    order; if even the best does not fit, ``truncate(best, max_chars)``.

    Only readable sentence sets are built: no broken piece (:func:`excerptor.defects.fragment`),
    no sentence that shows markup (``<input type="text">``, ``**``),
    no sentence that repeats ``title`` or is a site's
    ``boilerplate`` (normalized sentences, :func:`excerptor.defects.boilerplate`), none twice,
    and no connective or pointer back (また、その…) unless the sentence it follows is shown
    right before it. The best sentence is the best-ranked one that may open the excerpt;
    after it, up to ten more distinct candidates are tried in rank order, each added if it
    fits and may stand where it falls (a dangling one is tried again once its antecedent is
    in).
    """
    if max_chars < 1:
        return ""
    ranked = list(itertools.islice(_distinct(sentences, order), _FILL_TRIES + 8))
    if not ranked:
        return ""
    usable = [
        i
        for i in ranked
        if not _defects.echoes_title(sentences[i].text, title)
        and not _defects.fragment(sentences[i].text)
        and not _defects.markup_residue(sentences[i].text)
        and normalize(sentences[i].text) not in boilerplate
    ] or ranked
    best = next((i for i in usable if _opens(sentences, (), i)), usable[0])
    text = join([sentences[best].text])
    if len(text) > max_chars:
        return truncate(text, max_chars)[:max_chars]
    chosen = [best]
    waiting: list[int] = []
    fill = [i for i in usable if i != best][:_FILL_TRIES]
    if _complete(sentences[best].text):
        # after a whole sentence, only whole sentences: no label, link title or caption
        # (グロスタイム 3:38:23, 前回の記事 …) and none that points at what is not shown
        fill = [i for i in fill if _complete(sentences[i].text)]
    for i in fill:
        if not _next_to(sentences, chosen, i, max_chars):
            continue
        if not _opens(sentences, chosen, i):
            waiting.append(i)
            continue
        for j in [i, *waiting]:
            trial = join([sentences[k].text for k in sorted([*chosen, j])])
            if (
                len(trial) <= max_chars
                and _opens(sentences, chosen, j)
                and _next_to(sentences, chosen, j, max_chars)
            ):
                chosen.append(j)
                text = trial
        waiting = [j for j in waiting if j not in chosen]
    return text
