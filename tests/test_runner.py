"""excerptor.runner.run: order, laziness, errors, the pool and the cache."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import excerptor.pipeline
import excerptor.runner as runner
from excerptor.cache import Cache
from excerptor.errors import ExcerptorError
from excerptor.process import process_post
from excerptor.runner import Task, run
from excerptor.settings import Settings

POSTS = [
    f"---\ntitle: {topic}\n---\n{i}番目の記事です。今日は{topic}について書きます。\n\n"
    f"{topic}は思ったより奥が深いものでした。\n"
    for i, topic in enumerate(["天気", "料理", "鉄道", "写真", "音楽", "読書", "散歩"])
]
SETTINGS = Settings.of(max_chars=40)


def fake_analyze(body: str, settings, title=None):
    """Stands in for the pipeline: fast, and fails on request."""
    text = body.strip()
    if text == "bad":
        raise ExcerptorError("refused")
    if text == "bug":
        raise KeyError("oops")
    if text == "die":
        os._exit(3)
    return excerptor.pipeline.Analysis(
        excerpt=text[: settings.max_chars],
        summary=[],
        reading_time=len(text),
        counts=excerptor.pipeline.Counts(0, 0, 0, 0, 0, 0, 0),
        warnings=[],
        reading_time_without_repeats=len(text),
    )


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> None:
    # Forked workers inherit the patch.
    monkeypatch.setattr(excerptor.pipeline, "analyze_body", fake_analyze)


def post(body: str) -> str:
    return f"---\ntitle: t\n---\n{body}\n"


def tasks(bodies) -> list[Task]:
    return [Task(str(i), post(b)) for i, b in enumerate(bodies)]


@pytest.mark.parametrize("jobs", [1, 2])
def test_real_pipeline_in_order_equals_process_post(jobs: int) -> None:
    serial = [process_post(p, SETTINGS) for p in POSTS]
    got = [o for _, o in run([Task(str(i), p) for i, p in enumerate(POSTS)], SETTINGS, jobs=jobs)]
    assert got == serial
    assert all(o.status == "changed" and o.fields["excerpt"] for o in got)


@pytest.mark.parametrize("jobs", [1, 2])
def test_errors_are_outcomes(fake, jobs: int) -> None:
    out = [o for _, o in run(tasks(["a", "bad", "bug", "b"]), SETTINGS, jobs=jobs)]
    assert out[0].fields == {"excerpt": "a", "reading_time": 1}
    assert out[1].status == "error" and out[1].reason == "refused"
    assert out[2].status == "error" and "internal error (KeyError" in out[2].reason
    assert out[3].fields == {"excerpt": "b", "reading_time": 1}


def test_known_outcomes_pass_through_in_order(fake) -> None:
    given = process_post(b"\xff", SETTINGS)
    items = [Task("x", post("x")), Task("y", outcome=given), Task("z", post("z"))]
    out = [(t.name, o) for t, o in run(items, SETTINGS, jobs=2)]
    assert [n for n, _ in out] == ["x", "y", "z"] and out[1][1] is given


def test_dead_worker_fails_one_post(fake) -> None:
    bodies = [str(i) for i in range(6)]
    bodies[2] = "die"
    out = [o for _, o in run(tasks(bodies), SETTINGS, jobs=2)]
    assert len(out) == 6
    assert out[2].status == "error" and "worker process died" in out[2].reason
    assert out[5].fields["excerpt"] == "5"


@pytest.mark.parametrize("jobs", [1, 2])
def test_streams_with_a_bounded_window(fake, jobs: int) -> None:
    taken = 0

    def source():
        nonlocal taken
        for i in range(1000):
            taken += 1
            yield Task(str(i), post(f"post {i}"))

    results = run(source(), SETTINGS, jobs=jobs, window=10)
    first = next(results)
    assert first[1].fields["excerpt"] == "post 0"
    assert taken <= (1 if jobs == 1 else 11)
    rest = list(results)
    assert len(rest) == 999 and rest[-1][1].fields["excerpt"] == "post 999"


def test_hits_need_no_pool_nor_pipeline(fake, tmp_path: Path, monkeypatch) -> None:
    cache = Cache(tmp_path)
    first = [o for _, o in run(tasks("abcde"), SETTINGS, jobs=2, cache=cache)]

    def no(*args, **kwargs):
        raise AssertionError("must not run")

    monkeypatch.setattr(runner._Pool, "submit", no)
    monkeypatch.setattr(runner, "_work", no)
    assert [o for _, o in run(tasks("abcde"), SETTINGS, jobs=2, cache=cache)] == first
    # Other settings, another key: a new entry is stored.
    monkeypatch.undo()
    monkeypatch.setattr(excerptor.pipeline, "analyze_body", fake_analyze)
    stored = len(list(tmp_path.rglob("*.json")))
    other = Settings.of(max_chars=41)
    assert len(list(run(tasks("a"), other, jobs=2, cache=cache))) == 1
    assert len(list(tmp_path.rglob("*.json"))) == stored + 1


def test_single_miss_runs_in_process(fake, monkeypatch) -> None:
    def no(*args, **kwargs):
        raise AssertionError("no pool for one post")

    monkeypatch.setattr(runner._Pool, "submit", no)
    [(_, outcome)] = run(tasks("x"), SETTINGS, jobs=4)
    assert outcome.fields["excerpt"] == "x"


def test_negative_jobs() -> None:
    with pytest.raises(ExcerptorError):
        list(run([], SETTINGS, jobs=-1))
