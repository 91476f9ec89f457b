"""The pure core: a post body in, an :class:`Analysis` out.

markdown → blocks → health (artifacts, repeats) → sentences → tokens → rank →
summary / excerpt, and reading time over everything the reader sees.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields, replace
from typing import Any

from . import health as _health
from . import japanese
from . import markdown as _markdown
from . import readtime as _rt
from .errors import ExcerptorError
from .summarizers import DEFAULT_ALGORITHM, Sentence
from .summarizers import excerpt as _fit_excerpt
from .summarizers import rank as _rank
from .summarizers import summarizer as _summarizer
from .summarizers import summary as _summary


@dataclass(frozen=True)
class Settings:
    """Every knob of the pipeline; ``analyze(**settings)`` takes these names."""

    max_chars: int = 120
    sentences: int = 3
    algorithm: str = DEFAULT_ALGORITHM
    include_headings: bool = False
    skip_fillers: bool = True
    fillers: tuple[str, ...] = ()  # more filler lines, in data/fillers.txt's syntax
    excerpt_separators: tuple[str, ...] = ("<!--more-->",)
    title: str | None = None
    # Normalized sentences a site repeats in many posts (defects.boilerplate): never excerpted.
    boilerplate: frozenset[str] = frozenset()
    speed: _rt.ReadingSpeed = field(default_factory=_rt.ReadingSpeed)

    @classmethod
    def of(cls, **settings: Any) -> Settings:
        """Settings from keyword arguments, also accepting the ReadingSpeed fields flat."""
        speed_names = {f.name for f in fields(_rt.ReadingSpeed)}
        speed = {k: settings.pop(k) for k in list(settings) if k in speed_names}
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(settings) - known)
        if unknown:
            raise TypeError(f"unknown setting(s): {', '.join(unknown)}")
        if isinstance(settings.get("fillers"), (list, tuple)):
            settings["fillers"] = tuple(settings["fillers"])
        if isinstance(settings.get("boilerplate"), (list, tuple, set)):
            settings["boilerplate"] = frozenset(settings["boilerplate"])
        result = cls(**settings)
        if speed:
            result = replace(result, speed=replace(result.speed, **speed))
        result.validate()
        return result

    def validate(self) -> None:
        from .summarizers import ALGORITHMS

        if self.algorithm not in ALGORITHMS:
            raise ExcerptorError(
                f"unknown algorithm {self.algorithm!r}; choose one of {', '.join(ALGORITHMS)}"
            )
        if self.max_chars < 1:
            raise ExcerptorError("max_chars must be at least 1")
        if self.sentences < 1:
            raise ExcerptorError("sentences must be at least 1")
        for name in ("cjk_chars_per_minute", "words_per_minute", "code_lines_per_minute"):
            if getattr(self.speed, name) <= 0:
                raise ExcerptorError(f"{name} must be positive")
        if not isinstance(self.fillers, tuple) or not all(isinstance(f, str) for f in self.fillers):
            raise ExcerptorError("fillers must be a list of strings")
        _health.check_fillers(self.fillers)
        if not isinstance(self.boilerplate, frozenset) or not all(
            isinstance(b, str) for b in self.boilerplate
        ):
            raise ExcerptorError("boilerplate must be a set of strings")


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
    """Everything excerptor computes for one post body."""

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
        for text in japanese.split_sentences(block.text):
            out.append(Sentence(text, tuple(japanese.content_words(text)), b, len(out)))
    return out


def _fillers_last(
    sentences: list[Sentence], order: Iterable[int], extra: tuple[str, ...] = (), *, drop=False
) -> Iterator[int]:
    """``order`` with content-free openers (いやー、…) moved behind every substantive sentence,
    or with ``drop`` left out unless no sentence is substantive (an excerpt has no room for
    chatter). Lazy: a summary or an excerpt reads the first dozen sentences or so, and
    :func:`~excerptor.health.is_filler` on every candidate of a long post was a tenth of the
    whole pipeline."""
    fillers: list[int] = []
    substantive = False
    for i in order:
        if _health.is_filler(sentences[i].text, extra):
            fillers.append(i)
        else:
            substantive = True
            yield i
    if not (drop and substantive):
        yield from fillers


def _separator_excerpt(markdown: str, settings: Settings) -> str | None:
    for sep in settings.excerpt_separators:
        if sep and sep in markdown:
            head = markdown.split(sep, 1)[0]
            doc = _markdown.parse(head)
            text = "".join(
                b.text for b in doc.blocks if b.kind in _markdown.PROSE_KINDS and b.text.strip()
            )
            return japanese.truncate(text.strip(), settings.max_chars)
    return None


def analyze(markdown: str, **settings: Any) -> Analysis:
    """Summary, excerpt, reading time, counts and warnings for a post body."""
    s = Settings.of(**settings)
    # Before the body's parse: markdown.parse keeps its last result for a following call.
    from_separator = _separator_excerpt(markdown, s)
    doc = _markdown.parse(markdown)
    report = _health.inspect(doc, title=s.title)

    per_block = [_rt.count_block(b) for b in doc.blocks]
    everything = sum(per_block, _rt.TextCounts())
    without_repeats = sum((per_block[i] for i in report.keep), _rt.TextCounts())
    sentences = _candidates(doc, report.keep, s)

    title_words = tuple(japanese.content_words(s.title)) if s.title else ()
    ranked = _rank(sentences, s.algorithm, title_words=title_words) if sentences else []
    order = _fillers_last(sentences, ranked, s.fillers) if s.skip_fillers else ranked
    chosen = _summary(sentences, s.sentences, order) if sentences else []

    if from_separator is not None:
        excerpt_text = from_separator
    elif sentences:
        fitted = ranked
        if _summarizer(s.algorithm).contextual:
            # The excerpt's own ranking: sentences that fit the budget whole are preferred.
            fitted = _rank(sentences, s.algorithm, title_words=title_words, max_chars=s.max_chars)
        if s.skip_fillers:
            fitted = _fillers_last(sentences, fitted, s.fillers, drop=True)
        excerpt_text = _fit_excerpt(
            sentences,
            fitted,
            s.max_chars,
            japanese.truncate,
            title=s.title,
            boilerplate=s.boilerplate,
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
    minutes = _rt.minutes(everything, s.speed)
    minutes_without_repeats = _rt.minutes(without_repeats, s.speed)
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
