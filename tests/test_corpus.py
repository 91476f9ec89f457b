"""Every real post goes through analyze: no error, no markup residue, no repeated sentence.

Skipped when ../shared is absent.
"""

from __future__ import annotations

import re

import pytest

import excerptor
from excerptor.errors import ExcerptorError
from excerptor.patcher import read_post

HTML_TAGS = "a|br|div|em|figure|h[1-6]|iframe|img|li|p|script|section|span|strong|table|td|tr|ul"
RESIDUE = re.compile(
    rf"\*\*|\]\(|\{{%|%\}}|\{{\{{|\}}\}}|\{{:|</?(?:{HTML_TAGS})\b[^>]*>|```|https?://"
    # Zenn/Qiita containers and embeds, Hugo shortcodes, MDX, HTML comments and entities
    rf"|:::|@\[\w+\]|\{{\{{[<%]|<!--|&(?:amp|lt|gt|quot|nbsp|#\d+|#x[0-9a-f]+);"
    rf"|<div|<[A-Z]\w*[\s/>]|^import\s+\S.*\bfrom\s*['\"]|^export\s+(?:const|default|function)\b"
)


def _body(raw: str) -> tuple[str, str | None, bool]:
    try:
        post = read_post(raw)
    except ExcerptorError:
        return raw, None, False  # refused front matter: analyze must still not crash
    title = post.metadata.get("title")
    return post.body, title if isinstance(title, str) else None, True


def _inline_code(body: str) -> list[str]:
    """Contents of inline code spans: a reader sees them literally (`<name>`, a URL)."""
    from markdown_it import MarkdownIt

    spans = []
    for token in MarkdownIt("commonmark").parse(body):
        for child in token.children or ():
            if child.type == "code_inline":
                spans.append(child.content)
    return sorted(spans, key=len, reverse=True)


def _in_code_span(text: str, start: int, end: int, code: list[str]) -> bool:
    """Whether text[start:end] lies in what the author wrote as a code span (the reader
    sees it literally), perhaps cut short by the excerpt's "…"."""
    for span in code:
        at = text.find(span)
        while at != -1:
            if at <= start and end <= at + len(span):
                return True
            at = text.find(span, at + 1)
    tail = text[start:].rstrip("…")
    return any(tail in span for span in code)


def _check(name: str, raw: str, problems: list[str]) -> None:
    body, title, has_front_matter = _body(raw)
    result = excerptor.analyze(body, title=title)
    if not has_front_matter:
        return
    code: list[str] | None = None
    for field, texts in (("excerpt", [result.excerpt]), ("summary", result.summary)):
        for text in texts:
            found = None
            for match in RESIDUE.finditer(text):
                code = _inline_code(body) if code is None else code
                if not _in_code_span(text, match.start(), match.end(), code):
                    found = match
                    break
            if found:
                problems.append(f"{name}: {field} residue {found.group()!r} in {text[:60]!r}")
    if len(set(result.summary)) != len(result.summary):
        problems.append(f"{name}: summary repeats a sentence")
    if result.excerpt and result.summary:
        assert len(result.excerpt) <= 120
    if (result.counts.cjk_chars or result.counts.latin_words) and result.reading_time < 1:
        problems.append(f"{name}: reading_time {result.reading_time} for a body with text")


def test_blog_markdown_corpus(blog_markdown: list[dict]) -> None:
    problems: list[str] = []
    for i, row in enumerate(blog_markdown):
        _check(f"blog_markdown[{i}] {row.get('repo')}/{row.get('path')}", row["raw"], problems)
    assert not problems, "\n".join(problems[:30])


def test_allforces_posts(allforces_posts) -> None:
    assert len(allforces_posts) >= 400
    problems: list[str] = []
    for path in allforces_posts:
        _check(path.name, path.read_text(encoding="utf-8"), problems)
    assert not problems, "\n".join(problems[:30])


def test_seed_post(seed_post, capsys: pytest.CaptureFixture[str]) -> None:
    post = read_post(seed_post.read_text(encoding="utf-8"))
    result = excerptor.analyze(post.body, title=post.metadata.get("title"), sentences=5)
    sentences = [s for s in result.summary]
    assert len(set(sentences)) == len(sentences)
    # No sentence twice inside the excerpt either.
    from excerptor.japanese import split_sentences

    in_excerpt = split_sentences(result.excerpt)
    assert len(set(in_excerpt)) == len(in_excerpt)
    assert not result.excerpt.startswith("いやー")
    assert result.reading_time != 20  # the site's constant is wrong
    assert any(w.code == "marker-line" for w in result.warnings)
    assert any(w.code == "repeated-block" for w in result.warnings)
    with capsys.disabled():
        print("\n--- seed post ---")
        print(f"front matter: reading_time={post.metadata.get('reading_time')}")
        print(
            f"excerptor:    reading_time={result.reading_time} "
            f"(without repeats {result.reading_time_without_repeats})"
        )
        print(f"excerpt: {result.excerpt}")
        for s in result.summary:
            print(f"summary: {s}")
        for w in result.warnings:
            print(f"warning: {w.code}: {w.message} lines {list(w.lines)[:10]}")


@pytest.mark.shared
def test_no_empty_excerpt_for_a_post_with_text() -> None:
    """Issue 13: every post with >= 200 visible CJK characters (raw body, tags stripped) has
    an excerpt; before HTML was read as text, 106 of blog_markdown's posts had none."""
    import sys

    from conftest import ROOT, shared_path

    shared_path("corpus", "blog_markdown.jsonl")
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from empty_excerpts import empty_excerpts
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    eligible, empty = empty_excerpts(shared_path())
    assert eligible["blog_markdown"] >= 1500
    assert eligible["allforces"] >= 390
    assert empty == {"blog_markdown": [], "allforces": []}
