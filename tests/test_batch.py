"""excerptor.batch.analyze_many: order, laziness, errors, the pool and the cache."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import excerptor.batch as batch
import excerptor.pipeline
from excerptor.batch import Result, analyze_many
from excerptor.cache import Cache
from excerptor.errors import ExcerptorError

BODIES = [
    f"{i}番目の記事です。今日は{topic}について書きます。\n\n{topic}は思ったより奥が深いものでした。\n"
    for i, topic in enumerate(["天気", "料理", "鉄道", "写真", "音楽", "読書", "散歩"])
]


def fake_analyze(body: str, **settings):
    """Stands in for the pipeline: fast, and fails on request."""
    if body == "bad":
        raise ExcerptorError("refused")
    if body == "bug":
        raise KeyError("oops")
    if body == "die":
        os._exit(3)
    return excerptor.pipeline.Analysis(
        excerpt=body[: settings.get("max_chars", 120)],
        summary=[],
        reading_time=len(body),
        counts=None,  # type: ignore[arg-type]
        warnings=[],
        reading_time_without_repeats=len(body),
    )


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> None:
    # Forked workers inherit the patch.
    monkeypatch.setattr(excerptor.pipeline, "analyze", fake_analyze)


@pytest.mark.parametrize("jobs", [1, 2])
def test_real_pipeline_in_order(jobs: int) -> None:
    serial = [excerptor.pipeline.analyze(b, max_chars=40) for b in BODIES]
    got = list(analyze_many(((b, None) for b in BODIES), {"max_chars": 40}, jobs=jobs))
    assert [r.excerpt for r in got] == [a.excerpt for a in serial]
    assert [r.reading_time for r in got] == [a.reading_time for a in serial]


@pytest.mark.parametrize("jobs", [1, 2])
def test_errors_are_returned(fake, jobs: int) -> None:
    items = [("a", None), ("bad", None), ("bug", None), ("b", None)]
    out = list(analyze_many(items, {}, jobs=jobs))
    assert out[0] == Result("a", 1)
    assert isinstance(out[1], ExcerptorError) and out[1].message == "refused"
    assert isinstance(out[2], ExcerptorError) and "internal error (KeyError" in out[2].message
    assert out[3] == Result("b", 1)


def test_bad_settings_of_real_pipeline() -> None:
    items = [("本文です。", None), ("本文です。", {"no_such_setting": 1})]
    first, second = analyze_many(items, {"max_chars": 0}, jobs=1)
    assert isinstance(first, ExcerptorError) and "max_chars" in first.message
    assert isinstance(second, ExcerptorError) and "no_such_setting" in second.message


def test_dead_worker_fails_one_post(fake) -> None:
    items = [(str(i), None) for i in range(6)]
    items[2] = ("die", None)
    out = list(analyze_many(items, {}, jobs=2))
    assert len(out) == 6
    assert sum(isinstance(o, ExcerptorError) for o in out) >= 1
    assert isinstance(out[2], ExcerptorError)
    assert out[5] == Result("5", 1)


@pytest.mark.parametrize("jobs", [1, 2])
def test_streams_with_a_bounded_window(fake, jobs: int) -> None:
    taken = 0

    def source():
        nonlocal taken
        for i in range(1000):
            taken += 1
            yield f"post {i}", None

    results = analyze_many(source(), {}, jobs=jobs, window=10)
    first = next(results)
    assert first == Result("post 0", 6)
    assert taken <= (1 if jobs == 1 else 11)
    rest = list(results)
    assert len(rest) == 999 and rest[-1].excerpt == "post 999"


def test_hits_need_no_pool_nor_pipeline(fake, tmp_path: Path, monkeypatch) -> None:
    cache = Cache(tmp_path)
    items = [(f"p{i}", {"title": "t"}) for i in range(5)]
    first = list(analyze_many(items, {}, jobs=2, cache=cache))

    def no(*args, **kwargs):
        raise AssertionError("must not run")

    monkeypatch.setattr(batch._Runner, "start", no)
    monkeypatch.setattr(batch, "_analyze", no)
    assert list(analyze_many(items, {}, jobs=2, cache=cache)) == first
    # A different per-post setting is a different key.
    monkeypatch.undo()
    monkeypatch.setattr(excerptor.pipeline, "analyze", fake_analyze)
    stored = len(list(tmp_path.rglob("*.json")))
    assert len(list(analyze_many([("p0", {"title": "u"})], {}, jobs=2, cache=cache))) == 1
    assert len(list(tmp_path.rglob("*.json"))) == stored + 1


def test_single_miss_runs_in_process(fake, monkeypatch) -> None:
    def no(*args, **kwargs):
        raise AssertionError("no pool for one post")

    monkeypatch.setattr(batch._Runner, "start", no)
    assert list(analyze_many([("x", None)], {}, jobs=4)) == [Result("x", 1)]


def test_negative_jobs() -> None:
    with pytest.raises(ValueError):
        list(analyze_many([], {}, jobs=-1))
