"""Finding and reading post files: the I/O edge shared by every command.

Standard library only, so that building the command line stays fast.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any

from .errors import ExcerptorError

POST_SUFFIXES = (".md", ".markdown", ".mdx", ".html")
SKIP_DIRS = frozenset({"_site", "node_modules", ".jekyll-cache"})
# Temp files of an atomic write: a leading dot, so Jekyll and the walk ignore them.
TEMP_PREFIX = ".excerptor-"
TEMP_SUFFIX = ".tmp"
MAX_BYTES = 10_000_000  # larger files are refused (decode)


# A post's first line (the openings of handlers.YAMLHandler / TOMLHandler), on text and bytes.
_OPENING = re.compile(r"\A\ufeff?(?:---[ \t\r\n\f\v]*\n|\+\+\+[ \t]*\r?\n)")
_OPENING_BYTES = re.compile(rb"\A(?:\xef\xbb\xbf)?(?:---[ \t\r\n\f\v]*\n|\+\+\+[ \t]*\r?\n)")


def has_front_matter(text: str | bytes) -> bool:
    """Whether ``text`` opens with a front-matter delimiter line (``---`` or ``+++``)."""
    pattern = _OPENING_BYTES if isinstance(text, bytes) else _OPENING
    return pattern.match(text) is not None


def read_bytes(path: str, limit: int = MAX_BYTES + 1) -> bytes:
    """The first ``limit`` bytes of a file (by default just enough to tell that it is too
    large); ExcerptorError naming the file otherwise."""
    try:
        with open(path, "rb") as fh:
            return fh.read(limit)
    except FileNotFoundError:
        raise ExcerptorError("no such file", path) from None
    except IsADirectoryError:
        raise ExcerptorError("is a folder, not a file", path) from None
    except OSError as exc:
        raise ExcerptorError(exc.strerror or str(exc), path) from None


def decode(data: bytes, path: str | None = None) -> tuple[str, bool]:
    """UTF-8 text of a file's bytes and whether it had a UTF-8 BOM.

    Refuses (ExcerptorError) files over MAX_BYTES, UTF-16/32 (BOM), binary (NUL bytes) and
    invalid UTF-8 (naming the byte offset).
    """
    if len(data) > MAX_BYTES:
        raise ExcerptorError(f"file is larger than {MAX_BYTES // 1_000_000} MB", path)
    if data.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
        raise ExcerptorError("file is UTF-16/UTF-32 (it has such a BOM); save it as UTF-8", path)
    nul = data.find(b"\x00")
    if nul >= 0:
        raise ExcerptorError(f"binary file (NUL byte at offset {nul})", path)
    bom = data.startswith(b"\xef\xbb\xbf")
    start = 3 if bom else 0
    try:
        text = data[start:].decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = start + exc.start
        raise ExcerptorError(
            f"not UTF-8 (invalid byte 0x{data[offset]:02x} at offset {offset})", path
        ) from None
    return text, bom


def read_text(path: str) -> tuple[str, bool]:
    """A file's text and whether it had a UTF-8 BOM (see :func:`decode`); errors carry ``path``."""
    path = os.fspath(path)
    return decode(read_bytes(path), path)


def read_file(path: str, *, require_body: bool = True) -> Any:
    """Read, decode and parse a post file (:class:`excerptor.patcher.Post`); errors carry
    ``path``."""
    from .patcher import parse_file

    path = os.fspath(path)
    return parse_file(read_bytes(path), path, require_body=require_body)


@dataclass
class Walk:
    """The files to process, in order, and what the walk met on the way."""

    files: list[tuple[str, bool]] = field(default_factory=list)  # (path, named explicitly)
    missing: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, why)
    temp_files: list[str] = field(default_factory=list)


TEMP_NAME = re.compile(re.escape(TEMP_PREFIX) + r".+" + re.escape(TEMP_SUFFIX) + r"\Z")


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def walk(paths: list[str], *, follow_symlinks: bool = False) -> Walk:
    """Post candidates under ``paths``: suffix filter first, no file is opened here.

    Hidden folders, ``_site``, ``.jekyll-cache`` and ``node_modules`` are skipped; so are
    symlinked folders and symlinks to files outside the folder given, unless
    ``follow_symlinks``. Stale temp files of a killed run are collected in ``temp_files``.
    """
    result = Walk()
    seen: set[str] = set()

    def add(path: str, explicit: bool) -> None:
        real = os.path.realpath(path)
        if real not in seen:
            seen.add(real)
            result.files.append((path, explicit))

    for given in paths:
        if not os.path.lexists(given):
            result.missing.append(given)
            continue
        if not os.path.isdir(given):
            add(given, True)
            continue
        top = os.path.realpath(given)
        found: list[str] = []
        stack = [given]
        visited = {top}
        while stack:
            folder = stack.pop()
            try:
                entries = list(os.scandir(folder))
            except OSError as exc:
                result.skipped.append((folder, exc.strerror or str(exc)))
                continue
            for entry in entries:
                name = entry.name
                try:
                    link = entry.is_symlink()
                    is_dir = entry.is_dir()  # follows a symlink
                except OSError:
                    continue
                if is_dir:
                    if name.startswith(".") or name in SKIP_DIRS:
                        continue
                    if link:
                        real = os.path.realpath(entry.path)
                        if not follow_symlinks:
                            result.skipped.append((entry.path, "symlinked folder"))
                            continue
                        if real in visited:
                            continue
                        visited.add(real)
                    stack.append(entry.path)
                    continue
                if name.startswith("."):
                    if not link and not is_dir and TEMP_NAME.match(name):
                        result.temp_files.append(entry.path)
                    continue
                if not name.lower().endswith(POST_SUFFIXES):
                    continue
                if link and not follow_symlinks:
                    if not _inside(os.path.realpath(entry.path), top):
                        result.skipped.append((entry.path, "symlink to a file outside " + given))
                        continue
                found.append(entry.path)
        for path in sorted(found):
            add(path, False)
    return result
