"""Tokenization throughput, as ratios to fugashi's bare ``[w.surface for w in tagger(text)]``.

    python benchmarks/tokens.py [--posts 60] [--repeat 3] [--tinysegmenter]

Reads the bodies of ../shared/corpus/allforces/_posts (exits quietly when absent), cuts
them into paragraphs at blank lines, and times each way of getting (pos1, pos2, lemma)
per morpheme, then excerptor's own stage 2 (sentences, then content words per sentence).
``content_words(paragraph)`` tags each paragraph in one call: the most a batch API
(tag a block once, slice it into sentences) could gain over per-sentence calls.  A ratio
of 0.50 means half the bare throughput; the goal is >= 0.30 for the whole of stage 2.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from excerptor import japanese  # noqa: E402

POSTS = ROOT.parent / "shared" / "corpus" / "allforces" / "_posts"


def bodies(limit: int) -> list[str]:
    out = []
    for path in sorted(POSTS.glob("*.md"))[:limit]:
        text = path.read_text(encoding="utf-8")
        if text.startswith("---"):
            end = text.find("\n---", 3)
            text = text[end + 4 :] if end != -1 else text
        out.append(text)
    return out


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--tinysegmenter", action="store_true", help="also time stock sumy's tokenizer"
    )
    args = parser.parse_args()
    if not POSTS.is_dir():
        print(f"skipped: {POSTS} is absent")
        return

    import fugashi

    texts = bodies(args.posts)
    paragraphs = [p for t in texts for p in t.split("\n\n") if p.strip()]
    chars = sum(map(len, paragraphs))
    plain = fugashi.Tagger()  # stock output format, as most users make it
    ours = japanese.tagger()

    def bare() -> None:
        for p in paragraphs:
            [w.surface for w in plain(p)]

    def feature() -> None:
        for p in paragraphs:
            for w in plain(p):
                f = w.feature
                _ = (f.pos1, f.pos2, f.lemma)

    def feature_raw() -> None:
        for p in paragraphs:
            for w in plain(p):
                w.feature_raw.split(",", 8)[:8]

    def parse_format() -> None:
        for p in paragraphs:
            [line.split("\t") for line in ours.parse(p).split("\n")]

    def words_per_paragraph() -> None:
        for p in paragraphs:
            japanese.content_words(p)

    def split_only() -> None:
        for p in paragraphs:
            japanese.split_sentences(p)

    def stage2_per_sentence() -> None:
        for p in paragraphs:
            for s in japanese.split_sentences(p):
                japanese.content_words(s)

    def sumy_tokenizer() -> None:
        tok = japanese.Tokenizer()
        for p in paragraphs:
            for s in tok.to_sentences(p):
                tok.to_words(s)

    cases: list[tuple[str, Callable[[], None]]] = [
        ("bare [w.surface for w in tagger(p)]", bare),
        ("w.feature -> pos1, pos2, lemma", feature),
        ("w.feature_raw.split(',', 8)", feature_raw),
        ("tagger.parse with -F format + split", parse_format),
        ("content_words(paragraph)", words_per_paragraph),
        ("split_sentences only", split_only),
        ("stage 2: split + content_words/sentence", stage2_per_sentence),
        ("japanese.Tokenizer (sumy interface)", sumy_tokenizer),
    ]
    if args.tinysegmenter:
        import tinysegmenter

        seg = tinysegmenter.TinySegmenter()

        def tiny() -> None:
            for p in paragraphs:
                seg.tokenize(p)

        cases.append(("stock sumy: tinysegmenter.tokenize", tiny))

    bare()  # warm up both taggers and the dictionary pages
    stage2_per_sentence()
    # Round robin, best of each: the machine is shared, and load drifts over a run.
    best = [float("inf")] * len(cases)
    for _ in range(args.repeat):
        for i, (_name, fn) in enumerate(cases):
            best[i] = min(best[i], timed(fn))
    base = best[0]
    print(f"{len(texts)} posts, {len(paragraphs)} paragraphs, {chars:,} characters")
    print(f"{'case':<44} {'seconds':>8} {'kchar/s':>8} {'ratio':>6}")
    for (name, _fn), t in zip(cases, best, strict=True):
        print(f"{name:<44} {t:8.3f} {chars / t / 1000:8.0f} {base / t:6.2f}")


if __name__ == "__main__":
    main()
