"""Hostile and pathological input: a clear one-line error naming the file, or a right result.

The cases are module-level (CASES) so that benchmarks/hostile.py can run each one alone, in a
subprocess, with its time and peak memory. Here all file cases go through one
``excerptor rewrite`` run (one line per file tells its fate); a few API and security checks
follow. Bounds are generous (seconds, hundreds of MB): a loaded 2-core CI box must pass.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, cli_env

import excerptor
from excerptor.errors import ExcerptorError
from excerptor.patcher import read_post

PLUGIN = ROOT / "excerptor" / "data" / "excerptor.rb"
PAYLOAD = "excerptor-pwned"  # a file the unsafe-YAML payload would create in the cwd


def fm(body: str, front: str = 'title: "テスト"\n') -> bytes:
    return f"---\n{front}---\n{body}".encode()


def deep_yaml(levels: int) -> str:
    return "deep: " + "[" * levels + "]" * levels + "\n"


def alias_bomb() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Case:
    """One hostile file: its bytes, and what rewrite must do with it."""

    name: str
    data: Callable[[], bytes]
    expect: str  # "changed", "error: <regex>", or "skipped"
    check: Callable[[bytes, bytes], None] | None = None  # (old, new) for changed files


def _fields(new: bytes) -> dict:
    return read_post(new.decode("utf-8-sig")).metadata


def _fits(old: bytes, new: bytes) -> None:
    meta = _fields(new)
    assert isinstance(meta["excerpt"], str) and len(meta["excerpt"]) <= 120
    assert type(meta["reading_time"]) is int and meta["reading_time"] >= 1


def _excerpt_cut(old: bytes, new: bytes) -> None:
    _fits(old, new)
    assert _fields(new)["excerpt"].endswith("…")


def _empty_excerpt(old: bytes, new: bytes) -> None:
    meta = _fields(new)  # no prose: no `excerpt: ""` is written, the reading time is
    assert "excerpt" not in meta and meta["reading_time"] >= 1


def _newlines_kept(old: bytes, new: bytes) -> None:
    _fits(old, new)
    assert new.endswith(old[old.index(b"---\r\n", 4) :]), "body changed"
    assert new.count(b"\r\n") >= old.count(b"\r\n") - 1


def _block_scalar(old: bytes, new: bytes) -> None:
    # Jekyll closes the front matter at the first --- line, even inside a block scalar.
    _fits(old, new)
    body = "---\n  still in the scalar?\n\n---\n本文。\n".encode()
    assert new.endswith(body) and old.endswith(body)
    assert _fields(new)["note"] == "line\n"


CASES: list[Case] = [
    Case("20 MB post", lambda: fm("あいうえお。" * 1_200_000), "error: larger than 10 MB"),
    Case(
        "200,000-char paragraph, no punctuation",
        lambda: fm("あいうえおかきくけこ" * 20_000 + "\n"),
        "changed",
        _excerpt_cut,
    ),
    Case("10,000 one-character sentences", lambda: fm("あ。" * 10_000 + "\n"), "changed", _fits),
    Case(
        "front matter of 100,000 lines",
        lambda: fm("本文。\n", "".join(f"k{i}: v\n" for i in range(100_000))),
        "error: more than 100000 YAML nodes",
    ),
    Case("deeply nested YAML", lambda: fm("本文。\n", deep_yaml(5_000)), "error: nested deeper"),
    Case("YAML alias bomb", lambda: fm("本文。\n", alias_bomb()), "error: YAML (aliases|nodes)"),
    Case(
        "!!python/object/apply tag",
        lambda: fm("本文。\n", f"x: !!python/object/apply:os.system ['touch {PAYLOAD}']\n"),
        "error: unsupported or unsafe YAML tag",
    ),
    Case("NUL bytes", lambda: fm("本文\x00です。\n"), "error: binary file \\(NUL byte at offset"),
    Case(
        "invalid UTF-8 mid-file",
        lambda: fm("本文です。\n") + b"\xff\xfe\x80" + "続き。\n".encode(),
        "error: not UTF-8 \\(invalid byte 0xff at offset",
    ),
    Case(
        "UTF-16 with a BOM",
        lambda: "---\ntitle: x\n---\n本文。\n".encode("utf-16"),
        "error: UTF-16",
    ),
    Case(
        "lone CR line endings",
        lambda: fm("本文です。\n").replace(b"\n", b"\r"),
        "error: no front matter",
    ),
    Case(
        "mixed line endings",
        lambda: (
            b'---\r\ntitle: "t"\ntags: [a]\r\n---\r\n\xe6\x9c\xac\xe6\x96\x87\xe3\x80\x82\n'
            + "二行目です。\r\n".encode()
        ),
        "changed",
        _newlines_kept,
    ),
    Case(
        "front matter delimiter with trailing spaces",
        lambda: b'---   \ntitle: "t"\n---  \t\n' + "本文です。\n".encode(),
        "changed",
        _fits,
    ),
    Case(
        "--- inside a block scalar",
        lambda: fm("本文。\n", "note: |\n  line\n---\n  still in the scalar?\n\n"),
        "changed",
        _block_scalar,
    ),
    Case(
        "only code",
        lambda: fm("```python\n" + "print('x')\n" * 40 + "```\n"),
        "changed",
        _empty_excerpt,
    ),
    Case(
        "only images",
        lambda: fm("\n\n".join(f"![写真{i}](/img/{i}.png)" for i in range(20)) + "\n"),
        "changed",
        _empty_excerpt,
    ),
    Case("only emoji", lambda: fm("😀🎉👍🏽👨\u200d👩\u200d👧🇯🇵\n" * 30), "changed", _fits),
    Case("20,000 unclosed HTML tags", lambda: fm("<div><p>本文です。" * 20_000), "changed", _fits),
    Case(
        "5,000 unclosed ::: containers",
        lambda: fm(":::message\n本文です。\n" * 5_000),
        "changed",
        _fits,
    ),
    Case(
        "right-to-left and combining characters",
        lambda: fm(
            ("مرحبا بالعالم. שלום עולם. " + "e\u0301" * 30 + "か\u3099" * 30 + "\u202e反転\u202c。")
            * 20
            + "\n"
        ),
        "changed",
        _fits,
    ),
]

_LINE = re.compile(
    r"^(?:excerptor: error: (?P<epath>.+?): (?P<msg>.*)"
    r"|(?P<verb>changed|unchanged|skipped) (?P<path>[^:]+?)(?::.*)?)$"
)


def file_name(case: Case) -> str:
    return re.sub(r"[^a-z0-9]+", "-", case.name.lower()).strip("-") + ".md"


def rewrite(
    cwd: Path,
    *args: str,
    flags: tuple[str, ...] = ("--no-cache", "--jobs", "1", "-v"),
    timeout: float = 600,
) -> tuple[subprocess.CompletedProcess, float]:
    began = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "excerptor", "rewrite", *flags, *args],
        cwd=cwd,
        env=cli_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return done, time.perf_counter() - began


def outcomes(stderr: str) -> dict[str, tuple[str, str]]:
    """file name -> ("error", message) or (verb, "") from rewrite -v's lines."""
    out: dict[str, tuple[str, str]] = {}
    for line in stderr.splitlines():
        m = _LINE.match(line)
        if not m:
            continue
        if m["epath"]:
            out[os.path.basename(m["epath"])] = ("error", m["msg"])
        else:
            out.setdefault(os.path.basename(m["path"]), (m["verb"], ""))
    return out


def verify(case: Case, outcome: tuple[str, str] | None, old: bytes, new: bytes) -> None:
    assert outcome is not None, f"{case.name}: no line about the file"
    kind, message = outcome
    if case.expect.startswith("error: "):
        assert kind == "error", f"{case.name}: {outcome}"
        assert re.search(case.expect[7:], message), f"{case.name}: {message}"
        assert "\n" not in message
        assert new == old, f"{case.name}: a refused file was written"
    else:
        assert kind == case.expect, f"{case.name}: {outcome}"
        if case.check:
            case.check(old, new)


# --------------------------------------------------------------------------- file cases


def test_hostile_files_through_rewrite(tmp_path: Path) -> None:
    posts = tmp_path / "_posts"
    posts.mkdir()
    old = {}
    for case in CASES:
        old[case.name] = case.data()
        (posts / file_name(case)).write_bytes(old[case.name])
    # Named explicitly: in a folder walk a file that does not start with ---/+++ is not a post.
    done, seconds = rewrite(tmp_path, *(f"_posts/{file_name(c)}" for c in CASES))
    assert done.returncode == 1, done.stderr[-3000:]  # some files are refused
    found = outcomes(done.stderr)
    for case in CASES:
        verify(
            case, found.get(file_name(case)), old[case.name], (posts / file_name(case)).read_bytes()
        )
    assert not (tmp_path / PAYLOAD).exists() and not Path(PAYLOAD).exists()
    assert seconds < 300


# A symlink to a file outside the folder: tests/test_rewrite.py::test_symlinks.


def test_folder_of_50000_non_posts(tmp_path: Path) -> None:
    posts = tmp_path / "_posts"
    posts.mkdir()
    for i in range(25_000):
        (posts / f"img{i}.png").write_bytes(b"\x89PNG\r\n\x1a\n")
        (posts / f"note{i}.md").write_bytes(b"# just markdown\n")
    (posts / "real.md").write_bytes(fm("本物の記事です。\n"))
    done, seconds = rewrite(tmp_path, "_posts")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "1 file, 1 changed" in done.stderr
    assert seconds < 120


# --------------------------------------------------------------------------- API and security


@pytest.mark.parametrize(
    "body",
    [
        "あいうえお" * 40_000,
        "あ。" * 10_000,
        "😀" * 500,
        "\u202eمرحبا" * 500 + "e\u0301" * 500,
        "\x00\ud800\r\r\n" * 100,
    ],
    ids=["200k-no-punctuation", "10k-sentences", "emoji", "rtl-combining", "controls"],
)
def test_analyze_pathological_bodies(body: str) -> None:
    result = excerptor.analyze(body, max_chars=80)
    assert len(result.excerpt) <= 80
    assert result.reading_time >= 1


def test_safe_yaml_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for tag in ("!!python/object/apply:os.system", "!!python/object/new:os.system"):
        text = f"---\nx: {tag} ['touch {PAYLOAD}']\n---\n本文。\n"
        with pytest.raises(ExcerptorError, match="unsafe YAML tag"):
            read_post(text)
        excerptor.analyze(text)  # body-only API: the front matter is only text here
    assert not (tmp_path / PAYLOAD).exists()
    assert yaml.safe_load("a: 1") == {"a": 1}  # the check above ran with PyYAML present


def test_jekyll_plugin_never_uses_a_shell() -> None:
    code = "\n".join(
        line
        for line in PLUGIN.read_text(encoding="utf-8").splitlines()
        if not line.lstrip().startswith("#")
    )
    assert "Open3.capture3" in code or "Open3.popen3" in code
    # Backticks inside string literals are just text (messages quoting a command).
    bare = re.sub(r'"(?:\\.|[^"\\])*"|\'(?:\\.|[^\'\\])*\'', '""', code)
    assert "`" not in bare, "backticks run a shell"
    assert not re.search(r"%x[\[({<|!]", bare), "%x runs a shell"
    # system/exec/spawn/popen with one string argument go through /bin/sh.
    assert not re.search(r"\b(?:system|exec|spawn|IO\.popen|Kernel\.open)\s*\(?\s*[\"']", code)
    assert not re.search(r"\bopen\(\s*[\"']\|", code)
    for call in re.finditer(r"Open3\.(?:capture3|popen3)\s*\(([^)]*)\)", code):
        args = call.group(1)
        assert not re.match(r"\s*[\"'][^\"']*\s[^\"']*[\"']\s*(,|$)", args), args
        assert "*" in args or "," in args, f"one string argument runs a shell: {args}"


@pytest.mark.parametrize(
    "config",
    [
        "excerptor:\n  cache_dir: _posts/.cache\n",
        "collections:\n  evil:\n    output: true\ncollections_dir: ../outside\n",
        "collections_dir: /etc\n",
        "collections:\n  ../../etc:\n    output: true\n",
    ],
    ids=["cache-in-posts", "collections-dir-up", "collections-dir-absolute", "collection-up"],
)
def test_config_paths_cannot_leave_the_site(tmp_path: Path, config: str) -> None:
    site = tmp_path / "site"
    (site / "_posts").mkdir(parents=True)
    (site / "_posts" / "a.md").write_bytes(fm("本文です。\n"))
    (site / "_config.yml").write_text(config, encoding="utf-8")
    done, _ = rewrite(site, flags=("--jobs", "1"), timeout=300)
    assert done.returncode == 2, done.stderr
    assert "_config.yml" in done.stderr and "refusing" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert not (site / "_posts" / ".cache").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
