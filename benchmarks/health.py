"""Precision and recall of excerptor.health on the shared corpora, plus its speed.

    python benchmarks/health.py [--sample 20] [--seed 1]

* allforces (400 generated posts): every post with a ``---END---`` line must be flagged
  (recall 100%); a random sample of flagged and unflagged posts is printed for a hand check.
* seedlike (24 degenerate posts): detected marker lines and repeats against INDEX.tsv.
* the seed post: its findings.
* blog_markdown (about 2,400 human posts): the share flagged (goal under 1%), each flag listed.
* fillers: the share of allforces leads (first sentence) that is_filler marks.
* speed: inspect() on 1,000 vs 10,000 paragraphs (linear means a ratio near 10), and lint
  vs Markdown parsing alone on allforces.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))

from excerptor import health, markdown, readtime  # noqa: E402
from excerptor.errors import ExcerptorError  # noqa: E402
from excerptor.lint import READING_TIME, lint_text  # noqa: E402
from excerptor.patcher import read_post  # noqa: E402


def table(rows: list[tuple], header: tuple) -> None:
    rows = [tuple(str(c) for c in r) for r in rows]
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=False)]
    for r in [header, tuple("-" * w for w in widths), *rows]:
        print("  ".join(f"{c!s:<{w}}" for c, w in zip(r, widths, strict=False)))
    print()


def short(text: str, n: int = 90) -> str:
    one = " ".join(text.split())
    return one if len(one) <= n else one[: n - 1] + "…"


def allforces(sample: int, rng: random.Random) -> None:
    folder = SHARED / "corpus" / "allforces" / "_posts"
    if not folder.exists():
        print("allforces: absent, skipped\n")
        return
    files = sorted(folder.glob("*.md"))
    codes: Counter[str] = Counter()
    rows = []
    flagged, unflagged = [], []
    tp = fn = 0
    errors: list[str] = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        try:
            problems = lint_text(text, path.name)
        except ExcerptorError as exc:
            errors.append(str(exc))
            continue
        found = {p.code for p in problems}
        codes.update(found)
        has_end = "---END---" in text
        if has_end:
            if health.MARKER in found:
                tp += 1
            else:
                fn += 1
        if has_end and health.MARKER not in found:
            print("MISSED", path.name)
        content = found - {READING_TIME}
        (flagged if content else unflagged).append((path.name, problems))
    rows.append(("posts", len(files)))
    rows.append(("unreadable (front matter refused)", len(errors)))
    rows.append(("with ---END---", tp + fn))
    rows.append(("  flagged marker-line (recall)", f"{tp} ({tp / max(tp + fn, 1):.0%})"))
    rows.append(("flagged (any code but reading-time)", len(flagged)))
    for code, n in sorted(codes.items()):
        rows.append((f"  {code}", n))
    print("== allforces/_posts")
    table(rows, ("", "count"))
    for e in errors:
        print("  unreadable:", e)

    print(f"-- sample of {sample // 2} flagged posts (hand check)")
    for name, problems in rng.sample(flagged, min(sample // 2, len(flagged))):
        print(f"{name}")
        for p in problems:
            if p.code != READING_TIME:
                print(f"    {p.line:>4} {p.code}: {short(p.message, 110)}")
    print(f"\n-- sample of {sample // 2} unflagged posts (hand check: last paragraph shown)")
    for name, _ in rng.sample(unflagged, min(sample // 2, len(unflagged))):
        body = read_post((folder / name).read_text(encoding="utf-8")).body
        doc = markdown.parse(body)
        prose = [b for b in doc.blocks if b.kind == "paragraph"]
        print(f"{name}: {len(doc.blocks)} blocks; ends …{short(prose[-1].text[-40:], 45)}")
    print()


def seedlike() -> None:
    folder = SHARED / "corpus" / "seedlike"
    index = folder / "INDEX.tsv"
    if not index.exists():
        print("seedlike: absent, skipped\n")
        return
    rows = []
    with index.open(encoding="utf-8") as fh:
        for rec in csv.DictReader(fh, delimiter="\t"):
            text = (folder / rec["file"]).read_text(encoding="utf-8")
            post = read_post(text)
            doc = markdown.parse(post.body)
            report = health.inspect(doc, post.metadata.get("title"))
            by = {f.code: f for f in report.findings}
            markers = len(by[health.MARKER].lines) if health.MARKER in by else 0
            copies = len(by[health.REPEATED].lines) if health.REPEATED in by else 0
            share = (
                re.search(r"(\d+)% of the body", by[health.REPEATED].message).group(1) + "%"
                if health.REPEATED in by
                else "-"
            )
            all_min = readtime.minutes(readtime.count_document(doc))
            uniq_min = readtime.minutes(readtime.count_document(doc, report.keep))
            rows.append(
                (
                    rec["file"][:34],
                    f"{rec['end_marker_lines']}/{markers}",
                    f"{rec['duplicated_paragraphs']}/{copies}",
                    share,
                    "yes" if health.TRUNCATED in by else "",
                    f"{all_min}/{uniq_min}",
                )
            )
    print("== seedlike (INDEX.tsv value / detected)")
    table(rows, ("file", "END lines", "dup paras/copies", "repeats", "cut", "min all/uniq"))


def seed() -> None:
    path = SHARED / "seed" / "000_8f79073e99891395.txt"
    if not path.exists():
        print("seed: absent, skipped\n")
        return
    print("== seed post (lint)")
    for p in lint_text(path.read_text(encoding="utf-8"), path.name):
        print(f"  {p.line:>4} {p.code}: {p.message}")
    print()


def blog(verbose: bool) -> None:
    path = SHARED / "corpus" / "blog_markdown.jsonl"
    if not path.exists():
        print("blog_markdown: absent, skipped\n")
        return
    records = [json.loads(x) for x in path.open(encoding="utf-8") if x.strip()]
    flags = []
    codes: Counter[str] = Counter()
    errors = rt = 0
    for r in records:
        try:
            problems = lint_text(r["raw"], r["path"])
        except ExcerptorError:
            errors += 1
            continue
        rt += any(p.code == READING_TIME for p in problems)
        content = [p for p in problems if p.code != READING_TIME]
        if content:
            flags.append((r["repo"], r["path"], content))
            codes.update({p.code for p in content})
    rows = [
        ("posts", len(records)),
        ("unreadable (front matter refused)", errors),
        ("flagged", f"{len(flags)} ({len(flags) / len(records):.2%})"),
        *((f"  {c}", n) for c, n in sorted(codes.items())),
        ("reading-time-mismatch (not an artifact)", rt),
    ]
    print("== blog_markdown (human-written): false positives")
    table(rows, ("", "count"))
    for repo, p, content in flags:
        for x in content:
            print(f"  {repo}/{p}:{x.line} {x.code}: {short(x.message, 100)}")
    print()


def fillers(rng: random.Random, sample: int) -> None:
    """is_filler on the sentences of allforces' front-matter excerpts (the chatty leads)."""
    folder = SHARED / "corpus" / "allforces" / "_posts"
    if not folder.exists():
        return
    firsts, others = [], []
    for path in sorted(folder.glob("*.md")):
        try:
            post = read_post(path.read_text(encoding="utf-8"))
        except ExcerptorError:
            continue
        excerpt = post.metadata.get("excerpt")
        if not isinstance(excerpt, str) or not excerpt.strip():
            continue
        sentences = [x.strip() for x in re.split(r"(?<=[。！？!?])", excerpt) if x.strip()]
        firsts.append(sentences[0])
        others.extend(sentences[1:])
    f1 = [s for s in firsts if health.is_filler(s)]
    f2 = [s for s in others if health.is_filler(s)]
    print("== fillers: sentences of allforces front-matter excerpts")
    table(
        [
            ("first sentences", len(firsts), f"{len(f1)} ({len(f1) / len(firsts):.0%})"),
            ("later sentences", len(others), f"{len(f2)} ({len(f2) / max(len(others), 1):.0%})"),
        ],
        ("", "sentences", "is_filler"),
    )
    print("-- sample of first sentences marked filler")
    for s in rng.sample(f1, min(sample // 2, len(f1))):
        print("  +", short(s, 100))
    marked = set(f1)
    rest = [s for s in firsts if s not in marked]
    print("-- sample of first sentences not marked")
    for s in rng.sample(rest, min(sample // 2, len(rest))):
        print("  -", short(s, 100))
    print("-- sample of later sentences marked filler")
    for s in rng.sample(f2, min(sample // 2, len(f2))):
        print("  +", short(s, 100))
    print()


def speed() -> None:
    base = [
        "春の京都は観光客で混み合うので、朝早くに清水寺へ向かうのが一番です。",
        "このライブラリは設定ファイルを読み込まずに動くので、小さなスクリプトに向いています。",
    ]

    def doc(n: int) -> markdown.Document:
        texts = [f"{i}番目の段落。{base[i % 2]}{i * 7919 % 1000}件目。" for i in range(n)]
        texts += texts[: n // 10]  # 10% exact copies
        return markdown.Document(
            tuple(markdown.Block("paragraph", t, 2 * k + 1, 2 * k + 1) for k, t in enumerate(texts))
        )

    timings = []
    for n in (1_000, 10_000):
        d = doc(n)
        t0 = time.perf_counter()
        health.inspect(d)
        timings.append((n, time.perf_counter() - t0))
    rows = [(n, f"{t * 1000:.0f} ms") for n, t in timings]
    rows.append(("ratio 10k/1k", f"{timings[1][1] / timings[0][1]:.1f} (linear ≈ 11)"))
    print("== speed: inspect() on synthetic paragraphs (+10% copies)")
    table(rows, ("paragraphs", "time"))

    folder = SHARED / "corpus" / "allforces" / "_posts"
    if folder.exists():
        texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.md"))]
        t0 = time.perf_counter()
        for t in texts:
            try:
                markdown.parse(read_post(t).body)
            except ExcerptorError:
                pass
        parse_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        for t in texts:
            try:
                lint_text(t)
            except ExcerptorError:
                pass
        lint_s = time.perf_counter() - t0
        print("== speed: allforces, 400 posts")
        table(
            [
                ("read_post + markdown.parse", f"{parse_s:.2f} s"),
                ("lint_text (parse + inspect + readtime)", f"{lint_s:.2f} s"),
                ("ratio lint/parse", f"{lint_s / parse_s:.2f}"),
            ],
            ("", "time"),
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sample", type=int, default=20)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--only", choices=["allforces", "seedlike", "seed", "blog", "fillers", "speed"])
    args = ap.parse_args()
    rng = random.Random(args.seed)
    steps = {
        "allforces": lambda: allforces(args.sample, rng),
        "seedlike": seedlike,
        "seed": seed,
        "blog": lambda: blog(True),
        "fillers": lambda: fillers(rng, args.sample),
        "speed": speed,
    }
    for name, step in steps.items():
        if args.only in (None, name):
            step()


if __name__ == "__main__":
    main()
