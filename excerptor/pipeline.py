"""The pure core: a post body in, an :class:`Analysis` out.

markdown → blocks → health (artifacts, repeats) → sentences → tokens → rank →
summary / excerpt, and reading time over everything the reader sees.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from . import health as _health
from . import japanese
from . import markdown as _markdown
from . import readtime as _rt
from .errors import ExcerptorError
from .settings import Settings
from .summarizers import Ranking, Sentence
from .summarizers import excerpt as _fit_excerpt
from .summarizers import join as _join_sentences
from .summarizers import summary as _summary


@dataclass(frozen=True)
class Counts:
    chars: int  # characters of plain text a reader sees (prose and tables)
    cjk_chars: int
    latin_words: int
    code_lines: int
    images: int
    blocks: int
    sentences: int  # summary candidates after de-duplication


@dataclass(frozen=True)
class Analysis:
    """Everything excerptor computes for one post body (``warnings`` carry body line numbers)."""

    excerpt: str
    summary: list[str]
    reading_time: int
    counts: Counts
    warnings: list[_health.Finding]
    reading_time_without_repeats: int
    excerpt_from_separator: bool = False


def _candidates(doc: _markdown.Document, keep: tuple[int, ...], settings: Settings):
    kinds = set(_markdown.PROSE_KINDS)
    if settings.include_headings:
        kinds.add("heading")
    out: list[Sentence] = []
    for b in keep:
        block = doc.blocks[b]
        if block.kind not in kinds or not block.text.strip():
            continue
        for text in block_sentences(block.text):
            words, fragment = japanese.unit_words(text)
            out.append(Sentence(text, tuple(words), b, len(out), fragment))
    return out


def block_sentences(text: str) -> list[str]:
    """The sentences of one block's text: ``split_sentences`` breaks at every "\n" the text
    stage kept (a unit per line), except where the line visibly wraps a sentence."""
    return japanese.split_sentences(_unwrap(text))


def _unwrap(text: str) -> str:
    """``text`` with the line breaks that only wrap a sentence (japanese.wraps) removed."""
    if "\n" not in text:
        return text
    lines = text.split("\n")
    out = [lines[0]]
    for line in lines[1:]:
        if japanese.wraps(out[-1], line):
            out[-1] += line
        else:
            out.append(line)
    return "\n".join(out)


def _last(order: Iterable[int], weak: Callable[[int], bool], *, drop: bool) -> Iterator[int]:
    """``order`` with the sentences ``weak`` picks moved behind every other one, or with
    ``drop`` left out unless nothing else is left. Lazy: a summary or an excerpt reads the
    first dozen sentences or so, and a check on every candidate of a long post is costly."""
    held: list[int] = []
    other = False
    for i in order:
        if weak(i):
            held.append(i)
        else:
            other = True
            yield i
    if not (drop and other):
        yield from held


def _readable_first(
    sentences: list[Sentence], order: Iterable[int], *, drop: bool = False
) -> Iterator[int]:
    """``order`` with fragments (a unit that starts with a particle or stops mid-clause, as
    text around a removed element does) last, or dropped (see :func:`_last`)."""
    return _last(order, lambda i: sentences[i].fragment, drop=drop)


def _fillers_last(
    sentences: list[Sentence], order: Iterable[int], extra: tuple[str, ...] = (), *, drop=False
) -> Iterator[int]:
    """``order`` with content-free openers (いやー、…) last, or dropped: an excerpt has no
    room for chatter (see :func:`_last`)."""
    return _last(order, lambda i: _health.is_filler(sentences[i].text, extra), drop=drop)


def _separator_excerpt(markdown: str, settings: Settings) -> str | None:
    """The text before the author's ``<!--more-->``, or None (no separator, or no text
    before it: a heading alone, an image, an HTML wrapper)."""
    for sep in settings.separators:
        if sep in markdown:
            head = markdown.split(sep, 1)[0]
            doc = _markdown.parse(head)
            units = [
                line
                for b in doc.blocks
                if b.kind in _markdown.PROSE_KINDS
                for line in _unwrap(b.text).split("\n")
                if line.strip()
            ]
            if not units:
                return None
            return japanese.truncate(_join_sentences(units), settings.max_chars)
    return None


def analyze(markdown: str, title: str | None = None, **settings: Any) -> Analysis:
    """Summary, excerpt, reading time, counts and warnings for a post body; ``settings`` are
    the fields of :class:`~excerptor.settings.Settings`."""
    return analyze_body(markdown, Settings.of(**settings), title)


def analyze_body(markdown: str, s: Settings, title: str | None = None) -> Analysis:
    """:func:`analyze` with settings already resolved: the pure core every front end calls."""
    if not isinstance(markdown, str):
        raise ExcerptorError(f"the post body must be a string, not {type(markdown).__name__}")
    if title is not None and not isinstance(title, str):
        raise ExcerptorError(f"title must be a string or None, not {type(title).__name__}")
    title = title if title and title.strip() else None
    from_separator = _separator_excerpt(markdown, s)
    doc = _markdown.parse(markdown)
    report = _health.inspect(doc, title=title)

    per_block = [_rt.count_block(b) for b in doc.blocks]
    everything = sum(per_block, _rt.TextCounts())
    without_repeats = sum((per_block[i] for i in report.keep), _rt.TextCounts())
    sentences = _candidates(doc, report.keep, s)

    title_words = tuple(japanese.content_words(title)) if title else ()
    ranking = Ranking.of(sentences, s.algorithm, title_words=title_words)
    ranked = ranking.order()
    order = _readable_first(sentences, ranked)
    order = _fillers_last(sentences, order, s.fillers) if s.skip_fillers else order
    chosen = _summary(sentences, s.sentences, order) if sentences else []

    if from_separator is not None:
        excerpt_text = from_separator
    elif sentences:
        # The excerpt's own order: sentences that fit the budget whole are preferred.
        fitted: Iterable[int] = _readable_first(sentences, ranking.order(s.max_chars), drop=True)
        if s.skip_fillers:
            fitted = _fillers_last(sentences, fitted, s.fillers, drop=True)
        excerpt_text = _fit_excerpt(
            sentences,
            fitted,
            s.max_chars,
            japanese.truncate,
            title=title,
            boilerplate=frozenset(s.boilerplate),
        )
    else:
        excerpt_text = ""

    prose_chars = sum(len(b.text) for b in doc.blocks if b.kind != "code")
    counts = Counts(
        chars=prose_chars,
        cjk_chars=everything.cjk_chars,
        latin_words=everything.latin_words,
        code_lines=everything.code_lines,
        images=everything.images,
        blocks=len(doc.blocks),
        sentences=len(sentences),
    )
    minutes = _rt.minutes(everything, s)
    minutes_without_repeats = _rt.minutes(without_repeats, s)
    warnings = [
        replace(
            f,
            message=f"{f.message}; reading time {minutes} min, "
            f"{minutes_without_repeats} min without the repeats",
        )
        if f.code == "repeated-block" and minutes != minutes_without_repeats
        else f
        for f in report.findings
    ]
    return Analysis(
        excerpt=excerpt_text,
        summary=[sentences[i].text for i in chosen],
        reading_time=minutes,
        counts=counts,
        warnings=warnings,
        reading_time_without_repeats=minutes_without_repeats,
        excerpt_from_separator=from_separator is not None,
    )
