"""Reading time: how long a reader needs for what the page shows (module `readtime`, so that
it does not shadow the public function `excerptor.reading_time`).


The model, every constant of which is a setting (:class:`excerptor.settings.Settings`:
``cjk_chars_per_minute``, ``words_per_minute``, ``code_lines_per_minute``, ``image_seconds``,
``image_seconds_step``, ``image_seconds_floor``):

* CJK characters (kanji, hiragana, katakana, hangul, full-width forms) are read at
  500 characters a minute.  Medium counts 500 CJK characters a minute
  (help.medium.com, "Read time"), and Hugo's ``.ReadingTime`` uses 500 for CJK
  content (``hugolib/page__per_output.go``: ``(wordCount + 500) / 501`` when
  ``hasCJKLanguage``).  Katakana is counted like any other CJK character; the npm
  ``reading-time`` package treats runs of katakana as a single word.
* Latin words (runs of letters and digits) are read at 250 words a minute.  Medium
  uses 265; 250 is the common round figure for non-fiction on screen.
* Images: the first adds 12 s, the second 11 s, and so on down to a floor of 3 s
  per image (Medium's rule).
* Code is skimmed, not read: 30 lines a minute (2 s a line), blank lines free.
* Minutes are rounded up, and any visible text gives at least one minute (a post of only
  emoji or symbols, which none of the rates above counts, is still one minute).

Only what a reader sees is counted: the caller passes plain text with front
matter, markup, URLs and HTML already removed (see ``excerptor.markdown``).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from .markdown import Block, Document
from .settings import Settings

DEFAULT = Settings()

_CJK = (
    "\u2e80-\u2fdf\u3040-\u30ff\u3100-\u312f\u3190-\u31ff\u3400-\u4dbf"
    "\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff10-\uff19\uff21-\uff3a\uff41-\uff5a"
    "\uff66-\uff9f\U00020000-\U0003134f"
)
_CJK_RUN = re.compile(f"[{_CJK}]+")
# A Latin "word": letters/digits (word characters that are not CJK), with inner apostrophes,
# dots or hyphens.
_WORD_CHAR = rf"[^\W{_CJK}]"
_LATIN_WORD = re.compile(rf"{_WORD_CHAR}+(?:['’.\-]{_WORD_CHAR}+)*")


@dataclass(frozen=True)
class TextCounts:
    """What a reader sees, counted."""

    cjk_chars: int = 0
    latin_words: int = 0
    code_lines: int = 0
    images: int = 0
    other_chars: int = 0  # visible characters neither CJK nor in a Latin word (emoji, symbols)

    def __add__(self, other: TextCounts) -> TextCounts:
        return TextCounts(
            self.cjk_chars + other.cjk_chars,
            self.latin_words + other.latin_words,
            self.code_lines + other.code_lines,
            self.images + other.images,
            self.other_chars + other.other_chars,
        )


def count_text(text: str) -> TextCounts:
    """CJK characters and Latin words in plain ``text``."""
    cjk = len(text) - len(_CJK_RUN.sub("", text))
    words = _LATIN_WORD.findall(text)
    visible = sum(map(len, text.split()))  # str.split() and re's \s agree on white space
    other = visible - cjk - sum(map(len, words))
    return TextCounts(cjk_chars=cjk, latin_words=len(words), other_chars=other)


def count_block(block: Block) -> TextCounts:
    """Counts for one block: code lines for code, characters and words for the rest."""
    if block.kind == "code":
        lines = sum(1 for line in block.text.splitlines() if line.strip())
        return TextCounts(code_lines=lines, images=block.images)
    return count_text(block.text) + TextCounts(images=block.images)


def count_document(doc: Document, blocks: range | tuple[int, ...] | None = None) -> TextCounts:
    """Counts for the blocks of ``doc`` (all of them by default)."""
    indices = blocks if blocks is not None else range(len(doc.blocks))
    return sum((count_block(doc.blocks[i]) for i in indices), TextCounts())


def image_seconds(images: int, speed: Settings = DEFAULT) -> float:
    """12 s for the first image, 11 s for the second, …, never under the floor."""
    return sum(
        max(speed.image_seconds - i * speed.image_seconds_step, speed.image_seconds_floor)
        for i in range(images)
    )


def minutes(counts: TextCounts, speed: Settings = DEFAULT) -> int:
    """Whole minutes, rounded up; 0 only when there is nothing at all to see."""
    seconds = (
        60.0 * counts.cjk_chars / speed.cjk_chars_per_minute
        + 60.0 * counts.latin_words / speed.words_per_minute
        + 60.0 * counts.code_lines / speed.code_lines_per_minute
        + image_seconds(counts.images, speed)
    )
    if seconds <= 0:
        return 1 if counts.other_chars > 0 else 0
    # Guard against float noise turning an exact 2.0 into 3.
    return max(1, math.ceil(round(seconds / 60.0, 9)))
