"""``excerptor rewrite``: end to end through ``excerptor.cli.main`` and ``python -m excerptor``."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, cli_env

from excerptor.cli import main
from excerptor.files import read_file

EXAMPLES = ROOT / "examples" / "posts"

GOOD = """---
title: "良い記事"
---

今日は近所の図書館で本を三冊借りました。どれも旅に関する本です。

一冊目は北海道の鉄道旅の記録で、写真がたくさん載っています。
"""


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXCERPTOR_CACHE_DIR", str(tmp_path / "user-cache"))
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def posts(tmp_path: Path) -> Path:
    dest = tmp_path / "posts"
    shutil.copytree(EXAMPLES, dest)
    return dest


def rewrite(*args: str | Path) -> int:
    return main(["rewrite", "--jobs", "1", *map(str, args)])


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.rglob("*.md"))}


def meta(path: Path) -> dict:
    return read_file(str(path)).metadata


# ------------------------------------------------------------------ rewrite, check, diff


def test_rewrite_then_idempotent(posts: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert rewrite(posts) == 0
    assert "4 files, 4 changed, 0 unchanged, 0 errors" in capsys.readouterr().err
    for path in posts.glob("*.md"):
        m = meta(path)
        assert isinstance(m["excerpt"], str) and m["excerpt"], path
        assert isinstance(m["reading_time"], int) and m["reading_time"] >= 1
    chatty = meta(posts / "2024-06-01-qa-log.md")
    assert not chatty["excerpt"].startswith("いやー") and chatty["reading_time"] == 1
    before = snapshot(posts)
    assert rewrite(posts, "--no-cache") == 0
    assert "4 files, 0 changed, 4 unchanged, 0 errors" in capsys.readouterr().err
    assert snapshot(posts) == before  # same bytes, same mtimes: nothing written
    assert rewrite("--check", posts) == 0
    assert snapshot(posts) == before


def test_check_reports_and_writes_nothing(posts: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(posts)
    assert rewrite("--check", posts) == 1
    err = capsys.readouterr().err
    assert f"would change {posts / 'hugo-sourdough.md'}" in err
    assert "4 files, 4 would change, 0 unchanged, 0 errors" in err
    assert snapshot(posts) == before


def test_diff_prints_and_writes_nothing(posts: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(posts)
    assert rewrite("--diff", posts / "2024-06-01-qa-log.md") == 0
    out = capsys.readouterr().out
    assert '-excerpt: "いやー、今日も暑かったですね！' in out
    assert "\n-reading_time: 15\n" in out and "\n+reading_time: 1\n" in out
    assert out.startswith(f"--- {posts / '2024-06-01-qa-log.md'}")
    assert snapshot(posts) == before


def test_more_marker_and_toml(posts: Path) -> None:
    assert rewrite(posts) == 0
    garden = meta(posts / "2024-05-18-balcony-garden.md")
    assert garden["excerpt"] == (
        "今年はベランダでミニトマトを三株育てることにしました。最初の目標は、七月に十個収穫することです。"
    )
    hugo = (posts / "hugo-sourdough.md").read_text(encoding="utf-8")
    assert hugo.startswith("+++\n") and "\nreading_time = 1\n" in hugo
    assert '\nexcerpt = "週末に天然酵母でパンを焼いています。' in hugo


def test_mode_bom_and_crlf_are_kept(tmp_path: Path) -> None:
    post = tmp_path / "crlf.md"
    post.write_bytes(b"\xef\xbb\xbf" + GOOD.replace("\n", "\r\n").encode())
    post.chmod(0o640)
    assert rewrite(post) == 0
    data = post.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf---\r\n") and b"\nreading_time: 1\r\n" in data
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert stat.S_IMODE(post.stat().st_mode) == 0o640


def test_only_missing_keeps_values(posts: Path) -> None:
    chatty = posts / "2024-06-01-qa-log.md"
    before = chatty.read_bytes()
    assert rewrite("--keep-existing", "all", posts) == 0
    assert chatty.read_bytes() == before
    assert meta(posts / "hugo-sourdough.md")["reading_time"] == 1


def test_field_names(posts: Path) -> None:
    path = posts / "2024-05-04-hand-grinder.md"
    assert rewrite("--excerpt-field", "description", "--reading-time-field", "minutes", path) == 0
    m = meta(path)
    assert "excerpt" not in m and "reading_time" not in m
    assert m["description"].startswith("先月、古道具屋で") and m["minutes"] == 1
    assert rewrite("--reading-time-field", "", "--excerpt-field", "summary", path) == 0
    assert "reading_time" not in meta(path) and meta(path)["summary"] == m["description"]


def test_max_chars(posts: Path) -> None:
    path = posts / "2024-05-04-hand-grinder.md"
    assert rewrite("--max-chars", "40", path) == 0
    assert 0 < len(meta(path)["excerpt"]) <= 40


def test_reading_speed_option(tmp_path: Path) -> None:
    post = tmp_path / "long.md"
    post.write_text("---\ntitle: t\n---\n\n" + "長い文章を読む練習です。" * 200 + "\n", "utf-8")
    assert rewrite(post) == 0
    normal = meta(post)["reading_time"]
    assert rewrite("--cjk-cpm", "100", post) == 0
    assert meta(post)["reading_time"] > normal


def test_opt_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    post = tmp_path / "keep.md"
    post.write_text(GOOD.replace("---\n\n", "excerptor: false\n---\n\n", 1), "utf-8")
    before = post.read_bytes()
    assert rewrite("-v", post) == 0
    assert post.read_bytes() == before
    assert "skipped" in capsys.readouterr().err


def test_dedupe(tmp_path: Path) -> None:
    body = (
        "\n同じ段落が二度出てくる記事です。生成の途中で繰り返しが起きました。\n\n"
        "次の段落は一度だけ出てきます。内容は短いものです。\n\n"
        "同じ段落が二度出てくる記事です。生成の途中で繰り返しが起きました。\n\n---END---\n"
    )
    front = '---\ntitle: "重複"\nexcerpt: "x"\nreading_time: 1\n---\n'
    post = tmp_path / "dup.md"
    post.write_text(front + body, "utf-8")
    assert rewrite("--dedupe", "--excerpt-field", "", post) == 0
    text = post.read_text("utf-8")
    assert text.startswith(front)  # front matter byte-identical
    assert text.count("同じ段落が二度出てくる記事です。") == 1 and "---END---" not in text
    assert rewrite("--dedupe", "--excerpt-field", "", "--check", post) == 0


# ------------------------------------------------------------------------ the site


def make_site(root: Path, config: str) -> Path:
    (root / "_posts").mkdir(parents=True)
    (root / "_config.yml").write_text(config, "utf-8")
    for p in EXAMPLES.glob("2024-*.md"):
        shutil.copy(p, root / "_posts" / p.name)
    return root


def test_site_config_and_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site(
        tmp_path / "site",
        "title: t\nexcerptor:\n  command: [excerptor, jsonl]\n  max_chars: 30\n"
        "  excerpt_field: summary\n  cache_dir: .excerptor-cache\n",
    )
    monkeypatch.chdir(site)
    assert main(["rewrite", "--jobs", "1"]) == 0
    grinder = site / "_posts" / "2024-05-04-hand-grinder.md"
    assert 0 < len(meta(grinder)["summary"]) <= 30 and "excerpt" not in meta(grinder)
    assert any((site / ".excerptor-cache").rglob("*.json"))
    assert not (tmp_path / "user-cache").exists()
    assert main(["rewrite", "--jobs", "1", "--max-chars", "60"]) == 0
    assert len(meta(grinder)["summary"]) <= 30  # a good summary already there is kept
    assert main(["rewrite", "--jobs", "1", "--max-chars", "60", "--keep-existing", "none"]) == 0
    assert 30 < len(meta(grinder)["summary"]) <= 60  # the CLI wins


def test_site_separator_and_collections(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site(
        tmp_path / "site",
        'excerpt_separator: "<!-- cut -->"\ncollections:\n  notes:\n    output: true\n'
        "  drafts:\n    output: false\n",
    )
    (site / "_notes").mkdir()
    (site / "_drafts").mkdir()
    (site / "_notes" / "n.md").write_text(
        GOOD.replace("\n\n一冊目", "\n\n<!-- cut -->\n\n一冊目"), "utf-8"
    )
    (site / "_drafts" / "d.md").write_text(GOOD, "utf-8")
    monkeypatch.chdir(site)
    assert main(["rewrite", "--jobs", "1"]) == 0
    assert meta(site / "_notes" / "n.md")["excerpt"] == (
        "今日は近所の図書館で本を三冊借りました。どれも旅に関する本です。"
    )
    assert "excerpt" not in meta(site / "_drafts" / "d.md")
    assert "excerpt" in meta(site / "_posts" / "2024-05-04-hand-grinder.md")


def test_config_found_from_path(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", "excerptor:\n  reading_time_field: minutes\n")
    assert rewrite(site / "_posts") == 0
    assert "minutes" in meta(site / "_posts" / "2024-05-04-hand-grinder.md")


@pytest.mark.parametrize(
    "config",
    [
        "excerptor:\n  max_chars: nope\n",
        "excerptor:\n  cache_dir: _posts/cache\n",
        "collections:\n  x:\n    output: true\ncollections_dir: ../out\n",
        "excerptor: [1, 2]\n",
        "a: [unclosed\n",
    ],
)
def test_bad_config_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys, config: str
) -> None:
    site = make_site(tmp_path / "site", config)
    monkeypatch.chdir(site)
    before = snapshot(site)
    assert main(["rewrite", "--jobs", "1"]) == 2
    assert "_config.yml" in capsys.readouterr().err
    assert snapshot(site) == before


@pytest.mark.parametrize(
    "args",
    [["--max-chars", "0"], ["--algorithm", "nope"], ["--jobs", "-1"], ["--cjk-cpm", "0"], []],
)
def test_usage_errors(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rewrite", *args]) == 2  # cwd has no _config.yml: no PATH is an error too
    assert "error" in capsys.readouterr().err


# -------------------------------------------------------------------- bad input


BAD = {
    "unclosed": (b"---\ntitle: x\n\nbody text.\n", "never closed"),
    "broken yaml": (b"---\ntitle: [x\n---\n\nbody.\n", "not valid YAML"),
    "non-mapping": (b"---\n- a\n- b\n---\n\nbody.\n", "not a mapping"),
    "python tag": (b"---\nx: !!python/object/apply:os.system ['true']\n---\n\nbody.\n", "tag"),
    "duplicate keys": (b"---\nexcerpt: a\nexcerpt: b\n---\n\nbody.\n", "twice (lines 2 and 3)"),
    "excerpt is a list": ("---\nexcerpt: [a, b]\n---\n\n本文です。\n".encode(), "list"),
    "non-utf8": (b"---\ntitle: x\n---\n\n\x93\xfa\x96\x7b\x8c\xea\n", "not UTF-8"),
    "binary": (b"---\ntitle: x\n---\n\x00\x01\x02", "binary"),
    "empty body": (b"---\ntitle: x\n---\n\n  \n", "empty body"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_file_fails_alone(tmp_path: Path, capsys, case: str) -> None:
    data, words = BAD[case]
    bad = tmp_path / "bad.md"
    bad.write_bytes(data)
    good = tmp_path / "good.md"
    good.write_text(GOOD, "utf-8")
    assert rewrite(bad, good) == 1
    err = capsys.readouterr().err.splitlines()
    errors = [line for line in err if line.startswith("excerptor: error:")]
    assert len(errors) == 1 and errors[0].startswith(f"excerptor: error: {bad}: "), err
    assert words in errors[0]
    assert bad.read_bytes() == data
    assert "excerpt" in meta(good)
    assert err[-1] == "2 files, 1 changed, 0 unchanged, 1 error"


def test_named_file_without_front_matter_is_skipped_with_a_note(tmp_path: Path, capsys) -> None:
    """As the pre-commit hook passes it (content/README.md): not a failure."""
    readme = tmp_path / "README.md"
    readme.write_bytes(b"# title\n\nbody text.\n")
    assert rewrite(readme) == 0
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"skipped {readme}: no front matter",
        "0 files, 0 changed, 0 unchanged, 0 errors",
    ]
    assert readme.read_bytes() == b"# title\n\nbody text.\n"


@pytest.mark.parametrize("body", ["<!-- 下書き -->\n", "{% comment %}あとで書く{% endcomment %}\n"])
def test_post_without_visible_text_keeps_its_fields(tmp_path: Path, capsys, body: str) -> None:
    """No excerpt: "" and no reading_time: 0: the fields stay as they are, and it is said."""
    post = tmp_path / "draft.md"
    data = f"---\ntitle: 下書き\nexcerpt: 準備中\n---\n{body}".encode()
    post.write_bytes(data)
    assert rewrite(post) == 1
    err = capsys.readouterr().err
    assert f"excerptor: error: {post}: the body has no text a reader sees" in err
    assert post.read_bytes() == data


def test_read_only_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ro = tmp_path / "ro.md"
    ro.write_text(GOOD, "utf-8")
    ro.chmod(0o444)
    good = tmp_path / "good.md"
    good.write_text(GOOD, "utf-8")
    assert rewrite(ro, good) == 1
    err = capsys.readouterr().err
    assert f"excerptor: error: {ro}: file is read-only" in err
    assert ro.read_text("utf-8") == GOOD and "excerpt" in meta(good)
    assert rewrite("--check", ro) == 1  # would change, but that is not an error


def test_missing_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "good.md"
    good.write_text(GOOD, "utf-8")
    assert rewrite(tmp_path / "nope.md", good) == 1
    assert f"excerptor: error: {tmp_path / 'nope.md'}: no such file" in capsys.readouterr().err
    assert "excerpt" in meta(good)


def test_crash_in_pipeline_fails_that_post_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import excerptor.pipeline

    real = excerptor.pipeline.analyze_body

    def buggy(body: str, settings, title=None):
        if "図書館" in body:
            raise ZeroDivisionError("boom")
        return real(body, settings, title)

    monkeypatch.setattr(excerptor.pipeline, "analyze_body", buggy)
    (tmp_path / "a.md").write_text(GOOD, "utf-8")
    (tmp_path / "b.md").write_text(GOOD.replace("図書館", "公園"), "utf-8")
    assert main(["rewrite", "--no-cache", "--jobs", "2", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert f"excerptor: error: {tmp_path / 'a.md'}: internal error (ZeroDivisionError: boom)" in err
    assert "excerpt" in meta(tmp_path / "b.md")


# ------------------------------------------------------------------------ the walk


def test_walk_skips_what_is_not_a_post(tmp_path: Path, capsys) -> None:
    root = tmp_path / "site"
    for folder in ("_posts", "_site", "node_modules/x", ".git", ".jekyll-cache", "deep/er"):
        (root / folder).mkdir(parents=True)
        (root / folder / "p.md").write_text(GOOD, "utf-8")
    (root / "plain.md").write_text("# no front matter\n\n本文。\n", "utf-8")
    (root / "bin.md").write_bytes(b"\x00\x01")
    (root / "notes.txt").write_text(GOOD, "utf-8")
    (root / "page.html").write_text(GOOD, "utf-8")
    stale = root / "_posts" / ".excerptor-p.md-abc123.tmp"
    stale.write_text("partial", "utf-8")
    assert rewrite("-v", root) == 0
    err = capsys.readouterr().err
    assert "3 files, 3 changed" in err and f"skipped {root / 'plain.md'}" in err
    assert "excerpt" in meta(root / "deep/er/p.md") and "excerpt" in meta(root / "page.html")
    for folder in ("_site", "node_modules/x", ".git", ".jekyll-cache"):
        assert (root / folder / "p.md").read_text("utf-8") == GOOD
    assert not stale.exists()


def test_symlinks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text(GOOD, "utf-8")
    folder = tmp_path / "posts"
    (folder / "sub").mkdir(parents=True)
    (folder / "inside.md").write_text(GOOD, "utf-8")
    (folder / "link.md").symlink_to(outside)
    (folder / "twin.md").symlink_to(folder / "inside.md")
    (folder / "dirlink").symlink_to(folder / "sub")
    assert rewrite("-v", folder) == 0
    assert "symlink to a file outside" in capsys.readouterr().err
    assert outside.read_text("utf-8") == GOOD and (folder / "link.md").is_symlink()
    assert "excerpt" in meta(folder / "inside.md")
    assert rewrite("--follow-symlinks", folder) == 0
    assert "excerpt" in meta(outside) and (folder / "link.md").is_symlink()


def test_walk_filters_by_suffix_before_reading(tmp_path: Path) -> None:
    from excerptor.files import walk

    for i in range(3000):
        (tmp_path / f"f{i}.txt").write_bytes(b"")
    (tmp_path / "a.md").write_text(GOOD, "utf-8")
    found = walk([str(tmp_path)])
    assert [os.path.basename(p) for p, _ in found.files] == ["a.md"]


# --------------------------------------------------------------------------- cache


def test_cache_hit_skips_analysis(posts: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert rewrite(posts) == 0
    import excerptor.pipeline

    real = excerptor.pipeline.analyze_body

    def fail(*args, **kwargs):
        raise AssertionError("analyzed although cached")

    monkeypatch.setattr(excerptor.pipeline, "analyze_body", fail)
    before = snapshot(posts)
    assert rewrite(posts) == 0 and rewrite("--check", posts) == 0
    assert snapshot(posts) == before
    # A changed file is a miss: analyzed again.
    monkeypatch.setattr(excerptor.pipeline, "analyze_body", real)
    path = posts / "2024-05-04-hand-grinder.md"
    path.write_text(path.read_text("utf-8").replace("reading_time: 1", "reading_time: 9"), "utf-8")
    assert rewrite(posts) == 0
    assert meta(path)["reading_time"] == 1


def test_cache_is_refused_inside_posts(tmp_path: Path, capsys) -> None:
    site = make_site(tmp_path / "site", "title: t\n")
    os.chdir(site)
    assert main(["rewrite", "--cache-dir", "_posts/.c"]) == 2


# --------------------------------------------------------------------- subprocess


def test_python_dash_m(posts: Path, tmp_path: Path) -> None:
    env = cli_env()
    cmd = [sys.executable, "-m", "excerptor", "rewrite"]
    check = subprocess.run([*cmd, "--check", str(posts)], capture_output=True, env=env, text=True)
    assert check.returncode == 1, check.stderr
    first = subprocess.run([*cmd, str(posts)], capture_output=True, env=env, text=True)
    assert first.returncode == 0, first.stderr
    assert first.stderr == "4 files, 4 changed, 0 unchanged, 0 errors\n"  # piped: no bar
    assert first.stdout == ""
    again = subprocess.run([*cmd, "--check", str(posts)], capture_output=True, env=env, text=True)
    assert again.returncode == 0, again.stderr
    assert again.stderr == "4 files, 0 would change, 4 unchanged, 0 errors\n"
    bad = subprocess.run([*cmd, "--max-chars", "x"], capture_output=True, env=env, text=True)
    assert bad.returncode == 2


def test_diff_into_a_closed_pipe_stops_quietly(tmp_path: Path) -> None:
    """`excerptor rewrite --diff | head`: no per-file 'internal error', no traceback."""
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(60):  # ~60 diffs of a few KB: more than a pipe buffer
        (folder / f"post{i:02}.md").write_text(GOOD + "長い段落です。" * 200 + "\n", "utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "excerptor", "rewrite", "--diff", "--jobs", "1", str(folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()  # the reader goes away
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 1
    assert "internal error" not in err and "Traceback" not in err, err
    assert all(p.read_text("utf-8").startswith(GOOD) for p in folder.iterdir())


def test_extra_fillers_from_config_and_flag(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = "今日もいい天気ですね。\n\n新しいカメラを買いました。\n\nところで、週末は雨でした。\n"
    site = tmp_path / "site"
    (site / "_posts").mkdir(parents=True)
    post = site / "_posts" / "2024-01-01-a.md"
    post.write_text("---\ntitle: a\n---\n" + body, "utf-8")
    (site / "_config.yml").write_text("excerptor:\n  fillers: [今日もいい天気]\n", "utf-8")
    monkeypatch.chdir(site)
    assert main(["rewrite", "--jobs", "1"]) == 0
    assert meta(post)["excerpt"] == "新しいカメラを買いました。ところで、週末は雨でした。"
    assert (
        main(["rewrite", "-j1", "--keep-existing", "none", "--filler", "re:^ところで、週末"]) == 0
    )
    assert meta(post)["excerpt"] == "新しいカメラを買いました。"
    assert main(["rewrite", "--jobs", "1", "--filler", "re:("]) == 2
    (site / "_config.yml").write_text("excerptor:\n  fillers: {a: 1}\n", "utf-8")
    assert main(["rewrite", "--jobs", "1"]) == 2
