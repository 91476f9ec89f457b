"""Atomic file writing: a crash or a kill mid-write never leaves a truncated file.

    write_atomic(path, text_or_bytes, *, bom=False) -> bytes   # temp file, fsync, os.replace
    remove_stale_temp(path) -> bool                 # one stale temp, unless a live write holds it
    cleanup_temp_files(folder) -> list[str]         # stale temps of a killed run

Temp files sit in the target's folder (so ``os.replace`` is a rename), are dot-named (Jekyll
and the walk ignore them) and locked while written (a concurrent run's sweep leaves them).
"""

from __future__ import annotations

import os
import stat
import tempfile
from contextlib import suppress

from .errors import ExcerptorError
from .files import TEMP_PREFIX, TEMP_SUFFIX, walk


def _fsync_dir(folder: str) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - e.g. Windows cannot open folders
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_atomic(path: str, data: str | bytes, *, bom: bool = False) -> bytes:
    """Replace ``path`` atomically: temp file in the same folder, fsync, keep mode, os.replace.

    ``str`` data is encoded as UTF-8 (with a BOM when ``bom``). Symlinks are followed (the
    file they point to is replaced). On failure the temp file is removed and ``path`` is as it was.
    Returns the bytes written.
    """
    path = os.fspath(path)
    if isinstance(data, str):
        try:
            payload = (("\ufeff" if bom else "") + data).encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ExcerptorError(
                f"text cannot be saved as UTF-8 (character {exc.start})", path
            ) from None
    else:
        payload = bytes(data)
        if bom and not payload.startswith(b"\xef\xbb\xbf"):
            payload = b"\xef\xbb\xbf" + payload
    target = os.path.realpath(path)
    folder, name = os.path.split(target)
    try:
        st: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise ExcerptorError(exc.strerror or str(exc), path) from None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{name}-", suffix=TEMP_SUFFIX, dir=folder)
    except OSError as exc:
        raise ExcerptorError(f"cannot write here: {exc.strerror or exc}", path) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            # Locked until renamed: a concurrent run's stale-temp sweep leaves it alone.
            _lock(fh.fileno())
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
            os.chmod(tmp, stat.S_IMODE(st.st_mode) if st else _default_mode())
            if st is not None and hasattr(os, "chown"):
                with suppress(OSError):
                    os.chown(tmp, st.st_uid, st.st_gid)
            os.replace(tmp, target)
    except BaseException as exc:
        with suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise ExcerptorError(f"cannot write: {exc.strerror or exc}", path) from None
        raise
    _fsync_dir(folder)
    return payload


def _lock(fd: int, blocking: bool = True) -> bool:
    """An exclusive flock on ``fd`` (released by the kernel when the process dies)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
    except BlockingIOError:
        return False
    except OSError:  # e.g. a file system without locks
        return True
    return True


def remove_stale_temp(path: str) -> bool:
    """Delete a temp file left by a killed run; False (and kept) while a live write holds it."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        if not _lock(fd, blocking=False):
            return False  # another process is writing it right now
        os.unlink(path)
        return True
    except FileNotFoundError:
        return False
    finally:
        os.close(fd)


def cleanup_temp_files(folder: str) -> list[str]:
    """Delete stale temp files left by a killed run under ``folder`` (found as the walk finds
    them); the paths removed. Temp files a running write holds (locked) are left alone, so this
    is safe while another rewrite runs."""
    removed: list[str] = []
    for path in walk([os.fspath(folder)]).temp_files:
        with suppress(OSError):
            if remove_stale_temp(path):
                removed.append(path)
    return sorted(removed)
