"""``excerptor corpus`` and ``excerptor.dask`` on real Dask clusters: a LocalCluster of worker
processes, and a scheduler with two ``dask worker`` processes, one of them killed mid-run.

The corpora are small and made here; nothing from ../shared is needed.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, cli_env
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")
pd = pytest.importorskip("pandas")
pytest.importorskip("pyarrow")

import excerptor  # noqa: E402
import excerptor.dask as xdask  # noqa: E402

SETTINGS = {"max_chars": 80, "sentences": 2}

_SUBJECTS = ["私", "編集部", "近所の店", "新しい図書館", "駅前の公園", "今年の夏", "小さな会社"]
_OBJECTS = ["コーヒー豆", "古い本", "天気予報", "野菜の値段", "週末の予定", "電車の時刻"]
_VERBS = ["調べました", "紹介します", "比べてみました", "考えています", "話題になっています"]


def make_body(rng: random.Random, sentences: int) -> str:
    paragraphs = []
    for _ in range(max(1, sentences // 4)):
        paragraphs.append(
            "".join(
                f"{rng.choice(_SUBJECTS)}は{rng.choice(_OBJECTS)}について{rng.choice(_VERBS)}。"
                for _ in range(4)
            )
        )
    if rng.random() < 0.3:
        paragraphs.append("## 見出し\n\n- 項目その一です。\n- 項目その二です。")
    if rng.random() < 0.2:  # a generated-text artifact, for the findings column
        paragraphs += ["---END---", paragraphs[0], paragraphs[0]]
    return "\n\n".join(paragraphs)


def make_rows(n: int, seed: int = 14, sentences: int = 8) -> list[dict]:
    rng = random.Random(seed)
    return [
        {
            "id": f"doc-{i}",
            "title": f"{rng.choice(_OBJECTS)}の話",
            "body": make_body(rng, sentences),
        }
        for i in range(n)
    ]


def write_jsonl(path: Path, rows: list[dict], extra_lines: tuple[str, ...] = ()) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        for line in extra_lines:
            fh.write(line + "\n")
    return path


def expected(body: str, title: str | None, **settings) -> dict:
    a = excerptor.analyze(body, title=title, **settings)
    return {
        "excerpt": a.excerpt,
        "summary": list(a.summary),
        "reading_time": a.reading_time,
        "reading_time_without_repeats": a.reading_time_without_repeats,
        "findings": [w.code for w in a.warnings],
    }


def got(row) -> dict:
    return {
        "excerpt": row["excerpt"],
        "summary": list(row["summary"]),
        "reading_time": int(row["reading_time"]),
        "reading_time_without_repeats": int(row["reading_time_without_repeats"]),
        "findings": list(row["findings"]),
    }


def run_corpus(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "excerptor", "corpus", *args],
        capture_output=True,
        text=True,
        env=cli_env(),
        cwd=ROOT,
        timeout=timeout,
    )


# --------------------------------------------------------------------- the base install


def test_base_install_does_not_import_dask() -> None:
    code = (
        "import sys, json\n"
        "import excerptor\n"
        "excerptor.analyze('今日は晴れです。明日は雨です。', title='天気')\n"
        "from excerptor.cli import build_parser, main\n"
        "build_parser()\n"
        "main(['--version'])\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules}\n"
        "    & {'dask', 'distributed', 'pyarrow', 'pandas', 'fsspec'})))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert lines[0] == f"excerptor {excerptor.__version__}"
    assert json.loads(lines[-1]) == []


def test_corpus_without_the_extra_says_what_to_install(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "sys.modules['dask'] = None  # as if the extra were not installed\n"
        "from excerptor.cli import main\n"
        "sys.exit(main(['corpus', 'in.jsonl', 'out']))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=cli_env(), cwd=tmp_path
    )
    assert proc.returncode == 2
    assert proc.stderr.strip() == (
        "excerptor: error: excerptor.dask needs the dask extra (dask is missing): "
        "pip install 'excerptor[dask]'"
    )


# ------------------------------------------------------------------ rows, no cluster


def test_bad_rows_get_an_error_and_the_others_a_result() -> None:
    frame = pd.DataFrame(
        {
            "id": ["ok", "null", "number", "huge", "bad-title", "no-title"],
            "body": ["今日は晴れです。", None, 42, "あ" * 3_400_000, "本文です。", "本文です。"],
            "title": ["天気", "x", "x", "x", 7, None],
        }
    )
    out = xdask.analyze_partition(frame, "body", "title", ["id"], {})
    assert list(out.columns) == ["id", *xdask.RESULT_COLUMNS]
    errors = dict(zip(out["id"], out["error"], strict=True))
    assert pd.isna(errors["ok"]) and pd.isna(errors["no-title"])
    assert errors["null"] == "text is missing (null)"
    assert errors["number"] == "text is not a string (int)"
    assert errors["huge"] == "text is larger than 10 MB"
    assert errors["bad-title"] == "title is not a string (int)"
    failed = out[out["error"].notna()]
    assert failed["excerpt"].isna().all() and failed["reading_time"].isna().all()
    assert got(out.iloc[0]) == expected("今日は晴れです。", "天気")


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.one_of(st.text(max_size=60), st.none(), st.integers(), st.floats()), max_size=6))
def test_one_result_row_per_input_row(values: list) -> None:
    frame = pd.DataFrame({"id": range(len(values)), "body": pd.Series(values, dtype=object)})
    out = xdask.analyze_partition(frame, "body", None, ["id"], {})
    assert list(out["id"]) == list(range(len(values))) and list(out.index) == list(frame.index)
    for value, (_, row) in zip(values, out.iterrows(), strict=True):
        assert pd.isna(row["error"]) == isinstance(value, str)
        if isinstance(value, str):
            assert got(row) == expected(value, None)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    lines=st.lists(
        st.one_of(
            st.fixed_dictionaries({"body": st.text(max_size=30), "title": st.text(max_size=5)}),
            st.just("not json"),
            st.just(""),
        ),
        max_size=30,
    ),
    blocksize=st.integers(1, 400),
)
def test_jsonl_blocks_read_every_line_once(tmp_path_factory, lines: list, blocksize: int) -> None:
    path = tmp_path_factory.mktemp("jsonl") / "in.jsonl"
    records = []
    with path.open("w", encoding="utf-8") as fh:
        for i, line in enumerate(lines):
            if isinstance(line, dict):
                line = json.dumps({"id": i, **line}, ensure_ascii=False)
                records.append(str(i))
            elif line:
                records.append(None)
            fh.write(line + "\n")
    blocks = xdask._blocks([str(path)], blocksize)
    frames = [xdask.read_jsonl_block(b, "id", "body", "title") for b in blocks]
    ids = [None if pd.isna(x) else x for f in frames for x in f["id"]]
    assert ids == records  # every non-blank line once, in order; bad lines as rows


def test_settings_are_checked_before_anything_runs() -> None:
    ddf = dd.from_pandas(pd.DataFrame({"body": ["a"]}), npartitions=1)
    with pytest.raises(excerptor.ExcerptorError, match="max_chars"):
        xdask.analyze_frame(ddf, max_chars=0)
    with pytest.raises(excerptor.ExcerptorError, match="did you mean 'max_chars'"):
        xdask.analyze_frame(ddf, max_char=80)
    with pytest.raises(excerptor.ExcerptorError, match="no column 'text'"):
        xdask.analyze_frame(ddf, text="text")


# ------------------------------------------------------------------ a LocalCluster


@pytest.fixture(scope="module")
def client():
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as c,
    ):
        yield c


def test_analyze_frame_on_worker_processes_equals_analyze(client) -> None:
    rows = make_rows(24)
    ddf = dd.from_pandas(pd.DataFrame(rows), npartitions=4)
    out = xdask.analyze_frame(ddf, **SETTINGS)
    assert set(xdask.RESULT_COLUMNS) <= set(out.columns) and "body" in out.columns
    result = out.compute()
    pids = client.run(os.getpid)
    assert len(set(pids.values())) == 2 and os.getpid() not in pids.values()
    assert list(result["id"]) == [r["id"] for r in rows]
    assert result["error"].isna().all()
    for row, (_, res) in zip(rows, result.iterrows(), strict=True):
        assert got(res) == expected(row["body"], row["title"], **SETTINGS), row["id"]
    assert any(len(f) for f in result["findings"])  # the artifacts were seen


def test_what_is_sent_to_workers_holds_no_tagger() -> None:
    import cloudpickle

    from excerptor import japanese

    excerptor.analyze("吾輩は猫である。")  # this process now has a Tagger
    assert japanese.tagger.cache_info().currsize == 1  # this process holds a Tagger
    ddf = dd.from_pandas(pd.DataFrame(make_rows(4)), npartitions=2)
    graph = dict(xdask.analyze_frame(ddf, **SETTINGS).__dask_graph__())
    payload = cloudpickle.dumps(graph)  # a Tagger cannot be pickled: this would fail
    assert b"fugashi" not in payload


def test_corpus_reads_parquet_folders_against_a_scheduler(client, tmp_path: Path) -> None:
    rows = make_rows(30, seed=3)
    src = tmp_path / "in"
    src.mkdir()
    for i in range(3):
        pd.DataFrame(rows[i * 10 : (i + 1) * 10]).to_parquet(src / f"part-{i}.parquet")
    out = tmp_path / "out"
    proc = run_corpus(
        str(src), str(out), "--scheduler", client.scheduler.address, "--sentences", "2"
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"30 rows, 30 analyzed, 0 errors -> {out}"
    assert "dashboard" in proc.stderr
    result = pd.read_parquet(out).set_index("id")
    assert sorted(result.index) == sorted(r["id"] for r in rows)
    for row in rows[::7]:
        assert got(result.loc[row["id"]]) == expected(row["body"], row["title"], sentences=2)


NOTICE = "このブログはアフィリエイト広告を利用しています。"
_FACTS = (
    "古いラジオを分解しました。真空管が三本とも切れていました。",
    "新しい万年筆を買いました。ペン先は細字で、インクは青です。",
    "朝の散歩で川沿いを歩きました。鷺が二羽、浅瀬で魚を狙っていました。",
    "冷蔵庫の霜取りをしました。二時間で氷がすべて溶けました。",
)


def test_corpus_learns_boilerplate_per_site_column(client, tmp_path: Path) -> None:
    # site a: four rows with the notice; b: two (too few); no site: three (unknown site).
    rows = [
        {"id": f"{site or 'none'}-{i}", "site": site, "body": f"{NOTICE}\n\n{_FACTS[i]}"}
        for site, n in (("a", 4), ("b", 2), (None, 3))
        for i in range(n)
    ]
    src = write_jsonl(tmp_path / "in.jsonl", rows)
    learned = excerptor.site_boilerplate([r["body"] for r in rows if r["site"] == "a"])
    assert learned
    for out, flags in (("on", ()), ("off", ("--no-learn-boilerplate",))):
        proc = run_corpus(
            str(src),
            str(tmp_path / out),
            "--scheduler",
            client.scheduler.address,
            "--site-column",
            "site",
            *flags,
        )
        assert proc.returncode == 0, proc.stderr
    on = pd.read_parquet(tmp_path / "on").set_index("id")["excerpt"]
    off = pd.read_parquet(tmp_path / "off").set_index("id")["excerpt"]
    for row in rows:
        plain = excerptor.excerpt(row["body"])
        assert off[row["id"]] == plain and plain.startswith(NOTICE)
        want = excerptor.excerpt(row["body"], boilerplate=learned) if row["site"] == "a" else plain
        assert on[row["id"]] == want, row["id"]
    assert NOTICE not in on["a-0"]
    # without a site column nothing is learned (the library: the same rule)
    ddf = dd.from_pandas(pd.DataFrame(rows), npartitions=2)
    result = xdask.analyze_frame(ddf, id="id").compute().set_index("id")["excerpt"]
    assert all(result[r["id"]] == excerptor.excerpt(r["body"]) for r in rows)


def test_corpus_refuses_bad_usage(client, tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", [{"id": 1, "text": "本文"}])
    proc = run_corpus(str(src), str(tmp_path / "out"), "--scheduler", client.scheduler.address)
    assert proc.returncode == 2
    assert proc.stderr.strip() == (f"excerptor: error: {src}: no column 'body' (columns: id, text)")
    proc = run_corpus(str(src), str(tmp_path / "o2"), "--text-column", "text", "--max-chars", "0")
    assert proc.returncode == 2 and "max_chars must be a whole number ≥ 1" in proc.stderr
    proc = run_corpus(str(tmp_path / "missing.jsonl"), str(tmp_path / "o3"))
    assert proc.returncode == 2 and "missing.jsonl: no such file or folder" in proc.stderr
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    proc = run_corpus(str(src), str(tmp_path / "full"), "--text-column", "text")
    assert proc.returncode == 2 and "not empty (--overwrite replaces it)" in proc.stderr


# ----------------------------------------------------- the command with its own cluster


def test_corpus_on_a_local_cluster_of_processes(tmp_path: Path) -> None:
    rows = make_rows(40, seed=5)
    rows[3]["body"] = None
    rows[4]["body"] = 12
    src = write_jsonl(tmp_path / "in.jsonl", rows, extra_lines=("{not json",))
    out = tmp_path / "out"
    proc = run_corpus(
        str(src), str(out), "--workers", "2", "--partition-size", "2KB", "--max-chars", "80"
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"41 rows, 38 analyzed, 3 errors -> {out}"
    assert "a local cluster, 2 workers; dashboard: http" in proc.stderr
    assert "excerptor: error: id doc-4: text is not a string (int)" in proc.stderr
    assert len(list(out.glob("*.parquet"))) > 10  # really split; files sort in input order
    result = pd.read_parquet(out)
    assert list(result["id"][:40]) == [r["id"] for r in rows]  # every row once, in order
    assert pd.isna(result["id"].iloc[40]) and "is not a JSON object" in result["error"].iloc[40]
    for row, (_, res) in zip(rows, result.iterrows(), strict=False):
        if isinstance(row["body"], str):
            assert got(res) == expected(row["body"], row["title"], max_chars=80), row["id"]


# ------------------------------------------------------------ a worker killed mid-run


def _start(*args: str, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", *args],
        stdout=subprocess.DEVNULL,
        stderr=log.open("w"),
        env=cli_env(),
        cwd=ROOT,
        start_new_session=True,
    )


def test_every_row_exactly_once_when_a_worker_is_killed(tmp_path: Path) -> None:
    rows = make_rows(400, seed=9, sentences=24)
    src = write_jsonl(tmp_path / "in.jsonl", rows)
    scheduler_file = tmp_path / "scheduler.json"
    procs = [
        _start(
            "distributed.cli.dask_scheduler",
            "--host=127.0.0.1",
            "--port=0",
            "--no-dashboard",
            f"--scheduler-file={scheduler_file}",
            log=tmp_path / "scheduler.log",
        )
    ]
    try:
        deadline = time.monotonic() + 60
        while not scheduler_file.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        for name in ("a", "b"):
            procs.append(
                _start(
                    "distributed.cli.dask_worker",
                    f"--scheduler-file={scheduler_file}",
                    "--nthreads=1",
                    "--no-nanny",
                    "--no-dashboard",
                    f"--name={name}",
                    log=tmp_path / f"worker-{name}.log",
                )
            )
        address = json.loads(scheduler_file.read_text())["address"]
        with distributed.Client(address, timeout="60s") as c:
            c.wait_for_workers(2, timeout=60)
        out = tmp_path / "out"
        job = subprocess.Popen(
            [sys.executable, "-m", "excerptor", "corpus", str(src), str(out)]
            + ["--scheduler", address, "--partition-size", "40KB"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=cli_env(),
            cwd=ROOT,
        )
        # Kill worker "a" once the first partitions are written: the job is under way.
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and job.poll() is None:
            if out.exists() and len(list(out.glob("*.parquet"))) >= 2:
                break
            time.sleep(0.05)
        written_at_kill = len(list(out.glob("*.parquet")))
        procs[1].send_signal(signal.SIGKILL)
        procs[1].wait(timeout=10)
        stdout, stderr = job.communicate(timeout=300)
    finally:
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
    assert job.returncode == 0, stderr
    assert procs[1].returncode == -signal.SIGKILL
    parts = len(list(out.glob("*.parquet")))
    assert 0 < written_at_kill < parts, (written_at_kill, parts)  # killed mid-run
    assert stdout.strip() == f"400 rows, 400 analyzed, 0 errors -> {out}"
    result = pd.read_parquet(out)
    assert sorted(result["id"]) == sorted(r["id"] for r in rows)  # every id exactly once
    assert result["id"].is_unique
    by_id = result.set_index("id")
    for row in rows[::20]:
        assert got(by_id.loc[row["id"]]) == expected(row["body"], row["title"]), row["id"]
