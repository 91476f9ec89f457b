"""Output identity of ``excerptor.pipeline.analyze`` over the shared corpora, for changes that
must not change what excerptor writes (speed work, refactors).

    python benchmarks/identity.py OUT.json [--against BEFORE.json] [--blog-posts 800]

Analyzes every post of ../shared/corpus/allforces/_posts, the ``raw`` posts of
../shared/corpus/blog_markdown.jsonl (the first ``--blog-posts``) and of
../shared/eval/human_summaries.jsonl, each without a title and, when its front matter has
one, with it; writes excerpt, summary, reading times, warnings, counts and the separator
flag per post to OUT.json.  With ``--against``, lists the posts whose outputs differ and
exits 1 if any does.  Run it on the unchanged code first, then after each change.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))

from excerptor.errors import ExcerptorError  # noqa: E402
from excerptor.patcher import read_post  # noqa: E402
from excerptor.pipeline import analyze  # noqa: E402


def posts(blog_posts: int) -> Iterator[tuple[str, str]]:
    """(key, whole post text) of every post read."""
    for path in sorted((SHARED / "corpus" / "allforces" / "_posts").glob("*.md")):
        yield f"allforces/{path.name}", path.read_text(encoding="utf-8")
    for name, limit in (
        ("corpus/blog_markdown.jsonl", blog_posts),
        ("eval/human_summaries.jsonl", None),
    ):
        with open(SHARED / name, encoding="utf-8") as f:
            for i, line in enumerate(f):
                if limit is not None and i >= limit:
                    break
                yield f"{name}:{i}", json.loads(line)["raw"]


def outputs(blog_posts: int) -> dict[str, list]:
    out: dict[str, list] = {}
    for key, text in posts(blog_posts):
        try:
            post = read_post(text)
            body, title = post.body, post.metadata.get("title")
        except ExcerptorError:
            body, title = text, None
        titles = [None] + ([title] if isinstance(title, str) else [])
        for t in titles:
            try:
                a = analyze(body, title=t)
                out[key + ("" if t is None else "#title")] = [
                    a.excerpt,
                    a.summary,
                    a.reading_time,
                    a.reading_time_without_repeats,
                    [repr(w) for w in a.warnings],
                    repr(a.counts),
                    a.excerpt_from_separator,
                ]
            except ExcerptorError as exc:
                out[key] = ["error", str(exc)]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--against", type=Path)
    parser.add_argument("--blog-posts", type=int, default=800)
    args = parser.parse_args()
    if not SHARED.is_dir():
        print(f"skipped: {SHARED} is absent")
        return
    now = outputs(args.blog_posts)
    args.out.write_text(json.dumps(now, ensure_ascii=False, indent=0), encoding="utf-8")
    print(f"{len(now)} analyses written to {args.out}")
    if args.against is not None:
        before = json.loads(args.against.read_text(encoding="utf-8"))
        differ = sorted(k for k in before.keys() | now.keys() if before.get(k) != now.get(k))
        for key in differ[:20]:
            print(f"differs: {key}\n  before: {before.get(key)}\n  now:    {now.get(key)}")
        print(f"{len(differ)} of {len(before)} differ")
        sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
