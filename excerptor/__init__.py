"""excerptor: excerpts and reading times for Japanese blog posts.

>>> import excerptor
>>> excerptor.excerpt(body)          # plain text, at most 120 characters
>>> excerptor.reading_time(body)     # whole minutes
>>> excerptor.summarize(body, 3)     # the three best sentences, in document order
>>> excerptor.analyze(body)          # all of the above, plus counts and warnings
"""

from __future__ import annotations

from typing import Any

from .errors import ExcerptorError

__version__ = "0.1.0"
__all__ = [
    "Analysis",
    "ExcerptorError",
    "Settings",
    "__version__",
    "analyze",
    "excerpt",
    "reading_time",
    "summarize",
]


def analyze(markdown: str, **settings: Any):
    """Excerpt, summary, reading time, counts and warnings for a post body.

    ``settings`` are the fields of :class:`excerptor.Settings` (``max_chars``,
    ``sentences``, ``algorithm``, ``title``, …) and of
    :class:`excerptor.reading_time.ReadingSpeed`.
    """
    from .pipeline import analyze as _analyze

    return _analyze(markdown, **settings)


def summarize(markdown: str, sentences: int = 3, algorithm: str = "lexrank") -> list[str]:
    """The ``sentences`` best sentences of a post body, in document order, no repeats."""
    return analyze(markdown, sentences=sentences, algorithm=algorithm).summary


def excerpt(markdown: str, max_chars: int = 120) -> str:
    """Plain-text excerpt of at most ``max_chars`` characters, never cut mid-word."""
    return analyze(markdown, max_chars=max_chars).excerpt


def reading_time(markdown: str) -> int:
    """Whole minutes to read a post body; at least 1 when it has any text."""
    from . import markdown as _markdown
    from . import readtime as _rt

    return _rt.minutes(_rt.count_document(_markdown.parse(markdown)))


def __getattr__(name: str) -> Any:
    # Lazy, so that `excerptor --version` does not import fugashi, numpy or sumy.
    if name in ("Analysis", "Settings"):
        from . import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'excerptor' has no attribute {name!r}")
