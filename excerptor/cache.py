"""A content-hash cache (like black's): the outcome excerptor computed for a post file it has
seen before, under the same settings.

Entries are small JSON files under a two-level fan-out (``ab/cdef….json``), each written to a
temp file and ``os.replace``d into place, so any number of processes may read and write one
cache at once: a reader sees a whole entry or none. A damaged or unreadable entry is a miss.

A key is a SHA-256 of the post's bytes, every setting, and everything else that changes the
output: excerptor's version and a fingerprint of its code and data files (the filler list
among them), and the versions of fugashi, unidic-lite, markdown-it-py, mdit-py-plugins, numpy
and scipy. An upgrade of any of them never serves a stale result.

The cache is bounded (:data:`MAX_BYTES`, or ``EXCERPTOR_CACHE_MAX_MB``): after a run that
wrote to it, the oldest entries (by last use) are pruned. ``excerptor cache clear`` empties it;
``excerptor cache info`` shows where it is and its size.

Location: ``$EXCERPTOR_CACHE_DIR``, else ``$XDG_CACHE_HOME/excerptor``, else
``~/.cache/excerptor``; a site may set its own (``cache_dir:`` in its ``excerptor:`` settings).
Imports only the standard library.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import __version__

FORMAT = "v2"  # bump when the layout or the meaning of an entry changes
MAX_BYTES = 256 * 1024 * 1024  # default size bound
#: Distributions whose version changes excerptor's output.
DEPENDENCIES = ("fugashi", "unidic-lite", "markdown-it-py", "mdit-py-plugins", "numpy", "scipy")


def default_dir() -> Path:
    """The user cache folder for excerptor (not created)."""
    env = os.environ.get("EXCERPTOR_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "excerptor"


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """excerptor's version, the size and mtime of every module and data file of the package
    (``data/fillers.txt`` and learned weights among them), and the versions of
    :data:`DEPENDENCIES`.

    A reinstall or an edit of excerptor (even without a version bump) changes it; it costs a
    few dozen ``stat`` calls and metadata look-ups, not a read of the code.
    """
    from importlib.metadata import PackageNotFoundError, version

    root = Path(__file__).resolve().parent
    h = hashlib.sha256(f"{FORMAT}\0{__version__}".encode())
    for name in DEPENDENCIES:
        try:
            h.update(f"\0{name}={version(name)}".encode())
        except PackageNotFoundError:
            h.update(f"\0{name}=-".encode())
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            st = path.stat()
            h.update(f"\0{path.relative_to(root)}\0{st.st_size}\0{st.st_mtime_ns}".encode())
    return h.hexdigest()[:16]


def _canonical(settings: Mapping[str, Any]) -> bytes:
    return json.dumps(
        dict(settings), sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=repr
    ).encode("utf-8")


class Cache:
    """A folder of cache entries; see the module docstring."""

    def __init__(self, folder: str | os.PathLike[str], max_bytes: int | None = None) -> None:
        self.folder = Path(folder)
        self._root = self.folder / FORMAT
        self._prefix = code_fingerprint().encode()
        if max_bytes is None:
            env = os.environ.get("EXCERPTOR_CACHE_MAX_MB", "")
            max_bytes = int(float(env) * 1024 * 1024) if env.strip() else MAX_BYTES
        self.max_bytes = max_bytes
        self.written = 0  # entries stored by this object

    @classmethod
    def default(cls) -> Cache:
        """The cache in the user cache folder (see :func:`default_dir`)."""
        return cls(default_dir())

    def key(self, payload: bytes | str, settings: Mapping[str, Any], kind: str = "post") -> str:
        """Key of an outcome: the post's bytes (or text), every setting and the code."""
        if isinstance(payload, str):
            payload = payload.encode("utf-8", "surrogatepass")
        h = hashlib.sha256(self._prefix + b"\0" + kind.encode() + b"\0")
        h.update(_canonical(settings))
        h.update(b"\0")
        h.update(payload)
        return h.hexdigest()

    def _path(self, key: str) -> Path:
        return self._root / key[:2] / f"{key[2:]}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        """The entry stored under ``key``, or None (also for a damaged entry)."""
        path = self._path(key)
        try:
            with open(path, "rb") as fh:
                value = json.loads(fh.read())
        except (OSError, ValueError):
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # last use, for pruning
        return value if isinstance(value, dict) else None

    def put(self, key: str, value: Mapping[str, Any]) -> bool:
        """Store ``value`` (JSON-able) under ``key`` atomically; False when the cache is not
        writable (a cache failure never fails a run)."""
        path = self._path(key)
        data = json.dumps(dict(value), ensure_ascii=False, separators=(",", ":")).encode()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
        except OSError:
            return False
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            return False
        self.written += 1
        return True

    def entries(self) -> list[tuple[float, int, Path]]:
        """(last use, size, path) of every entry, of every format version."""
        out = []
        for path in self.folder.glob("*/*/*.json"):
            with contextlib.suppress(OSError):
                st = path.stat()
                out.append((st.st_mtime, st.st_size, path))
        return out

    def prune(self) -> int:
        """Remove entries of other format versions, then the least recently used ones until
        the cache is under its size bound; the number removed."""
        removed = 0
        entries = []
        for used, size, path in self.entries():
            if path.parent.parent.name != FORMAT:
                with contextlib.suppress(OSError):
                    path.unlink()
                    removed += 1
            else:
                entries.append((used, size, path))
        total = sum(size for _, size, _ in entries)
        for _, size, path in sorted(entries, key=lambda e: e[0]):
            if total <= self.max_bytes:
                break
            with contextlib.suppress(OSError):
                path.unlink()
                removed += 1
                total -= size
        return removed

    def clear(self) -> int:
        """Remove every entry; the number removed."""
        removed = 0
        for _, _, path in self.entries():
            with contextlib.suppress(OSError):
                path.unlink()
                removed += 1
        return removed

    def __repr__(self) -> str:
        return f"Cache({str(self.folder)!r})"
