"""Markdown body → blocks of plain text (stage 1 of the pipeline).

``parse`` walks markdown-it-py's token stream (CommonMark + tables + strikethrough,
footnotes and definition lists from mdit-py-plugins, and two small rules of our own
for Liquid/Hugo shortcodes and kramdown attribute lists) and keeps what a reader of
the rendered page sees:

* headings, paragraphs, list items (one block per item, without its sub-items; the
  paragraphs of one item joined by a newline), blockquote paragraphs as plain text;
  the innermost container decides the kind (a list inside a quote gives
  ``list_item`` blocks). Definition-list terms are ``heading``s, definitions
  ``paragraph``s. A soft or hard break joins CJK text without a space, Latin words
  with one;
* fenced/indented code, ``{% highlight %}…{% endhighlight %}`` and Hugo
  ``{{< highlight >}}``/``mermaid``/``chart`` shortcodes as ``code`` blocks (counted
  for reading time, never summary candidates);
* tables as ``table`` blocks: cells joined by a space, rows by a newline;
* footnote definitions as ``footnote`` blocks at the end of the document (where the
  page shows them): counted for reading time, not summary candidates;
* images counted in ``Block.images`` (alt text left out); ``<img>`` tags in HTML too.
  A paragraph, or an HTML block, of only images gives a block with text ``""``.

Left out: HTML blocks and tags (the text between inline tags stays), Liquid
``{% %}``/``{{ }}``, Hugo ``{{< >}}``/``{{% %}}``, kramdown ``{: …}`` IALs (a list
item carrying ``{:toc}`` is the TOC placeholder and is dropped), footnote markers,
link URLs, autolinks and bare URLs, and emphasis markers, including the ``**`` that
CommonMark's flanking rules leave around Japanese punctuation (``、**「要点」**``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:  # markdown_it costs ~0.1 s to import: loaded on first parse()
    from markdown_it import MarkdownIt
    from markdown_it.rules_block import StateBlock
    from markdown_it.rules_inline import StateInline
    from markdown_it.token import Token

BlockKind = Literal["paragraph", "heading", "list_item", "blockquote", "table", "code", "footnote"]

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
    """Plain-text blocks of a Markdown body (front matter already removed); never raises."""
    # The last result is kept (a Document is immutable), so ``excerpt(body)`` followed by
    # ``reading_time(body)`` parses the body once, not twice.
    last = _LAST
    if last is not None and last[0] == markdown:
        return last[1]
    try:
        tokens = _parser().parse(markdown, {})
    except RecursionError:  # defensive: markdown-it caps nesting, so this should not happen
        return Document(())
    doc = Document(tuple(_Walker().walk(tokens)))
    _remember(markdown, doc)
    return doc


_LAST: tuple[str, Document] | None = None


def _remember(markdown: str, doc: Document) -> None:
    global _LAST
    _LAST = (markdown, doc)


# --------------------------------------------------------------------------- parser

_MD: MarkdownIt | None = None


def _parser() -> MarkdownIt:
    global _MD
    if _MD is None:
        from markdown_it import MarkdownIt
        from mdit_py_plugins.deflist import deflist_plugin
        from mdit_py_plugins.dollarmath import dollarmath_plugin
        from mdit_py_plugins.footnote import footnote_plugin

        md = MarkdownIt("commonmark", {"html": True})
        md.enable(["table", "strikethrough"])
        # Keep escapes/entities as separate ``text_special`` tokens: a ``\*`` the author
        # escaped must not be taken for a leftover emphasis marker below.
        md.disable("text_join")
        md.use(footnote_plugin).use(deflist_plugin)
        # ``$$ … $$`` display math (kramdown, MathJax themes) is a formula, not prose: it is
        # kept as a code-like block.  Inline ``$…$`` stays text: "$5 and $10" is common.
        md.use(dollarmath_plugin, allow_labels=False)
        md.disable("math_inline")
        md.block.ruler.before(
            "fence",
            "template_code",
            _template_code_rule,
            {"alt": ["paragraph", "reference", "blockquote", "list"]},
        )
        md.inline.ruler.after("newline", "template_inline", _template_inline_rule)
        md.core.ruler.before("inline", "template_destinations", _template_destinations)
        _MD = md
    return _MD


# Liquid/Hugo pairs whose body is code (or a comment, dropped). Tag name → kind.
_CODE_OPEN = re.compile(
    r"\{%-?\s*(highlight|comment)\b[^\n]*?-?%\}"
    r"|\{\{([<%])\s*(highlight|mermaid|chart|code)\b[^\n]*?[>%]\}\}"
)


def _closing_pattern(name: str, hugo: str | None) -> re.Pattern[str]:
    if hugo:
        return re.compile(r"\{\{[<%]\s*/\s*" + name + r"\s*[>%]\}\}")
    return re.compile(r"\{%-?\s*end" + name + r"\s*-?%\}")


_CLOSERS: dict[tuple[str, str | None], re.Pattern[str]] = {}


def _template_code_rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """``{% highlight x %}…{% endhighlight %}`` (and Hugo's) → a code token; comments → nothing."""
    pos = state.bMarks[start] + state.tShift[start]
    if state.is_code_block(start) or state.src[pos : pos + 1] != "{":
        return False
    m = _CODE_OPEN.match(state.src, pos, state.eMarks[start])
    if not m:
        return False
    name = m.group(1) or m.group(3)
    key = (name, m.group(2))
    closer = _CLOSERS.get(key) or _CLOSERS.setdefault(key, _closing_pattern(*key))
    # The first closer at or after a position is remembered, so that many openers
    # (closed or not) cost one scan of the source in all.
    cache = state.env.setdefault("_excerptor_closers", {})
    searched_from, c_start = cache.get(key, (len(state.src) + 1, -1))
    if not (searched_from <= m.end() and (c_start < 0 or m.end() <= c_start)):
        c = closer.search(state.src, m.end())
        c_start = c.start() if c else -1
        cache[key] = (m.end(), c_start)
    if c_start < 0 or end <= start or c_start > state.eMarks[end - 1]:
        return False  # unclosed, or closed outside this container
    last = start
    while state.eMarks[last] < c_start:
        last += 1
    if silent:
        return True
    if last == start:
        body = state.src[m.end() : c_start]
    else:
        head = state.src[m.end() : state.eMarks[start]]
        inner = state.getLines(start + 1, last, state.blkIndent, True)
        tail = state.src[state.bMarks[last] + state.tShift[last] : c_start]
        body = "\n".join(p for p in (head.strip(), inner.rstrip("\n"), tail.rstrip()) if p)
    token = state.push("template_code" if name != "comment" else "template_comment", "", 0)
    token.content = body
    token.info = name
    token.map = [start, last + 1]
    state.line = last + 1
    return True


# ``![alt]({{ site.url }}/a.png)``: the spaces inside the tag make the destination
# invalid for CommonMark, so the tag is dropped before inline parsing.
_DESTINATION_TEMPLATE = re.compile(
    r"(?<=\]\()[ \t]*(?:\{\{[^{}\n]{0,300}\}\}|\{%[^\n]{0,300}?%\})+"  # bounded: linear time
)


def _template_destinations(state: Any) -> None:
    for token in state.tokens:
        if token.type == "inline" and "]({" in token.content:
            token.content = _DESTINATION_TEMPLATE.sub("", token.content)


_IAL = re.compile(
    r"\{[#.][A-Za-z][\w\-]*(?:\s+(?:[#.][\w\-]+|[\w\-]+=(?:\"[^\"\n]*\"|\S+?)))*\s*\}"
)
_TEMPLATE_CLOSE = {"{%": "%}", "{{": "}}", "{:": "}"}


def _template_inline_rule(state: StateInline, silent: bool) -> bool:
    """Liquid ``{% %}``/``{{ }}``, Hugo ``{{< >}}``, kramdown ``{: }`` → a dropped token."""
    src, pos = state.src, state.pos
    if src[pos] != "{" or pos + 1 >= state.posMax:
        return False
    opener = src[pos : pos + 2]
    close = _TEMPLATE_CLOSE.get(opener)
    if close is None:
        if opener[1] not in "#.":
            return False
        m = _IAL.match(src, pos, state.posMax)
        if not m:
            return False
        stop = m.end()
    else:
        nofind = state.env.setdefault("_excerptor_inline_noclose", {})
        cached = nofind.get(close)
        if cached is not None and cached[0] is src and pos >= cached[1]:
            return False
        found = src.find(close, pos + 2, state.posMax)
        if found < 0:
            nofind[close] = (src, pos)
            return False
        stop = found + len(close)
    if not silent:
        token = state.push("template_inline", "", 0)
        token.content = src[pos:stop]
    state.pos = stop
    return True


# --------------------------------------------------------------------------- inline text

_CJK_RANGES = (
    (0x2E80, 0x2FDF),
    (0x3000, 0x30FF),  # CJK punctuation, hiragana, katakana
    (0x3100, 0x31FF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xAC00, 0xD7AF),
    (0xF900, 0xFAFF),
    (0xFE30, 0xFE4F),
    (0xFF00, 0xFFEF),  # full-width forms, half-width katakana
    (0x20000, 0x3134F),
)


def _is_cjk(ch: str) -> bool:
    o = ord(ch)
    if o < 0x2E80:
        return False
    return any(lo <= o <= hi for lo, hi in _CJK_RANGES)


_URL_CHARS = r"[A-Za-z0-9\-._~:/?#\[\]@!$&'*+,;=%]"
# Parentheses inside a URL only when balanced; a URL alone in brackets goes with them.
_BARE_URL = rf"(?:(?:https?|ftp)://|www\.){_URL_CHARS}*(?:\({_URL_CHARS}*\){_URL_CHARS}*)*"
_URL = re.compile(rf"(?<!\])[(（][ \t]*{_BARE_URL}[ \t]*[)）]|{_BARE_URL}")
_DELIM_RUN = re.compile(r"\*+|_+")
_SPACES = re.compile(r"[ \t\r\n\f\v]+")
# A link whose destination was a Liquid/Hugo expression with spaces is not a link to
# CommonMark: ``[text]({{< ref "a.md" >}})`` leaves ``[text]()`` once the tag is dropped.
_EMPTY_LINK = re.compile(r"\[([^\[\]\n]*)\]\(\s*\)|\]\(\s*\)")
_RAW_TAG = re.compile(r"\{%-?\s*(?:end)?raw\s*-?%\}")
_BACKTICKS = re.compile(r"`{3,}")
_IMG_TAG = re.compile(r"<img\b", re.IGNORECASE)
_BR_TAG = re.compile(r"<br\b", re.IGNORECASE)

_TEXT, _RUN, _BREAK, _LITERAL = 0, 1, 2, 3
_PROTECT = "\ue000"  # stands in for literal pieces while cleaning up the joined text


@dataclass
class _Inline:
    text: str
    images: int
    toc: bool  # carries kramdown's {:toc}: the block is a placeholder for a generated TOC


def _render_inline(children: list[Token] | None) -> _Inline:
    """Plain text of an inline token's children."""
    parts: list[str] = []
    kinds: list[int] = []
    images = 0
    toc = False
    skip_until_close = False
    for tok in children or ():
        t = tok.type
        if skip_until_close:
            if t == "link_close":
                skip_until_close = False
            continue
        if t == "text":
            content = tok.content.replace(_PROTECT, "")
            if "://" in content or "www." in content:
                content = _URL.sub("", content)
            if "``" in content:  # unmatched backtick runs: markdown-it leaves them as text
                content = _BACKTICKS.sub("", content)
            last = 0
            for m in _DELIM_RUN.finditer(content):
                if m.start() > last:
                    parts.append(content[last : m.start()])
                    kinds.append(_TEXT)
                parts.append(m.group())
                kinds.append(_RUN)
                last = m.end()
            if last < len(content):
                parts.append(content[last:])
                kinds.append(_TEXT)
        elif t == "code_inline":
            content = tok.content.replace(_PROTECT, "")
            if "{%" in content:  # Jekyll runs Liquid before Markdown, even in code spans
                content = _RAW_TAG.sub("", content)
            parts.append(content)
            kinds.append(_LITERAL)
        elif t == "text_special":
            parts.append(tok.content.replace(_PROTECT, ""))
            kinds.append(_LITERAL)
        elif t == "softbreak" or t == "hardbreak":
            parts.append("\n")
            kinds.append(_BREAK)
        elif t == "image":
            images += 1
        elif t == "link_open":
            if tok.markup in ("autolink", "linkify"):
                skip_until_close = True
        elif t == "html_inline":
            images += len(_IMG_TAG.findall(tok.content))
            if _BR_TAG.match(tok.content):
                parts.append("\n")
                kinds.append(_BREAK)
        elif t == "template_inline":
            if tok.content.replace(" ", "") == "{:toc}":
                toc = True
        # everything else (emphasis open/close, footnote_ref, link_close, …) shows no text
    if not parts:
        return _Inline("", images, toc)
    _drop_leftover_delimiters(parts, kinds)
    return _Inline(_join(parts, kinds), images, toc)


def _drop_leftover_delimiters(parts: list[str], kinds: list[int]) -> None:
    """Pair the ``*``/``_`` runs markdown-it left as text and blank them (in place).

    kramdown and Hugo render ``次に、**「要点」**です`` bold although CommonMark's flanking
    rules do not; here a run may open when followed by non-space and close when preceded
    by non-space.  Runs between spaces (``5 * 3``) and ``_`` inside a Latin word
    (``snake_case_name``) are never markers; Japanese has no spaces, so ``と__強調__と``
    is.  Unpaired single markers stay as text, doubled ones go.
    """
    n = len(parts)
    prev_ch: list[str] = [""] * n
    next_ch: list[str] = [""] * n
    last = ""
    for i in range(n):
        prev_ch[i] = last
        if parts[i]:
            last = " " if kinds[i] == _BREAK else parts[i][-1]
    last = ""
    for i in range(n - 1, -1, -1):
        next_ch[i] = last
        if parts[i]:
            last = " " if kinds[i] == _BREAK else parts[i][0]
    stacks: dict[str, list[int]] = {"*": [], "_": []}
    unpaired: list[int] = []
    for i in range(n):
        if kinds[i] != _RUN:
            continue
        run, before, after = parts[i], prev_ch[i], next_ch[i]
        can_open = bool(after) and not after.isspace()
        can_close = bool(before) and not before.isspace()
        if run[0] == "_" and _is_word(before) and _is_word(after) and (before + after).isascii():
            can_open = can_close = False
        stack = stacks[run[0]]
        if can_close and stack:
            parts[stack.pop()] = ""
            parts[i] = ""
        elif can_open:
            stack.append(i)
        elif len(run) > 1 and (run[0] == "*" or can_close):
            unpaired.append(i)
    # An unmatched ``**`` (or ``__`` at a word edge) is markup nobody meant to show.
    for i in unpaired + stacks["*"] + stacks["_"]:
        if len(parts[i]) > 1:
            parts[i] = ""


def _is_word(ch: str) -> bool:
    return bool(ch) and (ch.isalnum() or ch == "_")


def _join(parts: list[str], kinds: list[int]) -> str:
    """Concatenate, resolving line breaks (none inside CJK text, a space between Latin words)."""
    out: list[str] = []
    literals: list[str] = []
    n = len(parts)
    # First character of the text that follows each position, for break resolution.
    following = [""] * (n + 1)
    for i in range(n - 1, -1, -1):
        following[i] = parts[i][0] if parts[i] and kinds[i] != _BREAK else following[i + 1]
    before = ""
    for i, part in enumerate(parts):
        if not part:
            continue
        kind = kinds[i]
        if kind == _BREAK:
            after = following[i + 1]
            if before and after and not (_is_cjk(before) or _is_cjk(after)):
                out.append(" ")
            continue
        if kind == _LITERAL:
            literals.append(part)
            out.append(_PROTECT)
        else:
            out.append(part)
        before = part[-1]
    text = "".join(out)
    if "](" in text:
        text = _EMPTY_LINK.sub(r"\1", text)
    text = _SPACES.sub(" ", text).strip()
    if literals:
        pieces = iter(literals)
        text = re.sub(_PROTECT, lambda _m: next(pieces), text)
        text = _SPACES.sub(" ", text).strip()
    return text


# --------------------------------------------------------------------------- block walk


def _lines(token: Token) -> tuple[int, int]:
    if token.map:
        start, end = token.map
        return start + 1, max(start + 1, end)
    return 0, 0


@dataclass
class _Item:
    texts: list[str]
    images: int = 0
    line: int = 0
    end_line: int = 0
    toc: bool = False


class _Walker:
    """One pass over the token stream, tracking the innermost container."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.containers: list[str] = []
        self.items: list[_Item] = []

    def walk(self, tokens: list[Token]) -> list[Block]:
        i, n = 0, len(tokens)
        while i < n:
            tok = tokens[i]
            t = tok.type
            if t == "paragraph_open" or t == "dt_open":
                line, end = _lines(tok)
                inline = tokens[i + 1] if i + 1 < n and tokens[i + 1].type == "inline" else None
                if inline is not None:
                    rendered = _render_inline(inline.children)
                    self._prose(rendered, line, end, term=t == "dt_open")
                    i += 1
            elif t == "heading_open":
                self._flush_item()
                line, end = _lines(tok)
                if i + 1 < n and tokens[i + 1].type == "inline":
                    rendered = _render_inline(tokens[i + 1].children)
                    if rendered.text or rendered.images:
                        self._add("heading", rendered.text, line, end, rendered.images)
                    i += 1
            elif t in ("fence", "code_block", "template_code", "math_block"):
                self._flush_item()
                line, end = _lines(tok)
                code = tok.content
                if "{%" in code:
                    code = _RAW_TAG.sub("", code)
                code = code.strip("\n")
                if code.strip():
                    self.blocks.append(Block("code", code, line, end))
            elif t == "table_open":
                self._flush_item()
                i = self._table(tokens, i)
            elif t == "html_block":
                images = len(_IMG_TAG.findall(tok.content))
                if images:
                    self._flush_item()
                    line, end = _lines(tok)
                    self._add("paragraph", "", line, end, images)
            elif t == "list_item_open":
                self._flush_item()
                self.containers.append("list_item")
                self.items.append(_Item([]))
            elif t == "list_item_close":
                self._flush_item()
                self._pop("list_item")
                if self.items:
                    self.items.pop()
            elif t in ("bullet_list_open", "ordered_list_open", "dl_open"):
                self._flush_item()
            elif t == "blockquote_open":
                self._flush_item()
                self.containers.append("blockquote")
            elif t == "blockquote_close":
                self._pop("blockquote")
            elif t == "footnote_open":
                self.containers.append("footnote")
            elif t == "footnote_close":
                self._pop("footnote")
            elif t == "dd_open":
                self.containers.append("dd")
            elif t == "dd_close":
                self._pop("dd")
            i += 1
        return self.blocks

    def _pop(self, name: str) -> None:
        if self.containers and self.containers[-1] == name:
            self.containers.pop()

    def _add(self, kind: BlockKind, text: str, line: int, end: int, images: int = 0) -> None:
        self.blocks.append(Block(kind, text, line, end, images))

    def _prose(self, r: _Inline, line: int, end: int, term: bool = False) -> None:
        where = self.containers[-1] if self.containers else ""
        if where == "list_item" and self.items:
            item = self.items[-1]
            if r.text:
                item.texts.append(r.text)
            item.images += r.images
            item.toc = item.toc or r.toc
            item.line = item.line or line
            item.end_line = max(item.end_line, end)
            return
        if r.toc or not (r.text or r.images):
            return
        kind: BlockKind
        if where == "blockquote":
            kind = "blockquote"
        elif where == "footnote":
            kind = "footnote"
        elif term:
            kind = "heading"  # a definition-list term is a label, not a sentence
        else:
            kind = "paragraph"
        self._add(kind, r.text, line, end, r.images)

    def _flush_item(self) -> None:
        """Emit the text gathered so far for the innermost list item, if any."""
        if not self.items or not self.containers or self.containers[-1] != "list_item":
            return
        item = self.items[-1]
        if (item.texts or item.images) and not item.toc:
            self._add("list_item", "\n".join(item.texts), item.line, item.end_line, item.images)
        self.items[-1] = _Item([])

    def _table(self, tokens: list[Token], i: int) -> int:
        line, end = _lines(tokens[i])
        rows: list[str] = []
        cells: list[str] = []
        images = 0
        n = len(tokens)
        i += 1
        while i < n and tokens[i].type != "table_close":
            t = tokens[i].type
            if t == "inline":
                r = _render_inline(tokens[i].children)
                images += r.images
                if r.text:
                    cells.append(r.text)
            elif t == "tr_close":
                if cells:
                    rows.append(" ".join(cells))
                cells = []
            i += 1
        if rows or images:
            self._add("table", "\n".join(rows), line, end, images)
        return i
