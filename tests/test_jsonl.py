"""``excerptor jsonl``: the line protocol the Jekyll plugin speaks, run as a real process."""

from __future__ import annotations

import json
import selectors
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import cli_env
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import excerptor
from excerptor.jekyll import serve

POSTS = [
    (
        "timer",
        "キッチンタイマーを自作しました。\n\n"
        "市販品は音が小さく、揚げ物の途中で鳴っても気づかないことがありました。"
        "そこで音量を三段階で切り替えられるものを作りました。部品代は千円ほどです。\n",
    ),
    (
        "walk",
        "# 朝の散歩\n\n毎朝三十分歩くことにしました。最初の一週間は眠くてつらかったです。"
        "二週目からは自然に目が覚めるようになり、午前中の仕事がはかどります。\n",
    ),
    (
        "qa",
        "勉強会のQ&Aを議事録にまとめています。質問と回答を一対にして書くのがコツです。"
        "当日中に共有すると訂正も集まりやすくなります。\n\n```sh\necho 'コードは数えない'\n```\n",
    ),
]


# Subprocesses run this checkout's excerptor, installed or not.
ENV = cli_env()


def run_jsonl(
    lines: list[Any], *args: str, cwd: Path, timeout: float = 120
) -> tuple[list[dict], subprocess.CompletedProcess]:
    """Run the command on ``lines`` (dicts are JSON-encoded, bytes/str sent as they are)."""
    chunks = []
    for line in lines:
        if isinstance(line, dict):
            line = json.dumps(line, ensure_ascii=False)
        if isinstance(line, str):
            line = line.encode("utf-8")
        chunks.append(line + b"\n")
    # The protocol must not depend on the locale's encoding.
    env = {**ENV, "PYTHONIOENCODING": "ascii", "EXCERPTOR_CACHE_DIR": str(cwd / "cache")}
    proc = subprocess.run(
        [sys.executable, "-m", "excerptor", "jsonl", *args],
        input=b"".join(chunks),
        capture_output=True,
        timeout=timeout,
        cwd=cwd,
        env=env,
    )
    answers = [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines()]
    return answers, proc


def expected(body: str, **settings: Any) -> dict[str, Any]:
    result = excerptor.analyze(body, **settings)
    return {"excerpt": result.excerpt, "reading_time": result.reading_time}


def test_answers_in_order_and_match_the_library(tmp_path: Path) -> None:
    lines = [{"id": ident, "content": body} for ident, body in POSTS]
    # keep_existing "good" (the default): a good excerpt given is kept, the time recomputed.
    lines[0].update(excerpt="古い抜粋", reading_time=99)
    answers, proc = run_jsonl(lines, "--no-cache", "--jobs", "2", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert [a["id"] for a in answers] == [ident for ident, _ in POSTS]
    assert answers[0]["excerpt"] == "古い抜粋" and answers[0]["kept"] == ["excerpt"]
    answers[0]["excerpt"] = expected(POSTS[0][1])["excerpt"]
    for (_, body), answer in zip(POSTS, answers, strict=True):
        assert {k: answer[k] for k in ("excerpt", "reading_time")} == expected(body)
        assert isinstance(answer["reading_time"], int) and answer["reading_time"] >= 1
    # Japanese is written as UTF-8, not as \\u escapes, whatever the locale says.
    assert "古い抜粋".encode() in proc.stdout


def test_options_reach_the_pipeline(tmp_path: Path) -> None:
    body = POSTS[0][1]
    answers, proc = run_jsonl(
        [{"id": 1, "content": body, "title": "タイマー"}],
        "--no-cache",
        "--jobs",
        "1",
        "--max-chars",
        "20",
        "--algorithm",
        "textrank",
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    want = expected(body, max_chars=20, algorithm="textrank", title="タイマー")
    assert [{k: a[k] for k in ("id", "excerpt", "reading_time")} for a in answers] == [
        {"id": 1, **want}
    ]
    assert len(answers[0]["excerpt"]) <= 20


def test_bad_lines_get_error_answers_and_the_rest_still_answered(tmp_path: Path) -> None:
    lines: list[Any] = [
        {"id": "a", "content": POSTS[0][1]},
        '{"id": "broken", "content": ',  # malformed JSON in the middle
        {"id": "b"},  # no content
        "",  # blank lines are ignored
        {"id": "c", "content": 42},
        "[1, 2]",
        b'{"id": "d", "content": "\xff\xfe"}',  # not UTF-8
        {"id": "e", "content": POSTS[1][1]},
    ]
    answers, proc = run_jsonl(lines, "--no-cache", "--jobs", "2", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert [a["id"] for a in answers] == ["a", None, "b", "c", None, None, "e"]
    assert [("error" in a) for a in answers] == [False, True, True, True, True, True, False]
    assert "line 2" in answers[1]["error"] and "JSON" in answers[1]["error"]
    assert "content" in answers[2]["error"]
    assert "UTF-8" in answers[5]["error"]
    assert answers[6]["excerpt"] == expected(POSTS[1][1])["excerpt"]


def test_only_missing_keeps_given_values(tmp_path: Path) -> None:
    body = POSTS[0][1]
    computed = expected(body)
    lines = [
        {"id": 1, "content": body, "excerpt": "手書きの抜粋", "reading_time": 9},
        {"id": 2, "content": body, "excerpt": "手書きの抜粋"},
        {"id": 3, "content": body, "reading_time": 9},
        {"id": 4, "content": body, "excerpt": "   ", "reading_time": None},  # blank: missing
        {"id": 5, "content": body, "reading_time": "9"},
    ]
    answers, proc = run_jsonl(lines, "--no-cache", "--keep-existing", "all", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    shown = [{k: a.get(k) for k in ("id", "excerpt", "reading_time")} for a in answers]
    assert shown[0] == {"id": 1, "excerpt": "手書きの抜粋", "reading_time": 9}
    assert shown[1] == {
        "id": 2,
        "excerpt": "手書きの抜粋",
        "reading_time": computed["reading_time"],
    }
    assert shown[2] == {"id": 3, "excerpt": computed["excerpt"], "reading_time": 9}
    assert shown[3] == {"id": 4, **computed}
    assert answers[4]["id"] == 5 and "reading_time" in answers[4]["error"]


def test_extra_fillers_reach_the_pipeline(tmp_path: Path) -> None:
    body = "今日もいい天気ですね。\n\n新しいカメラを買いました。"
    answers, proc = run_jsonl(
        [{"id": 1, "content": body}], "--no-cache", "--filler", "今日もいい天気", cwd=tmp_path
    )
    assert proc.returncode == 0, proc.stderr
    assert answers[0]["excerpt"] == "新しいカメラを買いました。"
    _, proc = run_jsonl([{"id": 1, "content": body}], "--filler", "re:(", cwd=tmp_path)
    assert proc.returncode == 2 and b"filler" in proc.stderr and proc.stdout == b""


def test_bad_options_fail_before_reading(tmp_path: Path) -> None:
    _, proc = run_jsonl([{"id": 1, "content": "本文です。"}], "--max-chars", "0", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stdout == b""
    assert b"max_chars" in proc.stderr


def test_cached_run_gives_the_same_answers(tmp_path: Path) -> None:
    lines = [{"id": ident, "content": body} for ident, body in POSTS]
    first, proc1 = run_jsonl(lines, "--jobs", "1", cwd=tmp_path)
    second, proc2 = run_jsonl(lines, "--jobs", "1", cwd=tmp_path)
    assert proc1.returncode == proc2.returncode == 0, proc1.stderr + proc2.stderr
    assert first == second
    assert any((tmp_path / "cache").rglob("*.json")), "nothing was cached"
    assert [a["excerpt"] for a in first] == [expected(body)["excerpt"] for _, body in POSTS]


def test_answers_each_line_before_the_next_arrives(tmp_path: Path) -> None:
    """A caller may talk to it line by line: every answer is flushed as soon as it is ready."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "excerptor", "jsonl", "--no-cache", "--jobs", "1"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        cwd=tmp_path,
        env={**ENV, "EXCERPTOR_CACHE_DIR": str(tmp_path / "cache")},
    )
    assert proc.stdin and proc.stdout
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    try:
        for n, (_, body) in enumerate(POSTS):
            proc.stdin.write(json.dumps({"id": n, "content": body}).encode() + b"\n")
            proc.stdin.flush()
            assert sel.select(timeout=60), f"no answer to line {n + 1} within 60 s"
            assert json.loads(proc.stdout.readline())["id"] == n
        proc.stdin.close()
        assert proc.wait(timeout=30) == 0
    finally:
        proc.kill()
        proc.wait()


def test_many_posts_do_not_deadlock(tmp_path: Path) -> None:
    """Hundreds of posts through pipes, more output than a pipe buffer holds."""
    n = 300
    lines = [
        {"id": i, "content": POSTS[i % 3][1] + f"\n\n{i}番目の段落です。内容は少しずつ違います。\n"}
        for i in range(n)
    ]
    answers, proc = run_jsonl(lines, "--no-cache", "--jobs", "2", cwd=tmp_path, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert [a["id"] for a in answers] == list(range(n))
    assert not [a for a in answers if "error" in a]


# ------------------------------------------------------------------ serve(), in process


def test_a_crash_fails_only_that_post(monkeypatch: pytest.MonkeyPatch) -> None:
    """An unexpected exception answers that post with an error and goes on."""
    import excerptor.pipeline

    real = excerptor.pipeline.analyze_body

    def flaky(body, settings, title=None):
        if "crash" in body:
            raise RuntimeError("worker died")
        return real(body, settings, title)

    monkeypatch.setattr(excerptor.pipeline, "analyze_body", flaky)
    lines = [
        json.dumps({"id": i, "content": c}).encode()
        for i, c in enumerate(["本文です。", "crash", "   ", "次の本文です。"])
    ]
    out: list[dict] = []
    errors = serve(lines, out.append, jobs=1, cache=None)
    assert errors == 2
    assert [a["id"] for a in out] == [0, 1, 2, 3]
    assert out[1] == {"id": 1, "error": "internal error (RuntimeError: worker died)"}
    assert out[2] == {
        "id": 2,
        "error": "empty body (nothing but white space after the front matter)",
    }
    assert out[3]["excerpt"] == "次の本文です。" and out[3]["reading_time"] == 1


def test_config_line_and_paths(tmp_path: Path) -> None:
    """The plugin's form: the site's whole config, then post files by path."""
    post = tmp_path / "_posts" / "2024-01-01-a.md"
    post.parent.mkdir()
    body = "最初の段落です。ここが抜粋です。\n\n<!--break-->\n\n" + POSTS[0][1] * 3
    post.write_text("---\ntitle: a\n---\n" + body, "utf-8")
    config = {
        "excerpt_separator": "<!--break-->",
        "excerptor": {"max_chars": 70, "cjk_chars_per_minute": 50, "excerpt_field": "description"},
    }
    head = {"config": config, "root": str(tmp_path)}
    answers, proc = run_jsonl([head, {"id": 1, "path": str(post)}], "--no-cache", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    want = excerptor.analyze(
        body, title="a", max_chars=70, cjk_chars_per_minute=50, excerpt_separator="<!--break-->"
    )
    assert want.excerpt == "最初の段落です。ここが抜粋です。"
    assert answers == [
        {
            "id": 1,
            "status": "changed",
            "fields": {"description": want.excerpt, "reading_time": want.reading_time},
            "excerpt": want.excerpt,
            "reading_time": want.reading_time,
        }
    ]
    bad = {"config": {"excerptor": {"maxchars": 3}}}
    _, proc = run_jsonl([bad, {"id": 1, "path": str(post)}], "--no-cache", cwd=tmp_path)
    assert proc.returncode == 2 and b"did you mean 'max_chars'?" in proc.stderr


_line = st.one_of(
    st.builds(
        lambda i, c: json.dumps({"id": i, "content": c}, ensure_ascii=False).encode(),
        st.integers(),
        st.text(alphabet=st.sampled_from("あいうえお漢字カナ。、\n#*-`{}<>&abc 1"), max_size=80),
    ),
    st.binary(max_size=20).filter(lambda b: b"\n" not in b and b.strip()),
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_line, max_size=6))
def test_one_answer_per_line_in_order(lines: list[bytes]) -> None:
    out: list[dict] = []
    serve(lines, out.append, options={"max_chars": 40}, jobs=1, cache=None)
    assert len(out) == len(lines)
    for raw, answer in zip(lines, out, strict=True):
        try:
            ident = json.loads(raw)["id"]
        except (ValueError, TypeError, KeyError):
            assert "error" in answer
            continue
        assert answer["id"] == ident
        if "error" not in answer:
            # a body of only headings or code has a reading time and no excerpt
            assert len(answer.get("excerpt", "")) <= 40
            assert isinstance(answer["reading_time"], int)


@pytest.mark.parametrize("bad", [b"not json", b'{"content": 1}'])
def test_bad_line_alone_is_answered(bad: bytes) -> None:
    out: list[dict] = []
    assert serve([bad], out.append, jobs=1, cache=None) == 1
    assert out == [{"id": None, "error": out[0]["error"]}]
