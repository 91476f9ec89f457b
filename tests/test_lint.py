"""``excerptor lint``: table, --json, exit codes, file line numbers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from excerptor.cli import main
from excerptor.lint import lint_text
from excerptor.process import reading_time_far

PARA = [
    "新しいノートパソコンを買ったので、開発環境を一から作り直すことにしました。",
    "昨日は近所の図書館で、統計学の入門書を三冊まとめて借りてきて読み比べました。",
    "週末に作ったカレーは、玉ねぎを一時間かけて炒めたおかげで甘みが強く出ました。",
]

CLEAN = f"---\ntitle: 週末の記録\nreading_time: 1\n---\n\n{PARA[0]}\n\n{PARA[1]}\n"
# Front matter is 5 lines and one blank line follows: body line 1 is file line 6.
DIRTY = (
    f"---\ntitle: 週末の記録\nlayout: post\nreading_time: 20\n---\n\n{PARA[0]}\n\n{PARA[1]}\n\n"
    f"---END---\n\n{PARA[1]}\n\n{PARA[2]}\n"
)


def write(tmp_path: Path, name: str, text: str | bytes) -> str:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return str(path)


def test_clean_post_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "clean.md", CLEAN)
    assert main(["lint", path]) == 0
    out = capsys.readouterr().out
    assert "0 problems in 0 of 1 file" in out


def test_table_has_file_lines_and_codes(tmp_path: Path, capsys) -> None:
    path = write(tmp_path, "dirty.md", DIRTY)
    assert main(["lint", path]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["path", "line", "code", "message"]
    rows = {line.split()[2]: line.split() for line in out[1:-1]}
    assert rows["marker-line"][:2] == [path, "11"]
    assert rows["repeated-block"][:2] == [path, "13"]
    assert rows["reading-time-mismatch"][:2] == [path, "4"]
    assert "reading_time: 20" in out[-2] or any("reading_time: 20" in x for x in out)
    assert out[-1] == "3 problems in 1 of 1 file"


def test_json_output(tmp_path: Path, capsys) -> None:
    dirty = write(tmp_path, "dirty.md", DIRTY)
    clean = write(tmp_path, "clean.md", CLEAN)
    assert main(["lint", "--json", clean, dirty]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["files"] == 2 and data["flagged"] == 1 and data["errors"] == []
    by_code = {p["code"]: p for p in data["problems"]}
    assert set(by_code) == {"marker-line", "repeated-block", "reading-time-mismatch"}
    assert by_code["marker-line"]["lines"] == [11]
    assert by_code["marker-line"]["path"] == dirty
    assert "of the body text is repeats" in by_code["repeated-block"]["message"]


def test_folders_are_searched_for_markdown(tmp_path: Path, capsys) -> None:
    (tmp_path / "_posts").mkdir()
    (tmp_path / ".git").mkdir()
    write(tmp_path, "_posts/a.md", DIRTY)
    write(tmp_path, "_posts/b.markdown", CLEAN)
    write(tmp_path, ".git/c.md", DIRTY)
    write(tmp_path, "_posts/notes.txt", DIRTY)
    assert main(["lint", "--json", str(tmp_path)]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["files"] == 2
    assert {p["path"] for p in data["problems"]} == {str(tmp_path / "_posts" / "a.md")}


def test_ignore_codes(tmp_path: Path, capsys) -> None:
    path = write(tmp_path, "dirty.md", DIRTY)
    code = main(
        ["lint", path, "--ignore", "marker-line,repeated-block", "--ignore=reading-time-mismatch"]
    )
    assert code == 0


def test_file_without_front_matter_is_not_a_post(tmp_path: Path, capsys) -> None:
    """A README.md among the posts (as the pre-commit hook passes it) is skipped, exit 0."""
    path = write(tmp_path, "plain.md", f"{PARA[0]}\n\n===END===\n")
    assert main(["lint", "--json", path]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["files"] == 0 and data["problems"] == []


@pytest.mark.parametrize(
    "content, message",
    [
        (b"---\ntitle: x\n---\n\xff\xfe\n", "not UTF-8"),
        (b"---\ntitle: [unclosed\n---\nbody\n", ""),
    ],
)
def test_unreadable_files_give_one_line_and_exit_1(
    tmp_path: Path, capsys, content: bytes, message: str
) -> None:
    bad = write(tmp_path, "bad.md", content)
    good = write(tmp_path, "good.md", CLEAN)
    assert main(["lint", bad, good]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith(f"excerptor: {bad}: ")
    assert message in err[0]


def test_missing_file(tmp_path: Path, capsys) -> None:
    assert main(["lint", str(tmp_path / "nope.md")]) == 1
    err = capsys.readouterr().err.strip()
    assert err == f"excerptor: {tmp_path / 'nope.md'}: no such file or folder"


def test_usage_errors_exit_2(capsys, tmp_path: Path, monkeypatch) -> None:
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    assert main(["lint"]) == 2  # no PATH, not in a site
    assert "not in a Jekyll or Hugo site" in capsys.readouterr().err
    assert main(["lint", "--ignore", "marker-lines", "x.md"]) == 2
    assert "did you mean 'marker-line'?" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["lint", "--bogus", "x.md"])
    assert exc.value.code == 2


def test_crlf_and_toml_front_matter_line_numbers() -> None:
    text = f'+++\r\ntitle = "記録"\r\n+++\r\n{PARA[0]}\r\n\r\n---END---\r\n'
    problems = lint_text(text, "p.md")
    assert [(p.code, p.line) for p in problems] == [("marker-line", 6)]


@pytest.mark.parametrize(
    "stated, computed, far",
    [(20, 3, True), (20, 18, False), (6, 3, True), (5, 3, False), (1, 9, True), (30, 42, False)],
)
def test_reading_time_far(stated: int, computed: int, far: bool) -> None:
    assert reading_time_far(stated, computed) is far


def test_non_numeric_reading_time_is_ignored() -> None:
    text = f"---\nreading_time: 約5分\n---\n{PARA[0]}\n"
    assert lint_text(text) == []
