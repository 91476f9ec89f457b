"""How summarization time grows with the number of sentences: stock sumy LexRank against
excerptor's vectorized algorithms, on real news sentences (../shared/corpus/livedoor_news.jsonl,
articles concatenated), n = 50 … 1,600; then the seed post, default vs stock LexRank.

    python benchmarks/scaling.py [--max-stock 1600] [--repeat 3]

Tokens are made once up front (fugashi content-word lemmas) and shared by every contender,
so only summarization is timed. Exponents are least-squares slopes of log(time) on log(n).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SIZES = (50, 100, 200, 400, 800, 1600)
POS = {"名詞", "動詞", "形容詞", "形状詞"}


def tokenizer():
    import fugashi

    tagger = fugashi.Tagger()

    def words(text: str) -> tuple[str, ...]:
        return tuple(
            (m.feature.lemma or m.surface).split("-")[0].lower()
            for m in tagger(text)
            if m.feature.pos1 in POS
        )

    return words


def split(text: str) -> list[str]:
    return [t.strip() for t in re.split(r"(?<=[。！？!?])|\n+", text) if t.strip()]


def news_sentences(count: int, words) -> list[tuple[str, tuple[str, ...]]]:
    out: list[tuple[str, tuple[str, ...]]] = []
    seen: set[str] = set()
    with (SHARED / "corpus" / "livedoor_news.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            for text in split(json.loads(line)["text"]):
                if text not in seen and len(text) > 5:
                    seen.add(text)
                    out.append((text, words(text)))
            if len(out) >= count:
                return out[:count]
    return out


def best_time(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def stock_lexrank(texts, words):
    """Stock sumy LexRank on a DOM whose tokenizer hands over the given tokens."""
    from sumy.models.dom import ObjectDocumentModel, Paragraph
    from sumy.models.dom import Sentence as DomSentence
    from sumy.summarizers.lex_rank import LexRankSummarizer

    class Given:
        def __init__(self) -> None:
            self.tokens = {t.strip(): w for t, w in zip(texts, words, strict=True)}

        def to_words(self, text):
            return self.tokens[text]

    tok = Given()
    doc = ObjectDocumentModel([Paragraph([DomSentence(t, tok) for t in texts])])
    return lambda: LexRankSummarizer()(doc, 3)


def slope(ns, ts) -> float:
    return float(np.polyfit(np.log(ns), np.log(ts), 1)[0])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-stock", type=int, default=1600, help="largest n for stock sumy")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not (SHARED / "corpus" / "livedoor_news.jsonl").exists():
        print("../shared/corpus/livedoor_news.jsonl is absent", file=sys.stderr)
        return 1
    sys.path.insert(0, str(ROOT))
    from excerptor.summarizers import ALGORITHMS, DEFAULT_ALGORITHM, Sentence, rank, summarizer

    words = tokenizer()
    pool = news_sentences(max(SIZES), words)
    names = [a for a in ALGORITHMS]
    for name in names:  # import and warm up outside the timings
        summarizer(name).ratings([w for _, w in pool[:20]], [0] * 20)

    stock: dict[int, float] = {}
    mine: dict[str, dict[int, float]] = {name: {} for name in names}
    print(f"{'n':>6} {'stock lexrank':>14}" + "".join(f"{n:>16}" for n in names))
    for n in SIZES:
        texts = [t for t, _ in pool[:n]]
        toks = [w for _, w in pool[:n]]
        sents = [Sentence(t, w, 0, i) for i, (t, w) in enumerate(pool[:n])]
        if n <= args.max_stock:
            stock[n] = best_time(stock_lexrank(texts, toks), 1 if n >= 800 else args.repeat)
        for name in names:
            mine[name][n] = best_time(lambda name=name, sents=sents: rank(sents, name), args.repeat)
        row = f"{n:>6} {stock.get(n, float('nan')):>13.4f}s"
        print(row + "".join(f"{mine[name][n]:>15.4f}s" for name in names), flush=True)

    print("\nlog-log exponent (time ~ n^k) and stock-LexRank / ours at the largest common n")
    ks = sorted(stock)
    print(f"  {'stock lexrank':<16} k = {slope(ks, [stock[n] for n in ks]):.2f}")
    for name in names:
        ns = sorted(mine[name])
        top = max(ks)
        ratio = stock[top] / mine[name][top]
        k = slope(ns, [mine[name][n] for n in ns])
        print(f"  {name:<16} k = {k:.2f}   ×{ratio:,.0f} faster at n = {top}")

    seed = SHARED / "seed" / "000_8f79073e99891395.txt"
    if seed.exists():
        import frontmatter

        body = re.sub(r"```.*?```", "", frontmatter.load(seed).content, flags=re.S)
        texts = [t.strip(" #>*-") for t in split(body) if t.strip(" #>*-")]
        toks = [words(t) for t in texts]
        sents = [Sentence(t, w, 0, i) for i, (t, w) in enumerate(zip(texts, toks, strict=True))]
        t_stock = best_time(stock_lexrank(texts, toks), args.repeat)
        t_mine = best_time(lambda: rank(sents, DEFAULT_ALGORITHM), args.repeat)
        print(
            f"\nseed post ({len(texts)} sentences, {len(set(texts))} distinct): stock LexRank "
            f"{t_stock * 1000:.1f} ms, excerptor {DEFAULT_ALGORITHM} (rank, with de-duplication) "
            f"{t_mine * 1000:.1f} ms: ×{t_stock / t_mine:.0f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
