"""Markdown body → blocks of plain text (stage 1 of the pipeline).

CONTRACT (implementation in progress): ``parse(markdown) -> Document``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

BlockKind = Literal["paragraph", "heading", "list_item", "blockquote", "table", "code"]

#: Kinds whose sentences may be chosen for a summary or excerpt.
PROSE_KINDS: frozenset[str] = frozenset({"paragraph", "list_item", "blockquote"})


@dataclass(frozen=True)
class Block:
    """One block of what a reader sees, as plain text."""

    kind: BlockKind
    text: str  # plain text; for "code" the code itself; for "table" the cell texts
    line: int  # first line, 1-based, in the markdown string given to parse()
    end_line: int  # last line, inclusive
    images: int = 0  # images inside this block (their alt text is not in ``text``)


@dataclass(frozen=True)
class Document:
    blocks: tuple[Block, ...]

    @property
    def images(self) -> int:
        return sum(b.images for b in self.blocks)


def parse(markdown: str) -> Document:
    raise NotImplementedError
