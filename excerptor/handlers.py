"""Front-matter formats, as python-frontmatter handlers: Jekyll's ``---`` YAML and Hugo's
``+++`` TOML.

Each handler finds its front matter the way the site generator does, loads it safely and
reports a :class:`Layout`: where each top-level field's value is, so that
:mod:`excerptor.patcher` can replace exactly those bytes. YAML front matter is found as Jekyll
finds it (``\\A(---\\s*\\n.*?\\n?)^((---|\\.\\.\\.)\\s*$\\n?)``): the first line that is only
``---`` or ``...`` closes it, even inside a block scalar. A lone CR inside the front matter is
refused: YAML reads it as a line break, Jekyll's delimiter search does not.

YAML is loaded with a SafeLoader whose composer bounds depth, node count and alias use. A key
given twice is accepted with Jekyll's (Psych's) semantics, the last value wins; the layout
records both lines, and the patcher refuses to write such a key.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from typing import Any

import yaml
from frontmatter.default_handlers import BaseHandler

from .errors import ExcerptorError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

MAX_FRONT_MATTER = 1_000_000  # characters between the delimiters
MAX_DEPTH = 64  # nesting levels of YAML collections
MAX_ALIASES = 100  # YAML alias uses (*name)
MAX_NODES = 100_000  # YAML nodes, counting every alias expansion (billion laughs)


@dataclass(frozen=True)
class Layout:
    """Where things are in a post's text: all offsets are string indices."""

    content_start: int  # first character after the opening delimiter line
    content_end: int  # start of the closing delimiter line
    fields: dict[str, tuple[int, int]]  # top-level key -> its value's span (the last, if twice)
    blocks: frozenset[str]  # keys whose value is a YAML block scalar (| or >)
    locked: dict[str, str]  # top-level key -> why its value cannot be replaced
    insert_at: int  # where a missing key's line goes
    indent: str  # indentation of top-level keys
    no_insert: str | None  # why a missing key cannot be added
    duplicates: dict[str, tuple[int, int]] = field(default_factory=dict)  # key -> its 2 lines


# --------------------------------------------------------------------------- helpers

_WS = "[ \\t\\r\\n\\f\\v]"  # Ruby's \s (ASCII only), as in Jekyll's regex
_LONE_CR = re.compile(r"\r(?!\n)")


def _line_of(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def _one_line(message: object) -> str:
    return " ".join(str(message).split())


def _line_end(text: str, i: int, end: int) -> int:
    """Index of the line break ending the line that holds ``i`` (or ``end``)."""
    j = text.find("\n", i, end)
    if j < 0:
        return end
    return j - 1 if j > i and text[j - 1] == "\r" else j


# --------------------------------------------------------------------------- YAML


class Refused(Exception):
    """Front matter that cannot be read safely; the message is the one-line reason."""


class _LimitedLoader(yaml.SafeLoader):
    """SafeLoader whose composer bounds depth, node count and alias use."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._aliases = 0
        self._nodes = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise Refused(f"front matter uses more than {MAX_ALIASES} YAML aliases")
        else:  # refuse a huge document before composing all of it (pure-Python YAML is slow)
            self._nodes += 1
            if self._nodes > MAX_NODES:
                raise Refused(f"front matter expands to more than {MAX_NODES} YAML nodes")
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise Refused(f"front matter is nested deeper than {MAX_DEPTH} levels")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _graph_stats(root: yaml.Node) -> dict[int, int]:
    """References per node; refuses recursive or exploding (billion laughs) graphs."""
    refs: dict[int, int] = {}
    sizes: dict[int, int] = {}
    active: set[int] = set()

    def size(node: yaml.Node) -> int:
        key = id(node)
        refs[key] = refs.get(key, 0) + 1
        if key in sizes:
            return sizes[key]
        if key in active:
            raise Refused("front matter has a recursive YAML alias")
        active.add(key)
        total = 1
        if isinstance(node, yaml.SequenceNode):
            for child in node.value:
                total += size(child)
        elif isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                total += size(k) + size(v)
        if total > MAX_NODES:
            raise Refused(f"front matter expands to more than {MAX_NODES} YAML nodes")
        active.discard(key)
        sizes[key] = total
        return total

    size(root)
    return refs


def _yaml_error(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or getattr(exc, "context", None)
    if isinstance(exc, yaml.constructor.ConstructorError) and "tag" in str(problem):
        what = "front matter uses an unsupported or unsafe YAML tag"
    else:
        what = "front matter is not valid YAML"
    if isinstance(exc, yaml.reader.ReaderError):
        return f"{what}: {_one_line(exc)}"
    where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
    return f"{what}{where}: {_one_line(problem or exc)}"


_BLOCK_HEADER_COMMENT = re.compile(r"[ \t]+#[^\n\r]*")
_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")

# Characters PyYAML's reader accepts raw; anything else is escaped.
_YAML_PRINTABLE = re.compile(
    "[\x20-\x7e\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)
_YAML_ESCAPES = {
    "\\": "\\\\",
    '"': '\\"',
    "\n": "\\n",
    "\t": "\\t",
    "\r": "\\r",
    "\0": "\\0",
    "\x07": "\\a",
    "\x08": "\\b",
    "\x0b": "\\v",
    "\x0c": "\\f",
    "\x1b": "\\e",
    "\x85": "\\N",
    "\u2028": "\\L",
    "\u2029": "\\P",
}


def yaml_quote(value: str) -> str:
    """A double-quoted YAML scalar for ``value``; non-ASCII text stays as it is."""
    out = []
    for ch in value:
        if ch in _YAML_ESCAPES:
            out.append(_YAML_ESCAPES[ch])
        elif _YAML_PRINTABLE.match(ch):
            out.append(ch)
        elif ord(ch) <= 0xFF:
            out.append(f"\\x{ord(ch):02X}")
        elif ord(ch) <= 0xFFFF:
            out.append(f"\\u{ord(ch):04X}")
        else:  # pragma: no cover - every astral character is printable
            out.append(f"\\U{ord(ch):08X}")
    return '"' + "".join(out) + '"'


class _Delimited(BaseHandler):
    """python-frontmatter's handler, located by ``OPENING`` and ``FM_BOUNDARY`` (group 1: the
    opening line and the front matter; then the closing line)."""

    OPENING: re.Pattern[str]
    FM_BOUNDARY: re.Pattern[str]

    def detect(self, text: str) -> bool:
        return bool(self.OPENING.match(text))

    def split(self, text: str) -> tuple[str, str]:
        m = self.FM_BOUNDARY.match(text)
        if not m:
            raise ExcerptorError(
                f"front matter opened with {self.START_DELIMITER} on line 1 is never closed"
            )
        return text[text.index("\n") + 1 : m.end(1)], text[m.end() :]


class YAMLHandler(_Delimited):
    """Jekyll's ``---`` front matter: located like Jekyll, loaded with a bounded SafeLoader."""

    FM_BOUNDARY = re.compile(
        rf"\A(---{_WS}*\n.*?\n?)^((?:---|\.\.\.){_WS}*$\n?)", re.MULTILINE | re.DOTALL
    )
    OPENING = re.compile(rf"---{_WS}*\n")
    START_DELIMITER = END_DELIMITER = "---"
    format = "yaml"

    def load(self, fm: str, **kwargs: object) -> dict[str, Any]:
        """Parse YAML front matter text (between the delimiters) safely."""
        try:
            return self._parse(fm)[0]
        except Refused as exc:
            raise ExcerptorError(str(exc)) from None

    def export(self, metadata: dict[str, object], **kwargs: object) -> str:
        raise NotImplementedError("excerptor patches front matter; it never re-serialises it")

    def value(self, value: str | int) -> str:
        return yaml_quote(value) if isinstance(value, str) else str(value)

    def entry(self, key: str, value: str | int, indent: str, newline: str) -> str:
        name = key if _PLAIN_KEY.match(key) else yaml_quote(key)
        return f"{indent}{name}: {self.value(value)}{newline}"

    def replacement(self, text: str, start: int, end: int, value: str | int) -> tuple[int, str]:
        """End of the span to replace and the new text for a value at ``text[start:end]``."""
        new = self.value(value)
        if start == end:  # empty (null) value: `key:` or `key: # comment`
            return end, new if text[start - 1 : start] in (" ", "\t") else " " + new
        return end, new

    def block_replacement(
        self, text: str, start: int, end: int, value: str | int
    ) -> tuple[int, str]:
        """Like :meth:`replacement` for a block scalar: keeps its header comment and the blank
        lines after it (PyYAML's span includes them)."""
        span = text[start:end]
        first_line = re.split(r"\r?\n", span, maxsplit=1)[0]
        comment = _BLOCK_HEADER_COMMENT.search(first_line)
        stripped = span.rstrip(" \t\r\n")
        return start + len(stripped), self.value(value) + (comment.group(0) if comment else "")

    def _parse(self, source: str) -> tuple[dict[str, Any], yaml.Node | None, dict, list, dict]:
        """Metadata, root node, references per node, top-level (key, value) node pairs and the
        keys given twice (key -> (first line, last line))."""
        try:
            loader = _LimitedLoader(source)  # its reader refuses NUL and other control characters
        except yaml.YAMLError as exc:
            raise Refused(_yaml_error(exc)) from None
        try:
            root = loader.get_single_node()
            if isinstance(root, yaml.ScalarNode) and root.tag == "tag:yaml.org,2002:null":
                root = None  # empty front matter (`---` reads as an empty document)
            refs = _graph_stats(root) if root is not None else {}
            if root is None:
                return {}, None, refs, [], {}
            if not isinstance(root, yaml.MappingNode):
                kind = "list" if isinstance(root, yaml.SequenceNode) else "scalar"
                raise Refused(f"front matter is a {kind}, not a mapping of keys to values")
            seen: dict[Any, int] = {}
            duplicates: dict[Any, tuple[int, int]] = {}
            for key_node, _ in root.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                line = key_node.start_mark.line + 1
                if not isinstance(key_node, yaml.ScalarNode):
                    raise Refused(f"front matter has a complex (non-scalar) key on line {line}")
                key = loader.construct_object(key_node)
                if key in seen:  # Jekyll (Psych) and Hugo take the last value
                    duplicates[key] = (duplicates.get(key, (seen[key],))[0], line)
                seen[key] = line
            # Spans must be read before construction: merge keys rewrite the node in place.
            spans = [(k, v) for k, v in root.value if k.tag != "tag:yaml.org,2002:merge"]
            metadata = loader.construct_document(root)
        except yaml.YAMLError as exc:
            raise Refused(_yaml_error(exc)) from None
        except RecursionError:
            raise Refused(f"front matter is nested deeper than {MAX_DEPTH} levels") from None
        except (ValueError, TypeError, IndexError, OverflowError) as exc:
            # PyYAML's constructors raise these for e.g. `!!int ''` or `!!float x`.
            raise Refused(
                f"front matter has a value YAML cannot read ({type(exc).__name__}: "
                f"{_one_line(exc)[:100]})"
            ) from None
        finally:
            loader.dispose()
        if not isinstance(metadata, dict):  # pragma: no cover - guarded above
            raise Refused("front matter is not a mapping")
        return metadata, root, refs, spans, duplicates

    def layout(self, text: str) -> tuple[dict[str, Any], Layout, int] | None:
        """Metadata, layout and body start of ``text``, or None when it is not YAML front matter."""
        if not self.detect(text):
            return None
        m = self.FM_BOUNDARY.match(text)
        if not m:
            raise Refused("front matter opened with --- on line 1 is never closed")
        content_start = text.index("\n") + 1
        content_end = m.end(1)
        _check_size_and_cr(text, content_start, content_end)
        # Parse from offset 0 (the opening --- is a YAML document start), so that marks are
        # indices into ``text`` and line numbers are the file's.
        metadata, root, refs, pairs, duplicates = self._parse(text[:content_end])
        fields: dict[str, tuple[int, int]] = {}
        blocks: set[str] = set()
        locked: dict[str, str] = {}
        indent, no_insert = "", None
        if root is not None:
            indent = " " * root.start_mark.column
            if root.flow_style:
                no_insert = "front matter is a flow-style {…} mapping; cannot add a key to it"
            for key_node, value_node in pairs:
                key = key_node.value if key_node.tag == "tag:yaml.org,2002:str" else None
                if not isinstance(key, str):
                    continue
                fields[key] = (value_node.start_mark.index, value_node.end_mark.index)
                if isinstance(value_node, yaml.ScalarNode) and value_node.style in ("|", ">"):
                    blocks.add(key)
                if refs.get(id(value_node), 0) > 1:
                    locked[key] = f"`{key}` is a YAML anchor used elsewhere"
        layout = Layout(
            content_start,
            content_end,
            fields,
            frozenset(blocks),
            locked,
            content_end,
            indent,
            no_insert,
            {k: v for k, v in duplicates.items() if isinstance(k, str)},
        )
        return metadata, layout, m.end()


# --------------------------------------------------------------------------- TOML

_TOML_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def toml_quote(value: str) -> str:
    """A TOML basic string for ``value``."""
    out = []
    for ch in value:
        code = ord(ch)
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch in "\b\t\n\f\r":
            out.append({"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}[ch])
        elif code < 0x20 or code == 0x7F or ch in "\x85\u2028\u2029":  # no raw line breaks
            out.append(f"\\u{code:04X}")
        elif 0xD800 <= code <= 0xDFFF:
            raise ExcerptorError("text holds a lone surrogate character; TOML cannot store it")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


class _TomlScanner:
    """Finds the top-level ``key = value`` statements of TOML text (before any [table])."""

    def __init__(self, text: str, start: int, end: int) -> None:
        self.text, self.i, self.end = text, start, end

    def fail(self, what: str) -> Refused:
        return Refused(
            f"could not read TOML front matter ({what} on line {_line_of(self.text, self.i)})"
        )

    def skip_ws(self) -> None:
        while self.i < self.end and self.text[self.i] in " \t":
            self.i += 1

    def statements(self) -> tuple[list[tuple[list[str], int, int]], int | None]:
        """(dotted key, value start, value end) per top-level statement; end of the last one."""
        t, out, last = self.text, [], None
        while self.i < self.end:
            c = t[self.i]
            if c in " \t\r\n":
                self.i += 1
            elif c == "#":
                self.i = _line_end(t, self.i, self.end)
            elif c == "[":
                break
            else:
                key = self.key()
                self.skip_ws()
                if self.i >= self.end or t[self.i] != "=":
                    raise self.fail("expected '='")
                self.i += 1
                self.skip_ws()
                start = self.i
                self.value()
                out.append((key, start, self.i))
                self.skip_ws()
                if self.i < self.end and t[self.i] == "#":
                    self.i = _line_end(t, self.i, self.end)
                if t.startswith("\r\n", self.i):
                    self.i += 2
                elif self.i < self.end and t[self.i] == "\n":
                    self.i += 1
                elif self.i < self.end:
                    raise self.fail("unexpected text after a value")
                last = self.i
        return out, last

    def key(self) -> list[str]:
        parts = []
        while True:
            self.skip_ws()
            t, i = self.text, self.i
            if i < self.end and t[i] in "\"'":
                self.string()
                parts.append(tomllib.loads(f"k = {t[i : self.i]}")["k"])
            else:
                m = _TOML_BARE_KEY.match(t, i, self.end)
                if not m:
                    raise self.fail("expected a key")
                parts.append(m.group(0))
                self.i = m.end()
            self.skip_ws()
            if self.i < self.end and t[self.i] == ".":
                self.i += 1
                continue
            return parts

    def string(self) -> None:
        t, i = self.text, self.i
        q = t[i]
        if t.startswith(q * 3, i):
            j = i + 3
            while True:
                if j >= self.end:
                    raise self.fail("unclosed string")
                if q == '"' and t[j] == "\\":
                    j += 2
                elif t.startswith(q * 3, j):
                    run = 3
                    while run < 5 and j + run < self.end and t[j + run] == q:
                        run += 1
                    self.i = j + run
                    return
                else:
                    j += 1
        j = i + 1
        while j < self.end and t[j] != q and t[j] != "\n":
            j += 2 if (q == '"' and t[j] == "\\") else 1
        if j >= self.end or t[j] != q:
            raise self.fail("unclosed string")
        self.i = j + 1

    def value(self) -> None:
        t = self.text
        if self.i >= self.end:
            raise self.fail("missing value")
        c = t[self.i]
        if c in "\"'":
            self.string()
        elif c in "[{":
            depth = 0
            while self.i < self.end:
                c = t[self.i]
                if c in "\"'":
                    self.string()
                    continue
                if c == "#":
                    self.i = _line_end(t, self.i, self.end)
                    continue
                if c in "[{":
                    depth += 1
                elif c in "]}":
                    depth -= 1
                    if depth == 0:
                        self.i += 1
                        return
                self.i += 1
            raise self.fail("unclosed array or table")
        else:  # number, bool, date: the rest of the line up to a comment
            stop = _line_end(t, self.i, self.end)
            hash_at = t.find("#", self.i, stop)
            stop = hash_at if hash_at >= 0 else stop
            while stop > self.i and t[stop - 1] in " \t":
                stop -= 1
            self.i = stop


class TOMLHandler(_Delimited):
    """Hugo's ``+++`` front matter, loaded with tomllib."""

    FM_BOUNDARY = re.compile(
        r"\A(\+\+\+[ \t]*\r?\n.*?\n?)^(\+\+\+[ \t]*\r?$\n?)", re.MULTILINE | re.DOTALL
    )
    OPENING = re.compile(r"\+\+\+[ \t]*\r?\n")
    START_DELIMITER = END_DELIMITER = "+++"
    format = "toml"

    def load(self, fm: str, **kwargs: object) -> dict[str, Any]:
        try:
            return tomllib.loads(fm)
        except tomllib.TOMLDecodeError as exc:
            raise ExcerptorError(f"front matter is not valid TOML: {_one_line(exc)}") from None

    def export(self, metadata: dict[str, object], **kwargs: object) -> str:
        raise NotImplementedError("excerptor patches front matter; it never re-serialises it")

    def value(self, value: str | int) -> str:
        return toml_quote(value) if isinstance(value, str) else str(value)

    def entry(self, key: str, value: str | int, indent: str, newline: str) -> str:
        name = key if _TOML_BARE_KEY.fullmatch(key) else toml_quote(key)
        return f"{name} = {self.value(value)}{newline}"

    def replacement(self, text: str, start: int, end: int, value: str | int) -> tuple[int, str]:
        return end, self.value(value)

    def layout(self, text: str) -> tuple[dict[str, Any], Layout, int] | None:
        if not self.detect(text):
            return None
        m = self.FM_BOUNDARY.match(text)
        if not m:
            raise Refused("front matter opened with +++ on line 1 is never closed")
        content_start = text.index("\n") + 1
        content_end = m.end(1)
        _check_size_and_cr(text, content_start, content_end)
        try:
            metadata = tomllib.loads(text[content_start:content_end])
        except tomllib.TOMLDecodeError as exc:
            msg = str(exc)
            found = re.search(r"line (\d+)", msg)
            if found:  # tomllib counts from the first line after +++
                line = int(found.group(1)) + _line_of(text, content_start) - 1
                msg = msg[: found.start()] + f"line {line}" + msg[found.end() :]
            raise Refused(f"front matter is not valid TOML: {_one_line(msg)}") from None
        statements, last = _TomlScanner(text, content_start, content_end).statements()
        fields = {key[0]: (start, end) for key, start, end in statements if len(key) == 1}
        layout = Layout(
            content_start,
            content_end,
            fields,
            frozenset(),
            {},
            last if last is not None else content_start,
            "",
            None,
        )
        return metadata, layout, m.end()


def _check_size_and_cr(text: str, start: int, end: int) -> None:
    if end - start > MAX_FRONT_MATTER:
        raise Refused(f"front matter is longer than {MAX_FRONT_MATTER:,} characters")
    cr = _LONE_CR.search(text, 0, end)
    if cr:
        raise Refused(
            f"front matter has a lone CR line break on line {_line_of(text, cr.start())};"
            " use LF or CRLF"
        )


HANDLERS: tuple[YAMLHandler | TOMLHandler, ...] = (YAMLHandler(), TOMLHandler())


def by_format(name: str) -> YAMLHandler | TOMLHandler:
    """The handler of a format name (``"yaml"`` or ``"toml"``)."""
    return next(h for h in HANDLERS if h.format == name)
