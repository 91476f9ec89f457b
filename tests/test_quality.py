"""The default algorithm against the naive baselines on real human-written summaries."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from conftest import shared_path

BENCH = Path(__file__).resolve().parent.parent / "benchmarks" / "quality.py"


def _quality():
    spec = importlib.util.spec_from_file_location("quality_benchmark", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_rouge_counts_clipped_bigrams_without_punctuation():
    q = _quality()
    score = q.rouge("東京へ行った。東京へ行った。", "東京へ行った！")
    assert score["R1"].recall == 1.0
    assert score["R2"].recall == 1.0
    assert score["R1"].precision == pytest.approx(4 / 8)
    assert score["R2"].precision == pytest.approx(3 / 7)  # repeats are clipped to the reference
    assert q.rouge("", "東京")["RL"].f1 == 0.0


def test_budget_fit_prefers_a_sentence_that_fills_the_excerpt():
    from excerptor.summarizers.lead_centrality import LeadCentrality, budget_fit

    fit = budget_fit([10, 30, 90, 30], 30, short_power=0.5, cut_power=0.25)
    assert fit[1] == 1.0  # exactly the budget
    assert fit[0] < fit[1] and fit[2] < fit[1]  # leaves room / gets cut
    assert budget_fit([10, 10, 10], 200, 0.5, 0.25).tolist() == [1.0, 1.0, 1.0]  # room is filled

    # Two sentences alike but for their length: the budget decides which one leads.
    words = [["東京", "旅行", "行く"], ["東京", "旅行", "行く", "楽しい"]]
    model = LeadCentrality()
    short_first = model.ratings(words, lengths=[30, 80], max_chars=30)
    long_first = model.ratings(words, lengths=[30, 80], max_chars=80)
    assert short_first[0] > short_first[1]
    assert long_first[1] > long_first[0]


@pytest.mark.shared
def test_default_beats_lead_first_chars_and_stock_lexrank_on_human_summaries():
    from excerptor.summarizers import DEFAULT_ALGORITHM

    q = _quality()
    # Half the posts, spread over every blog; setting one only (budget = reference length).
    posts = q.load_posts(shared_path("eval", "human_summaries.jsonl"), limit=120)
    systems = q.systems()
    default = next(k for k in systems if k.endswith("(default)"))
    r2 = {
        name: q.evaluate(name, systems[name], posts, wide=False).mean_r2()
        for name in ("lead", "first-N", "sumy lexrank", default)
    }
    assert DEFAULT_ALGORITHM in default
    # Margins well above the noise of 120 posts (the default leads first-N by ~5 points).
    assert r2[default] > r2["lead"] + 2, r2
    assert r2[default] > r2["first-N"] + 2, r2
    assert r2[default] > r2["sumy lexrank"] + 2, r2
