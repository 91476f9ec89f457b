"""The surgical patcher: a post split at its front matter, and new values written into the
bytes of their fields only.

    read_post(text, path=None, *, require_body=True) -> Post     # pure
    patch(post, {"excerpt": "…", "reading_time": 3}) -> str      # pure; the new text (no BOM)

``patch`` never re-serialises the front matter: only the bytes of the updated fields' values
change (a missing field is added as one ``key: value`` line); a field whose value is already
equal (same type) is left untouched, so a second run changes nothing. Every patch is checked
by parsing the result again: if anything but the updated fields would change, it is refused.
LF and CRLF files are kept as they are; a BOM is reported in :attr:`Post.bom`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from .errors import ExcerptorError
from .files import decode
from .handlers import HANDLERS, Layout, Refused, by_format

Updates = dict[str, "str | int"]


@dataclass(frozen=True)
class Post:
    """One post split at its front matter.

    ``text`` is the whole decoded text without a BOM; ``body`` is what follows the closing
    delimiter (a suffix of ``text``); ``metadata`` is the parsed front matter; ``newline`` is
    the line ending of the opening delimiter line (used for any added line).
    """

    text: str
    format: Literal["yaml", "toml"]
    metadata: dict[str, Any]
    body: str
    bom: bool = False
    newline: Literal["\n", "\r\n"] = "\n"
    _layout: Layout | None = field(default=None, repr=False, compare=False)

    @property
    def duplicates(self) -> dict[str, tuple[int, int]]:
        """Keys given twice (the last value is in ``metadata``) -> their first and last line."""
        return self._layout.duplicates if self._layout is not None else {}


def read_post(text: str, path: str | None = None, *, require_body: bool = True) -> Post:
    """Split and parse a post's front matter (``---`` YAML or ``+++`` TOML). Pure.

    Raises ExcerptorError for: no front matter, unclosed front matter, invalid YAML/TOML,
    a top level that is not a mapping, unsafe tags, alias bombs, deep nesting, a lone CR in
    the front matter, and (when ``require_body``) an empty body. A key given twice is read as
    Jekyll reads it (the last value wins); :func:`patch` refuses to write it.
    """
    bom = text.startswith("\ufeff")
    if bom:
        text = text[1:]
    for handler in HANDLERS:
        try:
            found = handler.layout(text)
        except Refused as exc:
            raise ExcerptorError(str(exc), path) from None
        if found is not None:
            break
    else:
        raise ExcerptorError("no front matter (the file must start with a --- or +++ line)", path)
    metadata, layout, body_start = found
    body = text[body_start:]
    if require_body and not body.strip():
        raise ExcerptorError("empty body (nothing but white space after the front matter)", path)
    newline: Literal["\n", "\r\n"] = (
        "\r\n" if text[: layout.content_start].endswith("\r\n") else "\n"
    )
    return Post(text, handler.format, metadata, body, bom, newline, layout)


def _same(a: Any, b: Any) -> bool:
    """Equality that treats NaN as equal to NaN and keeps key order of mappings."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def _kind(value: Any) -> str | None:
    if isinstance(value, dict):
        return "mapping"
    if isinstance(value, (list, tuple, set)):
        return "list"
    return None


def patch(post: Post, updates: Updates) -> str:
    """The post's new text (without BOM) with ``updates`` applied to top-level fields. Pure.

    Values are ``str`` (written as a double-quoted YAML / basic TOML string) or ``int``.
    Raises ExcerptorError when an existing field holds a list or mapping, or cannot be
    patched safely.
    """
    layout = post._layout
    if layout is None:
        raise ExcerptorError("patch() needs a Post made by read_post() or read_file()")
    handler = by_format(post.format)
    text = post.text
    edits: list[tuple[int, int, str]] = []
    inserts: list[str] = []
    for key, value in updates.items():
        if not isinstance(key, str) or isinstance(value, bool) or not isinstance(value, (str, int)):
            raise ExcerptorError(f"cannot write {key!r}: only text and whole numbers are supported")
        if key in layout.duplicates:
            first, last = layout.duplicates[key]
            raise ExcerptorError(
                f"front matter has the key {key!r} twice (lines {first} and {last}); "
                "keep one of them"
            )
        if key in post.metadata:
            old = post.metadata[key]
            kind = _kind(old)
            if kind:
                raise ExcerptorError(
                    f"`{key}` holds a {kind}, not a value; refusing to overwrite it"
                )
            if type(old) is type(value) and old == value:
                continue
        if key in layout.fields:
            if key in layout.locked:
                raise ExcerptorError(f"{layout.locked[key]}; refusing to overwrite it")
            start, end = layout.fields[key]
            if key in layout.blocks:
                end, new = handler.block_replacement(text, start, end, value)
            else:
                end, new = handler.replacement(text, start, end, value)
            edits.append((start, end, new))
        else:
            if layout.no_insert:
                raise ExcerptorError(layout.no_insert)
            inserts.append(handler.entry(key, value, layout.indent, post.newline))
    if not edits and not inserts:
        return text
    if inserts:
        edits.append((layout.insert_at, layout.insert_at, "".join(inserts)))
    out = text
    for start, end, new in sorted(edits, key=lambda e: e[0], reverse=True):
        out = out[:start] + new + out[end:]
    _verify(post, updates, out)
    return out


def _verify(post: Post, updates: Updates, new_text: str) -> None:
    """Refuse a patch that would change anything but the updated fields."""
    try:
        after = read_post(new_text, require_body=False)
    except ExcerptorError as exc:
        raise ExcerptorError(f"patching would break the front matter ({exc}); refusing") from None
    # Added keys may land anywhere (TOML puts them before the first table); old keys keep order.
    expected = dict(post.metadata)
    expected.update(updates)
    if (
        after.format != post.format
        or after.body != post.body
        or set(after.metadata) != set(expected)
        or [k for k in after.metadata if k in post.metadata] != list(post.metadata)
        or not all(_same(after.metadata[k], v) for k, v in expected.items())
    ):
        raise ExcerptorError(
            f"patching {', '.join(map(repr, updates))} would change other front matter; refusing"
        )


def parse_file(data: bytes, path: str, *, require_body: bool = True) -> Post:
    """Decode and parse the bytes of the post file ``path``."""
    text, bom = decode(data, path)
    return replace(read_post(text, path, require_body=require_body), bom=bom)
