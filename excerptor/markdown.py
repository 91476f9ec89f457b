"""Markdown body → blocks of plain text (stage 1 of the pipeline).

``parse`` walks markdown-it-py's token stream (CommonMark + tables + strikethrough,
footnotes and definition lists from mdit-py-plugins, and two small rules of our own
for Liquid/Hugo shortcodes and kramdown attribute lists) and keeps what a reader of
the rendered page sees:

* headings, paragraphs, list items (one block per item, without its sub-items; the
  paragraphs of one item joined by a newline), blockquote paragraphs as plain text;
  the innermost container decides the kind (a list inside a quote gives
  ``list_item`` blocks). Definition-list terms are ``heading``s, definitions
  ``paragraph``s. A soft break between Latin words is a space; next to CJK text it
  ends a unit (kept as ``"\\n"``) unless the line visibly wraps (ends with ``、``); a
  hard break or ``<br>`` always ends a unit;
* HTML blocks, and whole-HTML bodies (``.html`` posts, ``<div><p>…</p></div>``), through
  :mod:`excerptor.htmltext` (headings, list items, tables, quotes, ``<pre>`` code; script,
  style and comments invisible); inline tags keep the text between them, block tags
  end a unit, inline ``<script>``/``<style>`` content is dropped;
* Zenn/Qiita/Docusaurus ``:::name … :::`` containers keep their text (a
  ``:::details 題`` title is a ``heading``); Zenn ``@[card](url)`` embeds, MDX
  ``import``/``export`` statements and component tags alone on a line are dropped;
* fenced/indented code, ``{% highlight %}…{% endhighlight %}`` and Hugo
  ``{{< highlight >}}``/``mermaid``/``chart`` shortcodes as ``code`` blocks (counted
  for reading time, never summary candidates);
* tables as ``table`` blocks: cells joined by a space, rows by a newline;
* footnote definitions as ``footnote`` blocks at the end of the document (where the
  page shows them): counted for reading time, not summary candidates;
* images counted in ``Block.images`` (alt text left out); ``<img>`` tags in HTML too.
  A paragraph, or an HTML block, of only images gives a block with text ``""``.

Left out: HTML markup and invisible elements, Liquid
``{% %}``/``{{ }}``, Hugo ``{{< >}}``/``{{% %}}``, kramdown ``{: …}`` IALs (a list
item carrying ``{:toc}`` is the TOC placeholder and is dropped), footnote markers,
link URLs, autolinks and bare URLs, and emphasis markers, including the ``**`` that
CommonMark's flanking rules leave around Japanese punctuation (``、**「要点」**``).
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

from . import htmltext

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
    try:
        tokens = _parser().parse(markdown, {})
    except RecursionError:  # defensive: markdown-it caps nesting, so this should not happen
        return Document(())
    if _is_html_body(tokens):
        return Document(tuple(_html_blocks(markdown, 1)))
    return Document(tuple(_Walker().walk(tokens)))


# --------------------------------------------------------------------------- parser


@cache
def _parser() -> MarkdownIt:
    """The one configured MarkdownIt (read-only once built; markdown-it keeps no state
    between ``parse`` calls other than its ``env`` argument)."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.container import container_plugin
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
    # Zenn ``:::message`` / ``:::details 題``, Qiita ``:::note info``, Docusaurus ``:::tip``:
    # one container rule for every name; the text inside is parsed as Markdown as usual.
    md.use(container_plugin, name="notation", validate=_container_name)
    md.block.ruler.before(
        "fence",
        "template_code",
        _template_code_rule,
        {"alt": ["paragraph", "reference", "blockquote", "list"]},
    )
    md.block.ruler.before("paragraph", "mdx_esm", _mdx_esm_rule)
    md.block.ruler.before("paragraph", "mdx_jsx", _jsx_line_rule)
    md.inline.ruler.after("newline", "template_inline", _template_inline_rule)
    md.inline.ruler.before("link", "embed", _embed_rule)
    md.core.ruler.before("inline", "template_destinations", _template_destinations)
    return md


_CONTAINER = re.compile(r"\s*[A-Za-z][\w-]*(?:\s.*)?\Z")


def _container_name(params: str, markup: str) -> bool:
    return bool(_CONTAINER.match(params))


# MDX/Astro ESM: ``import X from '…'``, ``import '…'``, ``export const …`` at the top level.
_ESM = re.compile(
    r"(?:import\s+(?:[\w$*{][^\n]*?\bfrom\s*|)['\"]"
    r"|export\s+(?:const|let|var|function|default|class|async|type|interface)\b|export\s*[{*])"
)


def _mdx_esm_rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """MDX ``import``/``export`` statements, up to the next blank line → a dropped token."""
    # (not state.parentType: markdown-it's lheading rule may leave it set to "paragraph")
    if state.sCount[start] != 0 or state.level != 0 or state.blkIndent != 0:
        return False
    pos = state.bMarks[start]
    if state.src[pos : pos + 1] not in ("i", "e"):
        return False
    if not _ESM.match(state.src, pos, state.eMarks[start]):
        return False
    if silent:
        return True
    last = start + 1
    while last < end and not state.isEmpty(last):
        last += 1
    token = state.push("mdx_esm", "", 0)
    token.map = [start, last]
    state.line = last
    return True


# An MDX/Astro component tag alone on a line that CommonMark does not take for HTML
# (``<Chart data={[1, 2]} />``: JSX expressions in attributes).
_JSX_LINE = re.compile(r"[ \t]*</?[A-Z][\w.]*(?:\s[^\n]*)?/?>[ \t]*\Z")


def _jsx_line_rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    pos = state.bMarks[start] + state.tShift[start]
    if state.is_code_block(start) or state.src[pos : pos + 1] != "<":
        return False
    if not _JSX_LINE.match(state.src[pos : state.eMarks[start]]):
        return False
    if not silent:
        state.push("mdx_jsx", "", 0).map = [start, start + 1]
    state.line = start + 1
    return True


# Zenn embeds: ``@[card](url)``, ``@[youtube](id)``, ``@[tweet](url)``, ``@[speakerdeck](id)``.
_EMBED = re.compile(r"@\[[A-Za-z][\w-]*\]\([^()\s]*\)")


def _embed_rule(state: StateInline, silent: bool) -> bool:
    if state.src[state.pos] != "@":
        return False
    m = _EMBED.match(state.src, state.pos, state.posMax)
    if not m:
        return False
    if not silent:
        state.push("template_inline", "", 0).content = m.group()
    state.pos = m.end()
    return True


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
_TAG_NAME = re.compile(r"<(/?)([A-Za-z][\w-]*)")

_TEXT, _RUN, _BREAK, _LITERAL, _UNIT = 0, 1, 2, 3, 4
_PROTECT = "\ue000"  # stands in for literal pieces while cleaning up the joined text
_UNIT_MARK = "\ue001"  # stands in for a unit break (kept as "\n") while cleaning up
_UNIT_RUN = re.compile("[ \ue001]*\ue001[ \ue001]*")
# A soft break after these continues the sentence (a wrapped line), before these too.
_CONTINUES_AFTER = frozenset("、，,・（(「『【〈《[{-–—〜～")
_CONTINUES_BEFORE = frozenset("、。，．,.）)」』】〉》]}！？!?…ー〜～")


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
    skip_html = ""  # inside <script>, <style>, … written inline: nothing shows
    for tok in children or ():
        t = tok.type
        if skip_html:
            if t == "html_inline" and tok.content[:2] == "</":
                m = _TAG_NAME.match(tok.content)
                if m and m.group(2).lower() == skip_html:
                    skip_html = ""
            continue
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
        elif t == "softbreak":
            parts.append("\n")
            kinds.append(_BREAK)
        elif t == "hardbreak":
            parts.append("\n")
            kinds.append(_UNIT)
        elif t == "image":
            images += 1
        elif t == "link_open":
            if tok.markup in ("autolink", "linkify"):
                skip_until_close = True
        elif t == "html_inline":
            images += len(_IMG_TAG.findall(tok.content))
            m = _TAG_NAME.match(tok.content)
            name = m.group(2).lower() if m else ""
            if name in htmltext.INVISIBLE and not m.group(1) and not tok.content.endswith("/>"):
                skip_html = name
            elif name == "br" or name in htmltext.BLOCK_TAGS or (m and m.group(2)[0].isupper()):
                parts.append("\n")
                kinds.append(_UNIT)
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
            last = " " if kinds[i] in (_BREAK, _UNIT) else parts[i][-1]
    last = ""
    for i in range(n - 1, -1, -1):
        next_ch[i] = last
        if parts[i]:
            last = " " if kinds[i] in (_BREAK, _UNIT) else parts[i][0]
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
    """Concatenate, resolving line breaks.

    A soft break between Latin words is a space.  Next to CJK text it ends a unit (kept as
    ``"\\n"``, where sentence splitting breaks): in Japanese writing a line break after
    unpunctuated text ends a heading-like line, a label or a link on its own line.  Only a
    wrapped line, one that ends with ``、`` or an opening bracket or whose next line starts
    with closing punctuation, is joined.  Hard breaks and ``<br>`` always end a unit.
    """
    out: list[str] = []
    literals: list[str] = []
    n = len(parts)
    # First character of the text that follows each position, for break resolution.
    following = [""] * (n + 1)
    for i in range(n - 1, -1, -1):
        brk = kinds[i] == _BREAK or kinds[i] == _UNIT
        following[i] = parts[i][0] if parts[i] and not brk else following[i + 1]
    before = ""
    for i, part in enumerate(parts):
        if not part:
            continue
        kind = kinds[i]
        if kind == _BREAK or kind == _UNIT:
            after = following[i + 1]
            if not (before and after):
                continue
            if kind == _UNIT or (
                (_is_cjk(before) or _is_cjk(after))
                and before not in _CONTINUES_AFTER
                and after not in _CONTINUES_BEFORE
            ):
                out.append(_UNIT_MARK)
                before = ""
            elif not (_is_cjk(before) or _is_cjk(after)):
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
    if _UNIT_MARK in text:
        text = _UNIT_RUN.sub("\n", text).strip()
    return text


# --------------------------------------------------------------------------- block walk

# ``:::message alert``, ``:::note warn``: a style, not a title (``:::details 題`` has one).
_CONTAINER_KEYWORDS = frozenset(
    "alert info warn warning danger caution tip note success error important".split()
)


def _inline_tokens(text: str) -> list[Token]:
    """The inline children of a one-line text (a container's title)."""
    tokens = _parser().parseInline(text, {})
    return tokens[0].children or [] if tokens else []


_HTML_BODY_BLOCKS = frozenset(
    {"html_block", "code_block", "paragraph_open", "paragraph_close", "inline"}
)
_MARKDOWN_INLINE = frozenset(
    {"em_open", "strong_open", "s_open", "image", "code_inline", "footnote_ref"}
)


def _is_html_body(tokens: list[Token]) -> bool:
    """Whether the body is HTML written as such (an ``.html`` post, a blog export whose body
    is ``<div><p>…</p></div>``) rather than Markdown with some HTML in it: it opens with an
    HTML block, and nothing outside HTML uses Markdown.  Such a body is read as one HTML
    document: a blank line or an indented line inside it is not Markdown's paragraph end
    or code block (kramdown, Jekyll's converter, reads block HTML the same way)."""
    first = next((t for t in tokens if t.type not in ("mdx_esm", "mdx_jsx")), None)
    if first is None or first.type != "html_block" or not first.content.lstrip().startswith("<"):
        return False
    for tok in tokens:
        if tok.type not in _HTML_BODY_BLOCKS:
            return False
        if tok.type == "inline":
            for child in tok.children or ():
                if child.type in _MARKDOWN_INLINE:
                    return False
                if child.type == "link_open" and child.markup not in ("autolink", "linkify"):
                    return False
        elif tok.type == "code_block":
            code = tok.content.lstrip()
            if not (code.startswith("<") or any(_is_cjk(ch) for ch in code[:200])):
                return False
    return True


def _html_blocks(source: str, first_line: int) -> list[Block]:
    units = htmltext.units(source, first_line, _markdown_units)
    return [Block(u.kind, *u[1:]) for u in units]  # type: ignore[arg-type]


def _markdown_units(text: str, line: int) -> list[htmltext.Unit]:
    """Markdown found inside HTML (after a closed tag, or in ``markdown="1"``), as units."""
    lines = text.split("\n")
    skip = 0
    while skip < len(lines) - 1 and not lines[skip].strip():
        skip += 1
    body = "\n".join(lines[skip:])
    try:
        tokens = _parser().parse(textwrap.dedent(body), {})
    except RecursionError:
        return []
    offset = line + skip - 1
    return [
        htmltext.Unit(b.kind, b.text, b.line + offset, b.end_line + offset, b.images)
        for b in _Walker().walk(tokens)
    ]


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


_UNSPACED_HEADING = re.compile(r"#{1,6}[^\s#][^\n]*\Z")


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
                    if not self.containers and _UNSPACED_HEADING.match(inline.content):
                        # ``##概要`` renders as a paragraph in CommonMark and GFM, but the
                        # author meant a heading: a label, not a sentence to excerpt.
                        self._add("heading", rendered.text.lstrip("#").strip(), line, end)
                    else:
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
                self._html(tok)
            elif t == "container_notation_open":
                self._flush_item()
                name, _, label = tok.info.strip().partition(" ")
                label = label.strip()
                if label and label.lower() not in _CONTAINER_KEYWORDS:
                    line, end = _lines(tok)
                    self._add("heading", _render_inline(_inline_tokens(label)).text, line, line)
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

    def _html(self, tok: Token) -> None:
        line, _ = _lines(tok)
        for unit in htmltext.units(tok.content, line or 1, _markdown_units):
            if unit.kind == "paragraph":
                self._prose(_Inline(unit.text, unit.images, False), unit.line, unit.end_line)
            else:
                self._flush_item()
                self.blocks.append(Block(unit.kind, *unit[1:]))  # type: ignore[arg-type]

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
