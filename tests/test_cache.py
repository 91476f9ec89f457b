"""excerptor.cache: keys, atomic entries, location, concurrent writers."""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from excerptor.cache import Cache, default_dir


def test_roundtrip_and_miss(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    key = cache.key("本文", {"max_chars": 40})
    assert cache.get(key) is None
    assert cache.put(key, {"excerpt": "本文", "reading_time": 1, "warnings": []})
    assert cache.get(key) == {"excerpt": "本文", "reading_time": 1, "warnings": []}
    assert Cache(tmp_path).get(key) is not None  # persistent


@settings(max_examples=30)
@given(st.text(max_size=40), st.text(max_size=40), st.integers(1, 300), st.integers(1, 300))
def test_keys_separate_bodies_and_settings(a: str, b: str, x: int, y: int) -> None:
    cache = Cache("/nonexistent")
    assert (cache.key(a, {"max_chars": x}) == cache.key(b, {"max_chars": y})) == (a == b and x == y)
    assert cache.key(a, {"m": x, "n": y}) == cache.key(a, {"n": y, "m": x})
    assert cache.key(a, {}) != cache.key(a, {}, kind="other")
    assert cache.key(a, {}) == cache.key(a.encode("utf-8", "surrogatepass"), {})


def test_damaged_entry_is_a_miss(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    key = cache.key("x", {})
    cache.put(key, {"a": 1})
    entry = next(tmp_path.rglob("*.json"))
    entry.write_bytes(b'{"a": 1')  # cut short
    assert cache.get(key) is None
    entry.write_bytes(b"[1, 2]")
    assert cache.get(key) is None


def test_unwritable_cache_does_not_fail(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    cache = Cache(blocker)
    key = cache.key("x", {})
    assert cache.put(key, {"a": 1}) is False and cache.get(key) is None


def test_location(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("EXCERPTOR_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_dir() == tmp_path / "xdg" / "excerptor"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_dir() == tmp_path / "home" / ".cache" / "excerptor"
    monkeypatch.setenv("EXCERPTOR_CACHE_DIR", str(tmp_path / "mine"))
    assert Cache.default().folder == tmp_path / "mine"


def _hammer(folder: str, n: int) -> int:
    cache = Cache(folder)
    bad = 0
    for round_ in range(60):
        for i in range(n):
            key = cache.key(f"post {i}", {})
            value = {"excerpt": f"post {i}" * 50, "reading_time": i, "warnings": [round_]}
            cache.put(key, value)
            got = cache.get(key)
            if got is not None and got["excerpt"] != value["excerpt"]:
                bad += 1
    return bad


def test_concurrent_writers(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(3) as pool:
        assert pool.starmap(_hammer, [(str(tmp_path), 20)] * 3) == [0, 0, 0]
    cache = Cache(tmp_path)
    for i in range(20):
        assert cache.get(cache.key(f"post {i}", {}))["reading_time"] == i
    assert not [p for p in tmp_path.rglob("*") if p.name.startswith(".tmp-")]


def test_size_bound_prunes_the_least_recently_used(tmp_path: Path) -> None:
    cache = Cache(tmp_path, max_bytes=2_000)
    keys = [cache.key(f"post {i}", {}) for i in range(10)]
    for i, key in enumerate(keys):
        cache.put(key, {"text": "x" * 400, "i": i})
        os.utime(cache._path(key), (1_000 + i, 1_000 + i))
    assert cache.get(keys[0]) is not None  # used now: the newest
    assert cache.prune() > 0
    assert sum(size for _, size, _ in cache.entries()) <= 2_000
    assert cache.get(keys[0]) is not None and cache.get(keys[1]) is None
    assert cache.clear() == len(cache.entries()) or not cache.entries()
    assert cache.entries() == []


def test_key_changes_with_dependency_versions(monkeypatch: pytest.MonkeyPatch) -> None:
    import excerptor.cache as module

    before = module.code_fingerprint()
    module.code_fingerprint.cache_clear()
    monkeypatch.setattr(module, "DEPENDENCIES", (*module.DEPENDENCIES, "pytest"))
    try:
        assert module.code_fingerprint() != before
    finally:
        module.code_fingerprint.cache_clear()


def test_cache_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from excerptor.cli import main

    cache = Cache(tmp_path)
    cache.put(cache.key("a", {}), {"a": 1})
    assert main(["cache", "info", "--cache-dir", str(tmp_path)]) == 0
    assert capsys.readouterr().out.startswith(f"{tmp_path}: 1 entries")
    assert main(["cache", "clear", "--cache-dir", str(tmp_path)]) == 0
    assert capsys.readouterr().out == f"removed 1 entries from {tmp_path}\n"
    assert cache.entries() == []
