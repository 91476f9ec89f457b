"""Content health: generation artifacts, repeated blocks, fillers (used by the pipeline).

CONTRACT (implementation in progress).
"""

from __future__ import annotations

from dataclasses import dataclass

from .markdown import Document


@dataclass(frozen=True)
class Finding:
    """One problem found in a post body."""

    code: str  # "marker-line", "repeated-block", "truncated-ending", "title-as-text"
    message: str  # one line, human readable
    lines: tuple[int, ...] = ()  # 1-based lines in the body


@dataclass(frozen=True)
class Health:
    findings: tuple[Finding, ...]
    keep: tuple[int, ...]  # indices of Document.blocks that are content (no markers, no repeats)


def inspect(doc: Document, title: str | None = None) -> Health:
    """Find artifacts in ``doc``; ``keep`` is what a summary should be made from."""
    return Health(findings=(), keep=tuple(range(len(doc.blocks))))


def is_filler(sentence: str) -> bool:
    """True when ``sentence`` is content-free chatter such as いやー or 皆さん、こんにちは."""
    return False
