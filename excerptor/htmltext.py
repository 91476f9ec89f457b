"""HTML → the units of text a reader sees (part of the text stage, used by ``markdown``).

The standard library's :class:`html.parser.HTMLParser` reads the markup (entities decoded,
malformed and unclosed markup tolerated); this module only decides what is visible and where
one unit ends:

* ``<script>``, ``<style>``, ``<template>``, ``<noscript>`` (and ``<head>``, ``<svg>``,
  ``<iframe>``, ``<object>``, ``<select>``) are dropped with their content; comments are
  invisible;
* block tags (``p``, ``div``, ``li``, ``h1``–``h6``, ``blockquote``, table cells, ``section``,
  ``article`` …) end a unit, ``<br>`` ends a line inside one (``\\n``, which sentence splitting
  treats as a break);
* ``h1``–``h6``, ``dt``, ``summary`` and ``figcaption`` are ``heading`` units (labels), ``li``
  ``list_item``, text inside ``blockquote`` ``blockquote``, ``td``/``th`` cells make one
  ``table`` unit per table (cells joined by a space, rows by a newline), ``<pre>`` (and a
  multi-line ``<code>`` standing alone) is ``code``;
* ``<img>`` is counted in ``images``; a unit of only images has the text ``""``;
* whitespace is collapsed as a browser does, and a source line break between two CJK
  characters joins them (HTML source is wrapped freely; it is not the author's break);
  Liquid ``{% %}``/``{{ }}`` tags and bare URLs in the text are left out.

Line numbers are those of the source given, offset by ``first_line``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser
from typing import NamedTuple

#: Elements whose content a reader never sees.
INVISIBLE = frozenset(
    {"script", "style", "template", "noscript", "head", "svg", "iframe", "object", "select"}
)
#: Open elements tracked at most; deeper ones are read as text of the innermost.
MAX_DEPTH = 256
#: Elements that start and end a unit of text.
BLOCK_TAGS = frozenset(
    """address article aside blockquote body caption center dd details dialog dir div dl dt
    fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html legend li
    main menu nav ol p pre section summary table tbody td tfoot th thead tr ul""".split()
)
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "dt", "summary", "figcaption"})
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)

_COMPONENT = re.compile(r"<[A-Z]")  # an MDX/JSX component, not an HTML element
_UNIT_BREAK = "\ue001"  # a <br>: a line break inside the unit
_WS = re.compile(r"[ \t\n\r\f\v]+")
_TEMPLATE = re.compile(r"\{%.{0,300}?%\}|\{\{.{0,300}?\}\}", re.DOTALL)
_URL_CHARS = r"[A-Za-z0-9\-._~:/?#\[\]@!$&'*+,;=%()]"
_BARE_URL = re.compile(rf"(?:(?:https?|ftp)://|www\.){_URL_CHARS}+")
_CJK = re.compile(
    "[\u2e80-\u2fdf\u3000-\u30ff\u3100-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"
    "\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003134f]"
)


class Unit(NamedTuple):
    """One unit of visible text in an HTML fragment."""

    kind: str  # paragraph, heading, list_item, blockquote, table or code
    text: str
    line: int
    end_line: int
    images: int = 0


def _collapse(text: str) -> str:
    """Whitespace as a browser shows it; a wrapped line between CJK characters is joined."""

    def space(m: re.Match[str]) -> str:
        s, e = m.start(), m.end()
        if "\n" in m.group() and 0 < s and e < len(text):
            if _CJK.match(text[s - 1]) and _CJK.match(text[e]):
                return ""
        return " "

    text = _WS.sub(space, text)
    lines = (line.strip() for line in text.split(_UNIT_BREAK))
    return "\n".join(line for line in lines if line)


MarkdownHook = Callable[[str, int], list[Unit]]


class _Parser(HTMLParser):
    def __init__(self, first_line: int, markdown: MarkdownHook | None) -> None:
        super().__init__(convert_charrefs=True)
        self.first_line = first_line
        self.markdown = markdown
        self.depth = 0  # open elements (HTML is often unbalanced: a heuristic)
        self.md_depth: list[int] = []  # depths of open elements with markdown="1"
        self.md_buf: list[str] = []
        self.md_line = 0
        self.units: list[Unit] = []
        # Open block-level elements: (tag, kind of text inside, inside a table cell).
        self.stack: list[tuple[str, str, bool]] = []
        self.skip: list[str] = []  # open invisible elements
        self.buf: list[str] = []
        self.images = 0
        self.start = 0  # line where the text in ``buf`` began
        self.pre = 0  # depth of <pre>
        self.code = False  # inside a <code> that may stand alone as a block
        self.cells: list[str] = []
        self.rows: list[str] = []
        self.table_images = 0
        self.table_line = 0
        self.tables = 0
        self.components: set[str] = set()

    # -- helpers
    def _line(self) -> int:
        return self.getpos()[0] + self.first_line - 1

    def _kind(self) -> str:
        return self.stack[-1][1] if self.stack else "paragraph"

    def _push(self, tag: str) -> None:
        if self.stack and self.stack[-1][0] == "p":
            self.stack.pop()  # a block start closes an open <p>, as in HTML
        if len(self.stack) >= MAX_DEPTH:
            return  # unbalanced or hostile markup: deeper elements change nothing
        if tag in _HEADINGS:
            kind = "heading"
        elif tag == "li":
            kind = "list_item"
        elif tag == "blockquote":
            kind = "blockquote"
        else:
            kind = self._kind()
        cell = tag in ("td", "th") or bool(self.stack and self.stack[-1][2])
        self.stack.append((tag, kind, cell))

    def flush(self) -> None:
        if self.pre:
            return
        text = "".join(self.buf)
        self.buf = []
        images, self.images = self.images, 0
        start, self.start = self.start, 0
        if "{" in text:
            text = _TEMPLATE.sub("", text)
        if "://" in text or "www." in text:
            text = _BARE_URL.sub("", text)
        text = _collapse(text)
        if self.tables and self.stack and self.stack[-1][2]:
            if text:
                self.cells.append(text.replace("\n", " "))
            self.table_images += images
            return
        if self.tables:  # text in a table outside any cell
            self.table_images += images
            if text:
                self.cells.append(text.replace("\n", " "))
            return
        if text or images:
            self.units.append(Unit(self._kind(), text, start or self._line(), self._line(), images))

    def _code(self, text: str, line: int) -> None:
        code = text.strip("\n")
        if code.strip():
            self.units.append(Unit("code", code, line, self._line()))

    def _markdown_text(self) -> bool:
        """Whether text here is Markdown: outside every element of an HTML block (the block
        swallowed the Markdown lines after a tag), or inside ``markdown="1"`` (kramdown)."""
        if self.markdown is None or self.skip or self.pre:
            return False
        return self.depth == 0 or bool(self.md_depth)

    def flush_markdown(self) -> None:
        if self.md_buf:
            text, self.md_buf = "".join(self.md_buf), []
            if text.strip() and self.markdown is not None:
                self.flush()
                self.units.extend(self.markdown(text, self.md_line))

    # -- HTMLParser callbacks
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.flush_markdown()
        if tag not in _VOID:
            self.depth += 1
            if any(k == "markdown" and v in ("1", "block", "span") for k, v in attrs):
                self.md_depth.append(self.depth)
        if self.skip:
            if (tag == self.skip[-1] or tag in INVISIBLE) and len(self.skip) < MAX_DEPTH:
                self.skip.append(tag)
            return
        if tag in INVISIBLE:
            self.skip.append(tag)
            return
        if tag == "img":
            if not self.buf and not self.images:
                self.start = self._line()
            self.images += 1
            return
        if tag == "br":
            self.buf.append(_UNIT_BREAK)
            return
        if tag == "pre":
            self.flush()
            self.pre += 1
            if self.pre == 1:
                self._push("pre")
                self.buf = []
                self.start = self._line()
            return
        if tag == "code" and not self.pre:
            if not "".join(self.buf).strip():
                self.flush()
                self.code = True
                self.start = self._line()
            return
        if tag not in BLOCK_TAGS and _COMPONENT.match(self.get_starttag_text() or ""):
            self.components.add(tag)  # MDX/JSX <Callout>: its text is a unit of its own
            self.flush()
            return
        if tag in BLOCK_TAGS:
            self.flush()
            if tag == "table":
                if not self.tables:
                    self.table_line = self._line()
                self.tables += 1
            elif tag == "tr" and self.tables:
                self._end_row()
            if tag not in _VOID:
                self._push(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID or tag not in BLOCK_TAGS:
            self.handle_starttag(tag, attrs)  # <br/>, <img/>, <Component … /> (nothing)
            if tag not in _VOID:  # closed already: it holds nothing
                if self.md_depth and self.md_depth[-1] >= self.depth:
                    self.md_depth.pop()
                self.depth = max(0, self.depth - 1)
        elif not self.skip:
            self.flush_markdown()
            self.flush()

    def handle_endtag(self, tag: str) -> None:
        self.flush_markdown()
        if self.md_depth and self.md_depth[-1] >= self.depth:
            self.md_depth.pop()
        self.depth = max(0, self.depth - 1)
        if self.skip:
            if tag in self.skip:
                while self.skip and self.skip.pop() != tag:
                    pass
            return
        if tag == "pre" and self.pre:
            self.pre -= 1
            if not self.pre:
                text, self.buf = "".join(self.buf), []
                self._code(text, self.start)
                self.start = 0
                self._pop("pre")
            return
        if tag == "code" and self.code and not self.pre:
            text = "".join(self.buf)
            if "\n" in text.strip():
                self.buf = []
                self._code(text, self.start)
                self.start = 0
            self.code = False
            return
        if tag in self.components:
            self.flush()
            return
        if tag in BLOCK_TAGS:
            self.flush()
            if tag in ("td", "th", "tr") and self.tables:
                self._pop(tag)
                if tag == "tr":
                    self._end_row()
                return
            if tag == "table" and self.tables:
                self._pop(tag)
                self.tables -= 1
                if not self.tables:
                    self._end_table()
                return
            self._pop(tag)

    def _pop(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def _end_row(self) -> None:
        if self.cells:
            self.rows.append(" ".join(self.cells))
        self.cells = []

    def handle_data(self, data: str) -> None:
        if self.skip or not data:
            return
        if self._markdown_text():
            if not self.md_buf:
                self.md_line = self._line()
            self.md_buf.append(data)
            return
        if not self.buf and not self.images and not self.pre and data.strip():
            self.start = self._line() + data[: len(data) - len(data.lstrip())].count("\n")
        self.buf.append(data)

    def close(self) -> None:
        super().close()
        self.flush_markdown()
        if self.pre:
            self.pre = 0
            text, self.buf = "".join(self.buf), []
            self._code(text, self.start)
        self.flush()
        if self.tables:
            self._end_table()

    def _end_table(self) -> None:
        self._end_row()
        if self.rows or self.table_images:
            text = "\n".join(self.rows)
            self.units.append(Unit("table", text, self.table_line, self._line(), self.table_images))
        self.rows, self.table_images, self.tables = [], 0, 0


def units(source: str, first_line: int = 1, markdown: MarkdownHook | None = None) -> list[Unit]:
    """The units of visible text of an HTML fragment, in document order; never raises.

    ``markdown(text, line)``, when given, reads the text that is Markdown, not HTML: what
    follows the last closed element of a Markdown HTML block, and the content of elements
    marked ``markdown="1"``.
    """
    parser = _Parser(first_line, markdown)
    try:
        parser.feed(source)
        parser.close()
    except Exception:  # noqa: BLE001 - malformed markup: keep what was read so far
        parser.flush()
    return parser.units
