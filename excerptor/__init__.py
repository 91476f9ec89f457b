"""excerptor: excerpts and reading times for Japanese blog posts.

>>> import excerptor
>>> excerptor.excerpt(body)          # plain text, at most 120 characters
>>> excerptor.reading_time(body)     # whole minutes
>>> excerptor.summarize(body, 3)     # the three best sentences, in document order
>>> excerptor.analyze(body)          # all of the above, plus counts and warnings
>>> excerptor.excerpt(body, boilerplate=excerptor.site_boilerplate(paths_of_the_sites_posts))
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .errors import ExcerptorError

if TYPE_CHECKING:
    from .pipeline import Analysis

__version__ = "0.1.0"
__all__ = [
    "Analysis",
    "ExcerptorError",
    "Settings",
    "__version__",
    "analyze",
    "excerpt",
    "reading_time",
    "site_boilerplate",
    "summarize",
]


def analyze(markdown: str, title: str | None = None, **settings: Any) -> Analysis:
    """Excerpt, summary, reading time, counts and warnings for a post body.

    ``settings`` are the fields of :class:`excerptor.Settings` (``max_chars``, ``sentences``,
    ``algorithm``, reading speeds such as ``cjk_chars_per_minute`` …); a bad name, type or
    value raises :class:`ExcerptorError` (a ``ValueError``) with a one-line message.
    """
    from .pipeline import analyze as _analyze

    return _analyze(markdown, title, **settings)


def summarize(
    markdown: str, sentences: int = 3, *, title: str | None = None, **settings: Any
) -> list[str]:
    """The ``sentences`` best sentences of a post body, in document order, no repeats."""
    return analyze(markdown, title, sentences=sentences, **settings).summary


def excerpt(
    markdown: str, max_chars: int = 120, *, title: str | None = None, **settings: Any
) -> str:
    """Plain-text excerpt of at most ``max_chars`` characters, never cut mid-word."""
    return analyze(markdown, title, max_chars=max_chars, **settings).excerpt


def reading_time(markdown: str, **settings: Any) -> int:
    """Whole minutes to read a post body; at least 1 when it has any text. ``settings``: the
    reading speeds of :class:`excerptor.Settings` (e.g. ``cjk_chars_per_minute``)."""
    from . import markdown as _markdown
    from . import readtime as _rt
    from .settings import Settings

    speed = Settings.of(**settings)
    if not isinstance(markdown, str):
        raise ExcerptorError(f"the post body must be a string, not {type(markdown).__name__}")
    return _rt.minutes(_rt.count_document(_markdown.parse(markdown)), speed)


def site_boilerplate(posts: Iterable[str | bytes | os.PathLike[str]]) -> frozenset[str]:
    """The sentences one site repeats across its posts (a site notice, a sign-off), normalized,
    learned from all of its posts: each a post file's text (front matter optional), its bytes,
    or a path (``pathlib.Path``) to read. Give the result to :func:`analyze`, :func:`excerpt`
    or :func:`summarize` as ``boilerplate=``: those sentences are never excerpted. (Batch
    commands learn it per site themselves; ``learn_boilerplate=False`` turns that off.)"""
    from .boilerplate import site_boilerplate as _learn

    return _learn(posts)


def __getattr__(name: str) -> Any:
    # Lazy, so that `excerptor --version` does not import fugashi, numpy or sumy.
    if name == "Analysis":
        from . import pipeline

        return pipeline.Analysis
    if name == "Settings":
        from .settings import Settings

        return Settings
    raise AttributeError(f"module 'excerptor' has no attribute {name!r}")
