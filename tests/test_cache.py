"""excerptor.cache: keys, atomic entries, location, concurrent writers."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from excerptor.cache import Cache, default_dir


def test_roundtrip_and_miss(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    key = cache.key("本文", {"max_chars": 40})
    assert cache.get(key) is None and key not in cache
    assert cache.put(key, {"excerpt": "本文", "reading_time": 1, "warnings": []})
    assert cache.get(key) == {"excerpt": "本文", "reading_time": 1, "warnings": []}
    assert key in cache
    assert Cache(tmp_path).get(key) is not None  # persistent


@settings(max_examples=30)
@given(st.text(max_size=40), st.text(max_size=40), st.integers(1, 300), st.integers(1, 300))
def test_keys_separate_bodies_and_settings(a: str, b: str, x: int, y: int) -> None:
    cache = Cache("/nonexistent")
    assert (cache.key(a, {"max_chars": x}) == cache.key(b, {"max_chars": y})) == (a == b and x == y)
    assert cache.key(a, {"m": x, "n": y}) == cache.key(a, {"n": y, "m": x})
    assert cache.key(a, {}) != cache.file_key(a.encode(), {})


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
