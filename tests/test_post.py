"""Front matter: reading, surgical patching, refusals and atomic writes."""

from __future__ import annotations

import os
import stat

import pytest

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib
import yaml

from excerptor.atomic import cleanup_temp_files, write_atomic
from excerptor.errors import ExcerptorError
from excerptor.files import decode, read_file
from excerptor.handlers import yaml_quote
from excerptor.patcher import patch, read_post

BODY = "今日は京都に行きました。\n\n紅葉がきれいでした。\n"
NEW = {"excerpt": "京都の紅葉。", "reading_time": 2}


def post(front: str, body: str = BODY) -> str:
    return f"---\n{front}---\n{body}"


def front_of(text: str) -> dict:
    return yaml.safe_load(text.split("---\n")[1])


# --------------------------------------------------------------------------- reading


def test_read_yaml_post() -> None:
    p = read_post(post("title: 京都\ntags: [旅行, 秋]\n"))
    assert p.format == "yaml"
    assert p.metadata == {"title": "京都", "tags": ["旅行", "秋"]}
    assert p.body == BODY
    assert (p.bom, p.newline) == (False, "\n")


def test_read_toml_post() -> None:
    p = read_post('+++\ntitle = "京都"\n[params]\nx = 1\n+++\n' + BODY)
    assert p.format == "toml"
    assert p.metadata == {"title": "京都", "params": {"x": 1}}
    assert p.body == BODY


def test_read_crlf_and_bom() -> None:
    text = "\ufeff" + post("title: 京都\n").replace("\n", "\r\n")
    p = read_post(text)
    assert p.bom and p.newline == "\r\n"
    assert p.metadata == {"title": "京都"}
    assert p.text == text[1:]


def test_delimiters_follow_jekyll() -> None:
    # Trailing spaces on the delimiters, and `...` as the closing one, like Jekyll's regex.
    p = read_post("---  \ntitle: a\n...  \n" + BODY)
    assert p.metadata == {"title": "a"} and p.body == BODY
    # A `---` line closes the front matter even inside a block scalar: Jekyll does the same.
    p = read_post("---\nexcerpt: |\n  one\n---\n  two\n---\nbody\n")
    assert p.metadata == {"excerpt": "one\n"}
    assert p.body == "  two\n---\nbody\n"
    # But `---x` does not close it.
    assert read_post("---\na: 1\n---x: 2\n---\nb\n").metadata == {"a": 1, "---x": 2}


def test_empty_front_matter() -> None:
    assert read_post("---\n---\n" + BODY).metadata == {}
    assert read_post("---\n# just a comment\n---\n" + BODY).metadata == {}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("本文だけ。\n", "no front matter"),
        ("\n---\na: 1\n---\nb\n", "no front matter"),
        ("---\ntitle: a\n本文\n", "never closed"),
        ("+++\ntitle = 'a'\n", "never closed"),
        ("---\ntitle: [a\n---\nb\n", "not valid YAML (line 3"),
        ("---\ntitle: a\n  b: c\n---\nb\n", "not valid YAML (line 3"),
        ("---\n- a\n- b\n---\nb\n", "a list, not a mapping"),
        ("---\njust text\n---\nb\n", "a scalar, not a mapping"),
        ("---\na: !!python/object/apply:os.system [ls]\n---\nb\n", "unsafe YAML tag"),
        ("---\na: !!python/name:os.system\n---\nb\n", "unsafe YAML tag"),
        ("---\ntitle: a\n---\n \n\u3000\n", "empty body"),
        ("---\ntitle: a\n---\n", "empty body"),
        ("---\ntitle: a\rdate: b\n---\nb\n", "lone CR"),
        ("---\na: " + "[" * 100 + "]" * 100 + "\n---\nb\n", "nested deeper"),
        ("---\na: &a [*a]\n---\nb\n", "recursive"),
        ('+++\ntitle = "a"\ntitle = "b"\n+++\nb\n', "not valid TOML"),
        ("+++\ntitle = \n+++\nb\n", "not valid TOML"),
        ("---\n? [a, b]\n: c\n---\nb\n", "complex"),
    ],
)
def test_bad_input_is_refused_with_one_line(text: str, message: str) -> None:
    with pytest.raises(ExcerptorError) as info:
        read_post(text, path="p.md")
    assert message in str(info.value)
    assert str(info.value).startswith("p.md: ")
    assert "\n" not in str(info.value)


def test_billion_laughs_is_refused_quickly() -> None:
    lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[i]
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    with pytest.raises(ExcerptorError, match="expands to more than"):
        read_post("---\n" + "\n".join(lines) + "\n---\nb\n")


def test_many_aliases_are_refused() -> None:
    front = "a: &a x\nb: [" + ", ".join(["*a"] * 500) + "]\n"
    with pytest.raises(ExcerptorError, match="aliases"):
        read_post(post(front))


def test_empty_body_allowed_on_request() -> None:
    assert read_post("---\ntitle: a\n---\n", require_body=False).body == ""


# --------------------------------------------------------------------------- decoding


def test_decode() -> None:
    assert decode("本文".encode()) == ("本文", False)
    assert decode(b"\xef\xbb\xbf" + "本文".encode()) == ("本文", True)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"ab\xe3\x81cd", "not UTF-8 (invalid byte 0xe3 at offset 2)"),
        (b"\xef\xbb\xbfab\xffc", "offset 5"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binary file (NUL byte at offset 8)"),
        ("---\na: 1\n---\nb".encode("utf-16"), "UTF-16"),
        (b"\xff\xfe\x00\x00a\x00\x00\x00", "UTF-16/UTF-32"),
        (b"a" * 10_000_001, "larger than 10 MB"),
    ],
)
def test_decode_refuses(data: bytes, message: str) -> None:
    with pytest.raises(ExcerptorError, match=message.replace("(", r"\(").replace(")", r"\)")):
        decode(data, "x.md")


# --------------------------------------------------------------------------- patching YAML


def test_patch_replaces_only_the_values() -> None:
    text = post("title: 京都\nexcerpt: 古い要約\nreading_time: 9\ntags:\n  - 旅行\n")
    out = patch(read_post(text), NEW)
    assert out == post('title: 京都\nexcerpt: "京都の紅葉。"\nreading_time: 2\ntags:\n  - 旅行\n')


def test_patch_adds_missing_keys_after_the_last_key() -> None:
    out = patch(read_post(post("title: 京都\ntags: [a]\n")), NEW)
    assert out == post('title: 京都\ntags: [a]\nexcerpt: "京都の紅葉。"\nreading_time: 2\n')


def test_patch_keeps_trailing_comments() -> None:
    text = post('excerpt: "old" # note\nreading_time: 3  # minutes\n')
    out = patch(read_post(text), NEW)
    assert out == post('excerpt: "京都の紅葉。" # note\nreading_time: 2  # minutes\n')


@pytest.mark.parametrize(
    "value",
    [
        "|\n  一行目\n  二行目\n",
        "|-\n  一行目\n\n  二行目\n",
        ">\n  折り返し\n  される\n",
        "たたまれる\n  プレーン\n",
        "'single ''quoted'''\n",
        '"double\n  quoted"\n',
        "\n",
        " ~\n",
        "!!str タグ付き\n",
    ],
)
def test_patch_replaces_every_scalar_style_whole(value: str) -> None:
    text = post(f"title: t\nexcerpt: {value}# comment line\ndate: 2024-01-02\n")
    out = patch(read_post(text), NEW)
    assert front_of(out) == {**front_of(text), **NEW}
    assert "# comment line\ndate: 2024-01-02\n" in out
    assert out.endswith("---\n" + BODY)


def test_patch_block_scalar_keeps_header_comment_and_blank_lines() -> None:
    text = post("excerpt: |  # keep me\n  古い\n  要約\n\n# next\ntitle: t\n")
    out = patch(read_post(text), {"excerpt": "新"})
    assert out == post('excerpt: "新"  # keep me\n\n# next\ntitle: t\n')


def test_patch_escapes_tricky_text() -> None:
    tricky = 'a "q" \\ b: c # d\n---\ne\tf\x07 😀 日本語 \u2028'
    text = post("title: t\n")
    out = patch(read_post(text), {"excerpt": tricky})
    assert read_post(out).metadata["excerpt"] == tricky
    assert "😀 日本語" in out  # not escaped
    assert out.count("\n") == text.count("\n") + 1  # one added line, newlines escaped


def test_yaml_quote_round_trips() -> None:
    for s in ["", " lead", "trail ", "\x00\x1f\x7f\x85\ufeff\ud800", "'", "a\r\nb"]:
        assert yaml.safe_load(yaml_quote(s)) == s


def test_patch_keeps_crlf_bom_and_no_final_newline() -> None:
    text = "---\r\ntitle: t\r\nexcerpt: old\r\n---\r\n本文。"
    p = read_post(text)
    out = patch(p, NEW)
    assert out == '---\r\ntitle: t\r\nexcerpt: "京都の紅葉。"\r\nreading_time: 2\r\n---\r\n本文。'


def test_patch_indented_mapping() -> None:
    out = patch(read_post(post("  title: t\n  tags: [a]\n")), NEW)
    assert front_of(out) == {"title": "t", "tags": ["a"], **NEW}
    assert '\n  excerpt: "京都の紅葉。"\n' in out


def test_patch_leaves_equal_values_alone() -> None:
    text = post("excerpt: '京都の紅葉。'\nreading_time: 2\n")
    assert patch(read_post(text), NEW) == text
    # Same text but different type is rewritten.
    text = post("excerpt: '京都の紅葉。'\nreading_time: '2'\n")
    assert patch(read_post(text), NEW) == post("excerpt: '京都の紅葉。'\nreading_time: 2\n")


def test_patch_is_idempotent() -> None:
    text = post("title: t\nexcerpt: >\n  古い\nreading_time: 10\n")
    once = patch(read_post(text), NEW)
    assert patch(read_post(once), NEW) == once


def test_patch_other_field_names() -> None:
    text = post("title: t\ndescription: 古い\n")
    out = patch(read_post(text), {"description": "新しい", "summary": "要約"})
    assert front_of(out) == {"title": "t", "description": "新しい", "summary": "要約"}


@pytest.mark.parametrize(
    ("front", "message"),
    [
        ("excerpt: [a, b]\n", "`excerpt` holds a list"),
        ("excerpt:\n  - a\n", "`excerpt` holds a list"),
        ("excerpt: {a: 1}\n", "`excerpt` holds a mapping"),
        ("excerpt: &e 古い\nother: *e\n", "anchor used elsewhere"),
    ],
)
def test_patch_refuses(front: str, message: str) -> None:
    with pytest.raises(ExcerptorError, match=message):
        patch(read_post(post(front)), NEW)


def test_patch_flow_mapping_front_matter() -> None:
    text = post("{title: t, excerpt: old, reading_time: 1}\n")
    out = patch(read_post(text), NEW)
    assert front_of(out) == {"title": "t", **NEW}
    with pytest.raises(ExcerptorError, match="flow-style"):
        patch(read_post(post("{title: t}\n")), NEW)


def test_patch_rejects_unsupported_values() -> None:
    p = read_post(post("title: t\n"))
    for bad in (True, 1.5, None, ["a"]):
        with pytest.raises(ExcerptorError):
            patch(p, {"excerpt": bad})  # type: ignore[dict-item]


def test_merge_key_is_overridden_not_broken() -> None:
    text = post("base: &b {excerpt: 古い}\n<<: *b\ntitle: t\n")
    out = patch(read_post(text), {"excerpt": "新"})
    assert yaml.safe_load(out.split("---\n")[1])["excerpt"] == "新"
    assert out.startswith("---\nbase: &b {excerpt: 古い}\n<<: *b\n")


# --------------------------------------------------------------------------- patching TOML

TOML = """+++
title = "京都"  # 題
excerpt = '''
古い
[not_a_table]
'''
tags = ["a", "b"]

# params follow
[params]
excerpt = "nested stays"
+++
"""


def toml_front(text: str) -> dict:
    return tomllib.loads(text.split("+++\n")[1])


def test_toml_patch() -> None:
    out = patch(read_post(TOML + BODY), NEW)
    assert toml_front(out) == {**toml_front(TOML), **NEW}
    assert (
        out
        == TOML.replace("'''\n古い\n[not_a_table]\n'''", '"京都の紅葉。"').replace(
            'tags = ["a", "b"]\n', 'tags = ["a", "b"]\nreading_time = 2\n'
        )
        + BODY
    )


def test_toml_missing_key_goes_before_the_first_table() -> None:
    text = '+++\ntitle = "t"\n[params]\nx = 1\n+++\n' + BODY
    out = patch(read_post(text), NEW)
    assert out.startswith(
        '+++\ntitle = "t"\nexcerpt = "京都の紅葉。"\nreading_time = 2\n[params]\n'
    )
    assert toml_front(out)["params"] == {"x": 1}


def test_toml_only_tables() -> None:
    text = "+++\r\n[params]\r\nx = 1\r\n+++\r\n" + BODY
    out = patch(read_post(text), NEW)
    assert out.startswith('+++\r\nexcerpt = "京都の紅葉。"\r\nreading_time = 2\r\n[params]\r\n')


def test_toml_escapes() -> None:
    tricky = 'a "q" \\ \n\t\x01\x7f 😀'
    out = patch(read_post('+++\nexcerpt = "x"\n+++\n' + BODY), {"excerpt": tricky})
    assert toml_front(out)["excerpt"] == tricky


def test_toml_refuses_table_valued_excerpt() -> None:
    with pytest.raises(ExcerptorError, match="mapping"):
        patch(read_post("+++\nexcerpt = {a = 1}\n+++\n" + BODY), NEW)


# --------------------------------------------------------------------------- files


def update_file(path: str, updates: dict) -> bool:
    """Read, patch and write back atomically (what rewrite does for one file)."""
    p = read_file(path, require_body=False)
    new = patch(p, updates)
    if new == p.text:
        return False
    write_atomic(path, new, bom=p.bom)
    return True


def test_read_file_and_update_file(tmp_path) -> None:
    path = tmp_path / "2024-01-01-kyoto.md"
    original = "\ufeff" + post("title: 京都\nexcerpt: old\n").replace("\n", "\r\n")
    path.write_bytes(original.encode())
    os.chmod(path, 0o640)
    p = read_file(str(path))
    assert p.bom and p.metadata["excerpt"] == "old"
    assert update_file(str(path), NEW) is True
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf---\r\n")
    assert read_file(str(path)).metadata["excerpt"] == NEW["excerpt"]
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert update_file(str(path), NEW) is False
    assert path.read_bytes() == data
    assert [f.name for f in tmp_path.iterdir()] == [path.name]


@pytest.mark.parametrize(
    ("front", "key", "lines"),
    [
        ("title: a\ndate: 1\ntitle: b\n", "title", (2, 4)),
        ("image: a.png\nimage: b.png\n", "image", (2, 3)),
        ("'excerpt': a\nexcerpt: b\n", "excerpt", (2, 3)),
    ],
)
def test_duplicate_keys_read_as_jekyll_does(front: str, key: str, lines: tuple) -> None:
    """The last value wins (Psych, Hugo); a key written twice can be read but not written."""
    p = read_post(post(front))
    assert p.metadata[key] == {"title": "b", "image": "b.png", "excerpt": "b"}[key]
    if key != "excerpt":
        new = patch(p, NEW)  # other fields are written as usual
        assert read_post(new).metadata[key] == p.metadata[key]
    with pytest.raises(ExcerptorError) as info:
        patch(p, {key: "x"})
    assert str(info.value) == (
        f"front matter has the key {key!r} twice (lines {lines[0]} and {lines[1]}); "
        "keep one of them"
    )


def test_read_file_errors(tmp_path) -> None:
    with pytest.raises(ExcerptorError, match="no such file"):
        read_file(str(tmp_path / "missing.md"))
    with pytest.raises(ExcerptorError, match="folder"):
        read_file(str(tmp_path))
    bad = tmp_path / "bad.md"
    bad.write_bytes(b"---\ntitle: \x82\xa0\n---\nb\n")
    with pytest.raises(ExcerptorError, match="offset 11") as info:
        read_file(str(bad))
    assert info.value.path == str(bad)


def test_write_atomic_follows_symlinks(tmp_path) -> None:
    real = tmp_path / "real.md"
    real.write_text("old")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    write_atomic(str(link), "新しい")
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") == "新しい"


def test_write_atomic_failure_leaves_original_and_no_temp(tmp_path, monkeypatch) -> None:
    path = tmp_path / "a.md"
    path.write_text("original")

    def boom(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(ExcerptorError, match="No space left"):
        write_atomic(str(path), "new")
    assert path.read_text() == "original"
    assert [f.name for f in tmp_path.iterdir()] == ["a.md"]


def test_write_atomic_refuses_unencodable_text(tmp_path) -> None:
    with pytest.raises(ExcerptorError, match="UTF-8"):
        write_atomic(str(tmp_path / "a.md"), "bad \ud800")


def test_cleanup_temp_files(tmp_path) -> None:
    (tmp_path / "_posts").mkdir()
    stale = tmp_path / "_posts" / ".excerptor-a.md-x1y2.tmp"
    stale.write_text("partial")
    keep = [tmp_path / "_posts" / "a.md", tmp_path / ".excerptor-notes.txt"]
    for k in keep:
        k.write_text("keep")
    assert cleanup_temp_files(str(tmp_path)) == [str(stale)]
    assert not stale.exists() and all(k.exists() for k in keep)
    assert cleanup_temp_files(str(tmp_path)) == []
