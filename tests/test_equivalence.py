"""excerptor's vectorized summarizers rate sentences as stock sumy does, given the same tokens.

Every comparison runs on de-duplicated sentences (stock sumy keys ratings by sentence text),
and checks both of excerptor's paths: the sumy-free rating class on token lists (what
``rank`` uses) and its sumy subclass on the sumy DOM.
Graph and frequency algorithms: rating vectors np.allclose. Greedy ones (KL, SumBasic): the
same picks in the same order, except at a tie in sumy's own scores (float noise decides it);
KL only for its first ``KL.exact_picks`` picks, as documented.

The corpus runs tokenize with fugashi directly. By default they use every 40th allforces post
and the seed, cut to their first 80 sentences (stock sumy KL is O(n³) pure Python); with
EXCERPTOR_SLOW=1 they use all 400 posts, whole (KL: first 120 sentences).
"""

from __future__ import annotations

import os
import warnings

import numpy as np
import pytest
from conftest import SHARED, shared_path
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sumy_reference import (
    assert_same_greedy,
    document,
    ours,
    ours_sumy,
    stock_ratings,
    tokenized,
)

GRAPH = ("lexrank", "textrank", "lsa", "luhn", "edmundson", "reduction")
GREEDY = ("kl", "sumbasic")
SLOW = bool(os.environ.get("EXCERPTOR_SLOW"))


def check(name: str, texts, words, blocks) -> None:
    doc = document(texts, words, blocks)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # sumy's LSA warning, LexRank's 0/0 on wordless docs
        stock = stock_ratings(name, doc)
    fast = ours(name).ratings(words, blocks)
    via_sumy = ours_sumy(name)._dom_ratings(doc)
    for mine in (fast, via_sumy):
        assert mine.shape == stock.shape
        if name in GREEDY:
            steps = len(texts) if name == "sumbasic" else min(len(texts), ours("kl").exact_picks)
            assert_same_greedy(name, doc, stock, mine, steps)
        elif np.isnan(stock).any():  # stock LexRank divides 0 by 0 when no sentence has weight
            assert not mine.any()
        else:
            np.testing.assert_allclose(mine, stock, rtol=1e-9, atol=1e-12)


# A small hand-written post: two paragraphs, a one-word sentence, a wordless one, a cue word.
FIXTURE = [
    ("新しいスマートフォンが発表された。", ("新しい", "スマートフォン", "発表"), 0),
    ("発表によると、価格は据え置きだ。", ("発表", "価格", "据え置き"), 0),
    ("カメラの性能が大きく向上した。", ("カメラ", "性能", "大きい", "向上"), 0),
    ("重要なのはバッテリーの持ちだ。", ("重要", "バッテリー", "持ち"), 0),
    ("なるほど。", (), 1),
    ("バッテリー。", ("バッテリー",), 1),
    ("バッテリーの持ちは二日に伸びた。", ("バッテリー", "持ち", "二", "日", "伸びる"), 1),
    ("余談だが、色は三色ある。", ("余談", "色", "三", "色", "ある"), 1),
    ("価格とカメラ性能のバランスが良い。", ("価格", "カメラ", "性能", "バランス", "良い"), 2),
    ("発売は来月の予定だ。", ("発売", "来月", "予定"), 2),
    ("スマートフォン市場の競争は激しい。", ("スマートフォン", "市場", "競争", "激しい"), 2),
    ("結論として、買い替える価値はある。", ("結論", "買い替える", "価値", "ある"), 2),
]


@pytest.mark.parametrize("name", GRAPH + GREEDY)
def test_fixture_ratings_match_stock_sumy(name):
    texts, words, blocks = zip(*FIXTURE, strict=True)
    check(name, list(texts), list(words), list(blocks))


@pytest.mark.parametrize("name", ("lexrank", "textrank", "reduction", "sumbasic", "luhn"))
def test_fixture_selection_matches_stock_sumy_call(name):
    """The sumy subclasses work as sumy summarizers and pick what the stock class picks."""
    import importlib

    stock_cls = {
        "lexrank": ("lex_rank", "LexRankSummarizer"),
        "textrank": ("text_rank", "TextRankSummarizer"),
        "reduction": ("reduction", "ReductionSummarizer"),
        "sumbasic": ("sum_basic", "SumBasicSummarizer"),
        "luhn": ("luhn", "LuhnSummarizer"),
    }[name]
    stock = getattr(importlib.import_module(f"sumy.summarizers.{stock_cls[0]}"), stock_cls[1])
    texts, words, blocks = zip(*FIXTURE, strict=True)
    doc = document(texts, words, blocks)
    summarizer = ours_sumy(name)
    assert isinstance(summarizer, stock)
    picked = [str(s) for s in summarizer(doc, 4)]
    assert picked == [str(s) for s in stock()(doc, 4)]
    assert len(picked) == 4


VOCAB = ["重要", "余談", "こと", "価格", "性能", "発表", "市場", "ai", "gpu", "競争"]
docs = st.lists(
    st.tuples(st.lists(st.sampled_from(VOCAB), max_size=6), st.booleans()),
    min_size=1,
    max_size=25,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(docs)
def test_random_token_lists_match_stock_sumy(doc):
    words = [tuple(w) for w, _ in doc]
    blocks = list(np.cumsum([new for _, new in doc]))
    texts = [f"文{i}。" for i in range(len(doc))]
    for name in GRAPH + GREEDY:
        check(name, texts, words, blocks)


# --- real posts -------------------------------------------------------------------------


def _posts():
    if not SHARED.exists():
        return []
    posts = sorted((SHARED / "corpus" / "allforces" / "_posts").glob("*.md"))
    seed = SHARED / "seed" / "000_8f79073e99891395.txt"
    return ([seed] if seed.exists() else []) + (posts if SLOW else posts[::40])


@pytest.mark.shared
@pytest.mark.parametrize("name", GRAPH + GREEDY)
def test_corpus_posts_match_stock_sumy(name):
    shared_path("corpus", "allforces", "_posts")
    limit = (120 if name == "kl" else 300) if SLOW else 80
    for path in _posts():
        check(name, *tokenized(path, limit))
