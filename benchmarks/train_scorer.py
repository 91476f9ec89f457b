"""Fit the weights of excerptor's learned scorer (excerptor/data/scorer.json).

    python benchmarks/train_scorer.py [--out excerptor/data/scorer.json] [--lobo]

Data: ../shared/eval/human_summaries.jsonl and train_summaries.jsonl (29 blogs, the authors'
own summaries). Each post's candidates are the sentences ``excerptor.analyze`` ranks (first
copies, in document order), with :func:`excerptor.summarizers.learned.features` at the budget
of the reference's length. A candidate's gain is its ROUGE-2 F1 (plus a third of ROUGE-1 F1)
against the reference, the sentence cut to the budget; a post's target is its gains cubed,
summing to one. The model is a softmax over the post's sentences (listwise), fitted by L-BFGS,
each blog weighing as much as any other, with an L2 penalty on the distance to
``learned.PRIOR`` (lead_centrality's rating written as a log-linear model). numpy and scipy
only.

``--lobo`` prints leave-one-blog-out ROUGE-2 F1 per blog (trained without the blog) against
the current default; ``quality.py --lobo`` does the same beside the other systems.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import quality  # noqa: E402

MAX_CANDIDATES = 80  # sentences per post the model is trained on (the lead matters most)
L2 = 100.0  # penalty on the distance to the prior (the data weigh one per blog)
R1_SHARE = 1 / 3  # of ROUGE-1 F1 in a sentence's target
# The features the fit may move from the prior (all of them unless given).
FREE: tuple[str, ...] = (
    "log_position",
    "first",
    "block_first",
    "log_block",
    "centrality",
    "log_centrality",
    "title_cosine",
    "log_title",
    "title_share",
    "figures",
    "latin",
    "katakana",
    "dangling",
    "question",
    "unfinished",
    "few_words",
    "log_fit",
    "log_words",
)
POWER = 3.0  # of the gains in the target: higher aims at the best sentence alone


@dataclass
class Item:
    post: quality.Post
    x: np.ndarray  # features, one row per candidate
    r2: np.ndarray  # ROUGE-2 F1 of each candidate cut to the budget
    r1: np.ndarray  # ROUGE-1 F1 likewise

    def target(self, power: float = 1.0) -> np.ndarray:
        """The candidates' gains to the power ``power``, summing to 1 (or all zero)."""
        gains = (self.r2 + R1_SHARE * self.r1) ** power
        total = gains.sum()
        return gains / total if total > 0 else gains


def prepare(posts: Sequence[quality.Post]) -> list[Item]:
    """Features and targets of every post, as ``analyze`` ranks its sentences."""
    from excerptor import japanese
    from excerptor.settings import Settings
    from excerptor.summarizers import learned

    settings = Settings()
    items = []
    for post in posts:
        sentences, unique = quality.candidates(post, settings)
        chosen = [sentences[i] for i in unique][:MAX_CANDIDATES]
        budget = len(post.reference)
        x = learned.features(
            [s.words for s in chosen],
            [s.block for s in chosen],
            title_words=tuple(japanese.content_words(post.title)) if post.title else (),
            lengths=[len(s.text) for s in chosen],
            max_chars=budget,
            texts=[s.text for s in chosen],
        )
        scores = [quality.rouge(s.text[:budget], post.reference) for s in chosen]
        r2 = np.array([r["R2"].f1 for r in scores])
        r1 = np.array([r["R1"].f1 for r in scores])
        items.append(Item(post, x, r2, r1))
    return items


def fit(
    items: Sequence[Item],
    blog_of: Callable[[str], str] = quality.blog_of,
    l2: float | None = None,
    power: float | None = None,
    free: Sequence[str] | None = None,
) -> np.ndarray:
    """Weights minimizing the listwise cross-entropy, each blog weighing the same, with a
    penalty ``l2`` on the distance to the prior (lead_centrality's rating)."""
    from scipy.optimize import minimize

    from excerptor.summarizers.learned import FEATURES, PRIOR

    free = FREE if free is None else free
    # the prior's own features are held (almost) fixed unless ``free``
    l2 = np.array([(L2 if l2 is None else l2) if n in free else 1e4 for n in FEATURES])
    prior = np.array([PRIOR.get(name, 0.0) for name in FEATURES])

    power = POWER if power is None else power
    usable = [it for it in items if it.target().sum() > 0 and len(it.r2) > 1]
    targets = [it.target(power) for it in usable]
    per_blog: dict[str, int] = {}
    for it in usable:
        per_blog[blog_of(it.post.repo)] = per_blog.get(blog_of(it.post.repo), 0) + 1
    weight = [1.0 / per_blog[blog_of(it.post.repo)] for it in usable]

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        total, grad = 0.5 * (l2 * (w - prior)) @ (w - prior), l2 * (w - prior)
        for it, t, c in zip(usable, targets, weight, strict=True):
            s = it.x @ w
            s = s - s.max()
            p = np.exp(s)
            p /= p.sum()
            total -= c * float(t @ np.log(p + 1e-300))
            grad = grad + c * it.x.T @ (p - t)
        return total, grad

    return minimize(loss, prior.copy(), jac=True, method="L-BFGS-B").x


def excerpt_with(weights: np.ndarray, post: quality.Post, budget: int) -> str:
    """``analyze``'s excerpt of ``post`` with the learned scorer at ``weights``."""
    import excerptor
    from excerptor import summarizers
    from excerptor.summarizers.learned import Learned

    real = summarizers.summarizer
    model = Learned(weights)
    summarizers.summarizer = lambda name: model if name == "learned" else real(name)
    try:
        return excerptor.analyze(
            post.body, max_chars=budget, algorithm="learned", title=post.title or None
        ).excerpt
    finally:
        summarizers.summarizer = real


def lobo_learned(
    posts: Sequence[quality.Post],
    blog_of: Callable[[str], str] = quality.blog_of,
    l2: float | None = None,
    items: Sequence[Item] | None = None,
) -> dict[str, list[float]]:
    """ROUGE-2 F1 per post (budget = reference length), by repository, of the learned scorer
    trained without the post's blog."""
    items = prepare(posts) if items is None else items
    out: dict[str, list[float]] = {}
    for blog in sorted({blog_of(p.repo) for p in posts}):
        weights = fit([it for it in items if blog_of(it.post.repo) != blog], blog_of, l2)
        for post in posts:
            if blog_of(post.repo) == blog:
                text = excerpt_with(weights, post, len(post.reference))
                out.setdefault(post.repo, []).append(quality.rouge(text, post.reference)["R2"].f1)
        print(f"  lobo learned: {blog} done", file=sys.stderr)
    return out


def _flat(posts: Sequence[quality.Post], scores: dict[str, list[float]]) -> list[float]:
    """``scores`` (per repository, in post order) back in the order of ``posts``."""
    seen: dict[str, int] = {}
    out = []
    for p in posts:
        out.append(scores[p.repo][seen.get(p.repo, 0)])
        seen[p.repo] = seen.get(p.repo, 0) + 1
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "excerptor" / "data" / "scorer.json")
    parser.add_argument("--lobo", action="store_true", help="leave-one-blog-out R-2 per blog")
    parser.add_argument("--l2", type=float, nargs="*", help="penalties to compare with --lobo")
    args = parser.parse_args(argv)
    if not quality.DATA.exists() or not quality.TRAIN.exists():
        print("skipped: ../shared/eval is absent")
        return 0
    from excerptor.summarizers.learned import FEATURES

    posts = quality.load_posts(quality.DATA) + quality.load_posts(quality.TRAIN)
    ids = {p.id for p in posts[: len(quality.load_posts(quality.DATA))]}
    if args.lobo:
        items = prepare(posts)
        for l2 in args.l2 or [L2]:
            scores = lobo_learned(posts, l2=l2, items=items)
            means = {repo: 100 * statistics.fmean(v) for repo, v in scores.items()}
            for repo, m in sorted(means.items()):
                print(f"{repo:45} {len(scores[repo]):3} {m:6.1f}")
            human = [x for p, x in zip(posts, _flat(posts, scores), strict=True) if p.id in ids]
            print(
                f"l2 {l2:g}: mean over {len(means)} blogs {statistics.fmean(means.values()):.2f};"
                f" human_summaries posts {100 * statistics.fmean(human):.2f}",
                flush=True,
            )
        return 0
    weights = fit(prepare(posts))
    data = {
        "about": "excerptor.summarizers.learned weights; python benchmarks/train_scorer.py",
        "features": list(FEATURES),
        "weights": [round(float(w), 4) for w in weights],
    }
    args.out.write_text(json.dumps(data, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(dict(zip(FEATURES, data["weights"], strict=True)), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
