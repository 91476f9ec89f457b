"""Posts with visible Japanese text but an empty excerpt (issue 13).

    python benchmarks/empty_excerpts.py [--show N]

Over ../shared/corpus/blog_markdown.jsonl (field ``raw``) and ../shared/corpus/allforces/_posts:
front matter split with ``excerptor.patcher.read_post`` (files it refuses are skipped), the
post counts when its body has at least 200 visible CJK characters, measured on the *raw body*
with HTML comments, ``<script>``/``<style>``/``<template>``/``<noscript>`` elements and tags
removed (so the measure does not depend on excerptor's own text stage), and is reported when
``excerptor.analyze(body, title=title).excerpt`` is empty. Skips when ../shared is absent.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout without installing
SHARED = ROOT.parent / "shared"
MIN_CJK = 200

_INVISIBLE = re.compile(
    r"<!--.*?-->|<(script|style|template|noscript)\b.*?</\1\s*>", re.DOTALL | re.IGNORECASE
)
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]")


def visible_cjk(body: str) -> int:
    """CJK characters of ``body`` once comments, invisible elements and tags are removed."""
    return len(_CJK.findall(_TAG.sub("", _INVISIBLE.sub("", body))))


def posts(shared: Path = SHARED) -> Iterator[tuple[str, str]]:
    """(name, raw file text) of every post of the two corpora."""
    with (shared / "corpus" / "blog_markdown.jsonl").open(encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if line.strip():
                row = json.loads(line)
                yield f"blog_markdown[{i}] {row.get('repo')}/{row.get('path')}", row["raw"]
    for path in sorted((shared / "corpus" / "allforces" / "_posts").glob("*.md")):
        yield f"allforces/{path.name}", path.read_text(encoding="utf-8")


def empty_excerpts(shared: Path = SHARED) -> tuple[dict[str, int], dict[str, list[str]]]:
    """Per corpus: how many posts have >= MIN_CJK visible CJK characters, and which of them
    get an empty excerpt."""
    import excerptor
    from excerptor.errors import ExcerptorError
    from excerptor.patcher import read_post

    eligible: dict[str, int] = {"blog_markdown": 0, "allforces": 0}
    empty: dict[str, list[str]] = {"blog_markdown": [], "allforces": []}
    for name, raw in posts(shared):
        corpus = name.split("[")[0].split("/")[0]
        try:
            post = read_post(raw)
        except ExcerptorError:
            continue
        if visible_cjk(post.body) < MIN_CJK:
            continue
        eligible[corpus] += 1
        title = post.metadata.get("title")
        result = excerptor.analyze(post.body, title=title if isinstance(title, str) else None)
        if not result.excerpt:
            empty[corpus].append(name)
    return eligible, empty


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--show", type=int, default=10, help="list up to N empty posts")
    args = parser.parse_args(argv)
    if not (SHARED / "corpus" / "blog_markdown.jsonl").exists():
        print(f"skipped: {SHARED} is absent")
        return 0
    eligible, empty = empty_excerpts()
    for corpus, n in eligible.items():
        print(
            f"{corpus}: {len(empty[corpus])} of {n} posts with >= {MIN_CJK} visible CJK "
            "characters have an empty excerpt"
        )
        for name in empty[corpus][: args.show]:
            print(f"  {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
