"""Defects of an excerpt a post already has, that excerptor can name.

``keep_existing: good`` keeps an existing excerpt unless one of these is found; ``lint``
reports them (finding ``excerpt-defect``). Pure functions over text.
"""

from __future__ import annotations

import re

from .japanese import normalize, split_sentences

EMPTY = "is empty"
OVER_BUDGET = "is longer than max_chars"
RESIDUE = "shows markup"
FILLER = "opens with chatter"
TITLE_ECHO = "repeats the title"
CUT = "is cut off mid-sentence"
FIRST_PARAGRAPH = "is only the post's chatty first paragraph"

_RESIDUE = re.compile(
    r"<\s*/?\s*[A-Za-z][^>]*>|\{\{|\{%|\]\(|!\[|\*\*|__|```|^#{1,6}\s|^:::|@\[[a-z]+\]|&[a-z]+;",
    re.MULTILINE,
)
# An excerpt a generator cut at a length: "…" or "..." after text that did not end.
_CUT = re.compile(r"[^。．！？!?」』）)\s](?:…|\.\.\.|‥)$")


def existing_excerpt_defects(
    excerpt: str, *, title: str | None, max_chars: int, body: str | None = None
) -> list[str]:
    """The defects of ``excerpt`` (an existing front-matter excerpt), each a short phrase."""
    from .health import is_filler

    text = " ".join(excerpt.split())
    if not text:
        return [EMPTY]
    found: list[str] = []
    if len(text) > max_chars:
        found.append(OVER_BUDGET)
    if _RESIDUE.search(excerpt):
        found.append(RESIDUE)
    first = next(iter(split_sentences(text)), "")
    if first and is_filler(first):
        found.append(FILLER)
    if title and len(normalize(title)) >= 4 and normalize(text).startswith(normalize(title)):
        found.append(TITLE_ECHO)
    if _CUT.search(text):
        found.append(CUT)
    if body is not None and FILLER not in found and _first_paragraph_chatter(text, body):
        found.append(FIRST_PARAGRAPH)
    return found


def _first_paragraph_chatter(excerpt: str, body: str) -> bool:
    """The excerpt is the body's first paragraph (what a theme shows by default) and that
    paragraph is mostly chatter."""
    from .health import is_filler
    from .markdown import PROSE_KINDS, parse

    first = next((b for b in parse(body).blocks if b.kind in PROSE_KINDS and b.text), None)
    if first is None:
        return False
    key = normalize(excerpt.rstrip("…."))
    if not key or not normalize(first.text).startswith(key):
        return False
    sentences = split_sentences(first.text)
    chatter = sum(1 for s in sentences if is_filler(s))
    return chatter * 2 >= len(sentences)
