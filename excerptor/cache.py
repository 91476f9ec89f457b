"""A content-hash cache (like black's): what excerptor computed for a body it has seen before.

Entries are small JSON files under a two-level fan-out (``ab/cdef….json``), each written to a
temp file and ``os.replace``d into place, so any number of processes may read and write one
cache at once: a reader sees a whole entry or none. A damaged or unreadable entry is a miss.

Two kinds of key, both SHA-256 hex digests that include excerptor's version and a fingerprint
of its code, so an upgrade never serves stale results:

* :meth:`Cache.key` — a post body and the analysis settings → excerpt, reading time, warnings;
* :meth:`Cache.file_key` — a whole file's bytes and every rewrite option → "already up to date",
  which lets a rerun on an unchanged site skip even the front-matter parsing.

Location: ``$EXCERPTOR_CACHE_DIR``, else ``$XDG_CACHE_HOME/excerptor``, else
``~/.cache/excerptor``; a site may set its own (``excerptor: cache_dir:`` in ``_config.yml``).
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

FORMAT = "v1"  # bump when the layout or the meaning of an entry changes


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
    """Version plus the size and mtime of every module of the package.

    A reinstall or an edit of excerptor (even without a version bump) changes it; it costs a
    few dozen ``stat`` calls, not a read of the code.
    """
    root = Path(__file__).resolve().parent
    h = hashlib.sha256(f"{FORMAT}\0{__version__}".encode())
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".txt") and "__pycache__" not in path.parts:
            st = path.stat()
            h.update(f"\0{path.relative_to(root)}\0{st.st_size}\0{st.st_mtime_ns}".encode())
    return h.hexdigest()[:16]


def _canonical(settings: Mapping[str, Any]) -> bytes:
    return json.dumps(
        dict(settings), sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=repr
    ).encode("utf-8")


class Cache:
    """A folder of cache entries; see the module docstring."""

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)
        self._root = self.folder / FORMAT
        self._prefix = code_fingerprint().encode()

    @classmethod
    def default(cls) -> Cache:
        """The cache in the user cache folder (see :func:`default_dir`)."""
        return cls(default_dir())

    # ----------------------------------------------------------------------------- keys

    def _digest(self, kind: bytes, settings: Mapping[str, Any], payload: bytes) -> str:
        h = hashlib.sha256(self._prefix + b"\0" + kind + b"\0")
        h.update(_canonical(settings))
        h.update(b"\0")
        h.update(payload)
        return h.hexdigest()

    def key(self, body: str, settings: Mapping[str, Any]) -> str:
        """Key of an analysis: the body, every setting given to ``analyze`` and the code."""
        return self._digest(b"analysis", settings, body.encode("utf-8", "surrogatepass"))

    def file_key(self, data: bytes, options: Mapping[str, Any]) -> str:
        """Key of "this file, as these bytes, needs no change under these options"."""
        return self._digest(b"file", options, data)

    # ------------------------------------------------------------------------- entries

    def _path(self, key: str) -> Path:
        return self._root / key[:2] / f"{key[2:]}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        """The entry stored under ``key``, or None (also for a damaged entry)."""
        try:
            with open(self._path(key), "rb") as fh:
                value = json.loads(fh.read())
        except (OSError, ValueError):
            return None
        return value if isinstance(value, dict) else None

    def __contains__(self, key: str) -> bool:
        return self._path(key).is_file()

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
        return True

    def mark(self, key: str) -> bool:
        """Store an empty entry: a flag that ``key`` was seen (see :meth:`file_key`)."""
        return self.put(key, {})

    def __repr__(self) -> str:
        return f"Cache({str(self.folder)!r})"
