"""Patching every post in the shared corpus changes nothing but the two fields.

For each file: patch ``excerpt``/``reading_time`` with fixed tricky values, then compare line by
line (only the lines of those two fields may differ), check the body is byte-identical, every
other key keeps its parsed value and order, and a second patch changes nothing. Files that
excerptor refuses (bad YAML, duplicate keys, …) are counted apart, never as damaged.
"""

from __future__ import annotations

import collections
import math
import re

import pytest

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib
import yaml

from excerptor.errors import ExcerptorError
from excerptor.files import decode
from excerptor.handlers import TOMLHandler, YAMLHandler
from excerptor.patcher import patch, read_post

UPDATES = {
    "excerpt": 'Tricky "quote" \\ back: colon # hash — 改行\nして😀 --- end',
    "reading_time": 7,
}
FIELDS = tuple(UPDATES)


def split_lines(text: str) -> list[str]:
    """Lines ending at ``\n`` only (str.splitlines also splits at NEL, LS, PS …)."""
    return text.split("\n")


def field_lines(text: str, fmt: str, keys: tuple[str, ...]) -> set[int]:
    """0-based numbers of the lines held by top-level ``keys`` (key line to value end).

    Found independently of excerptor's own spans: PyYAML's composer for YAML, growing a
    statement until tomllib accepts it for TOML.
    """
    lines = [line + "\n" for line in split_lines(text)]
    held: set[int] = set()
    if fmt == "yaml":
        m = YAMLHandler.FM_BOUNDARY.match(text)
        assert m
        root = yaml.compose(text[: m.end(1)], Loader=yaml.SafeLoader)
        if not isinstance(root, yaml.MappingNode):
            return held
        for k, v in root.value:
            if isinstance(k, yaml.ScalarNode) and k.value in keys:
                first = text.count("\n", 0, k.start_mark.index)  # YAML also breaks at NEL, LS, PS
                last = text.count("\n", 0, len(text[: v.end_mark.index].rstrip(" \t\r\n")))
                held.update(range(first, last + 1))
        return held
    m = TOMLHandler.FM_BOUNDARY.match(text)
    assert m
    end_line = text.count("\n", 0, m.end(1))
    names = "|".join(map(re.escape, keys))
    pattern = re.compile(rf"""\s*["']?({names})["']?\s*=""")
    i = 1
    while i < end_line:
        stripped = lines[i].strip()
        if not stripped or stripped.startswith("#"):
            i += 1
            continue
        if stripped.startswith("["):
            break
        j = i  # grow the statement until it parses (multi-line strings and arrays)
        while True:
            try:
                tomllib.loads("".join(lines[i : j + 1]))
                break
            except tomllib.TOMLDecodeError:
                j += 1
                assert j < end_line, "statement never ends"
        if pattern.match(lines[i]):
            held.update(range(i, j + 1))
        i = j + 1
    return held


def same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if isinstance(a, dict) and isinstance(b, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


def unfaithful(text: str, out: str, keys: tuple[str, ...]) -> str | None:
    """Why ``out`` is not ``text`` with at most the ``keys`` fields changed (None when it is)."""
    post = read_post(text, require_body=False)
    after = read_post(out, require_body=False)

    def kept(t: str) -> list[str]:
        held = field_lines(t, post.format, keys)
        return [line for i, line in enumerate(split_lines(t)) if i not in held]

    kept_old, kept_new = kept(text), kept(out)
    if kept_old != kept_new:
        return "lines outside the patched fields changed"
    if after.body != post.body or not out.endswith(post.body):
        return "body changed"
    if [k for k in after.metadata if k in post.metadata] != list(post.metadata):
        return "key order changed"
    for key, value in post.metadata.items():
        if key not in keys and not same(after.metadata[key], value):
            return f"value of {key!r} changed"
    if set(after.metadata) - set(post.metadata) - set(keys):
        return "unexpected new keys"
    return None


def damage(text: str, updates: dict = UPDATES) -> str | None:
    """Why patching ``text`` damaged it (None when it did not); raises ExcerptorError on refusal."""
    out = patch(read_post(text, require_body=False), updates)
    why = unfaithful(text, out, tuple(updates))
    if why:
        return why
    after = read_post(out, require_body=False)
    for key, value in updates.items():
        if not same(after.metadata.get(key), value):
            return f"{key!r} was not set"
    if patch(after, updates) != out:
        return "not idempotent"
    return None


def check_all(texts: list[tuple[str, str | bytes]]) -> dict:
    damaged: list[tuple[str, str]] = []
    refused: collections.Counter[str] = collections.Counter()
    refused_files: list[tuple[str, str]] = []
    for name, raw in texts:
        try:
            text = decode(raw, name)[0] if isinstance(raw, bytes) else raw
            why = damage(text)
        except ExcerptorError as exc:
            reason = re.sub(r"'[^']*'|line \d+|lines \d+ and \d+", "…", exc.message)
            refused[reason] += 1
            refused_files.append((name, exc.message))
            continue
        if why:
            damaged.append((name, why))
    return {
        "checked": len(texts),
        "damaged": damaged,
        "refused": refused,
        "refused_files": refused_files,
    }


def report(label: str, result: dict, capsys: pytest.CaptureFixture) -> None:
    with capsys.disabled():
        non_idempotent = sum(1 for _, why in result["damaged"] if why == "not idempotent")
        print(
            f"\n[fidelity] {label}: files checked {result['checked']}, "
            f"damaged {len(result['damaged']) - non_idempotent}, "
            f"non-idempotent {non_idempotent}, refused {len(result['refused_files'])}"
        )
        for reason, count in result["refused"].most_common():
            print(f"[fidelity]   refused {count}: {reason}")
        for name, why in result["damaged"][:20]:
            print(f"[fidelity]   DAMAGED {name}: {why}")


def test_generated_corpus(capsys: pytest.CaptureFixture) -> None:
    """The repository's own corpus: runs on a fresh clone, without ../shared."""
    import generated_corpus

    texts = generated_corpus.posts()
    result = check_all(texts)
    report("generated corpus", result, capsys)
    assert result["checked"] == 300
    assert result["damaged"] == []
    assert result["refused_files"] == []


@pytest.mark.shared
def test_blog_markdown_corpus(blog_markdown: list[dict], capsys: pytest.CaptureFixture) -> None:
    texts = [(f"{r.get('repo')}/{r.get('path')}", r["raw"]) for r in blog_markdown]
    result = check_all(texts)
    report("blog_markdown.jsonl", result, capsys)
    assert result["checked"] > 0
    assert result["damaged"] == []
    # Refusals must stay rare: they are posts excerptor leaves alone.
    assert len(result["refused_files"]) < result["checked"] * 0.05


@pytest.mark.shared
def test_allforces_posts(allforces_posts: list, capsys: pytest.CaptureFixture) -> None:
    if not allforces_posts:
        pytest.skip("no allforces posts")
    texts = [(p.name, p.read_bytes()) for p in allforces_posts]
    result = check_all(texts)
    report("allforces/_posts", result, capsys)
    assert result["damaged"] == []
    assert len(result["refused_files"]) < result["checked"] * 0.05


@pytest.mark.shared
def test_allforces_posts_as_crlf(allforces_posts: list, capsys: pytest.CaptureFixture) -> None:
    if not allforces_posts:
        pytest.skip("no allforces posts")
    texts = []
    for p in allforces_posts:
        text = decode(p.read_bytes(), p.name)[0]
        texts.append((p.name, text.replace("\r\n", "\n").replace("\n", "\r\n")))
    result = check_all(texts)
    report("allforces/_posts (CRLF)", result, capsys)
    assert result["damaged"] == []
    for name, text in texts[:50]:
        try:
            out = patch(read_post(text, require_body=False), UPDATES)
        except ExcerptorError:
            continue
        assert "\n" not in out.replace("\r\n", ""), name  # no bare LF was introduced
