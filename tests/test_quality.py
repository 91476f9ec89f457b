"""The default algorithm against the naive baselines on real human-written summaries."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from conftest import shared_path

pytestmark = pytest.mark.shared

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


def test_default_beats_lead_and_first_chars_on_human_summaries():
    from excerptor.summarizers import DEFAULT_ALGORITHM

    q = _quality()
    posts = q.load_posts(shared_path("eval", "human_summaries.jsonl"), limit=120)
    systems = q.systems()
    default = next(k for k in systems if k.endswith("(default)"))
    r2 = {
        name: q.evaluate(name, systems[name], posts).mean_r2()
        for name in ("lead", "first-N", "sumy lexrank", default)
    }
    assert DEFAULT_ALGORITHM in default
    assert r2[default] > r2["lead"], r2
    assert r2[default] > r2["first-N"], r2
    assert r2[default] > r2["sumy lexrank"], r2
