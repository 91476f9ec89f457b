"""Japanese sentences and fugashi tokens (stage 2 of the pipeline).

CONTRACT (implementation in progress).
"""

from __future__ import annotations


def split_sentences(text: str) -> list[str]:
    """Split plain text into sentences; nothing is dropped, concatenation == text minus spaces
    between sentences."""
    raise NotImplementedError


def content_words(text: str) -> list[str]:
    """Lemmas of the content words (nouns, verbs, adjectives) of ``text``, stop words removed,
    Latin lowercased."""
    raise NotImplementedError


def truncate(text: str, max_chars: int, ellipsis: str = "…") -> str:
    """``text`` if it fits, else its longest prefix ending on a morpheme boundary plus ellipsis,
    at most ``max_chars`` characters in all."""
    raise NotImplementedError
