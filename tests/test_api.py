"""The public API, end to end, on fixtures written for these tests."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import excerptor
from excerptor.summarizers import ALGORITHMS

BODY = """\
# 新しいノートパソコンを買いました

いやー、皆さんこんにちは。

先週、仕事用のノートパソコンを買い替えました。**「軽さ」**を最優先に選んだ結果、重さは1kgを切っています。

バッテリーは公称で20時間持ちます。実際に使ってみると、一日の作業なら充電せずに済みました。

```python
print("コードは要約に入らない")
```

キーボードは打ちやすく、長文を書く作業にも向いています。一方で、端子が少ないのは不便です。

![写真](/img/laptop.jpg){: .wide}

{% include ad.html %}

結論として、持ち歩く人には[このモデル](https://example.com/laptop)をおすすめします。
"""

RESIDUE = re.compile(r"\*\*|__|\]\(|\{%|%\}|\{\{|\}\}|\{:|<[a-zA-Z/!]|https?://|```")


def test_excerpt_fits_and_is_clean() -> None:
    text = excerptor.excerpt(BODY)
    assert 0 < len(text) <= 120
    assert not RESIDUE.search(text)
    assert "いやー" not in text  # filler is not the opener when substance exists
    assert "print" not in text


@pytest.mark.parametrize("max_chars", [10, 25, 40, 80, 120, 300])
def test_excerpt_budget(max_chars: int) -> None:
    text = excerptor.excerpt(BODY, max_chars=max_chars)
    assert 0 < len(text) <= max_chars


def test_summary_is_in_document_order_without_repeats() -> None:
    sentences = excerptor.summarize(BODY, sentences=3)
    assert 1 <= len(sentences) <= 3
    assert len(set(sentences)) == len(sentences)
    positions = [BODY.replace("**", "").find(s[:8]) for s in sentences]
    assert positions == sorted(positions)


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_every_algorithm_by_name(algorithm: str) -> None:
    result = excerptor.summarize(BODY, sentences=2, algorithm=algorithm)
    assert 1 <= len(result) <= 2
    assert len(set(result)) == len(result)


def test_unknown_algorithm_is_a_clear_error() -> None:
    with pytest.raises(excerptor.ExcerptorError, match="unknown algorithm"):
        excerptor.summarize(BODY, algorithm="nope")


def test_reading_time_and_analyze() -> None:
    result = excerptor.analyze(BODY)
    assert result.reading_time == excerptor.reading_time(BODY) >= 1
    assert result.excerpt == excerptor.excerpt(BODY)
    assert result.counts.images == 1
    assert result.counts.code_lines == 1
    assert result.counts.cjk_chars > 100
    assert isinstance(result.warnings, list)


def test_repeated_blocks_do_not_repeat_in_summary() -> None:
    closing = "今回の発表は業界全体に大きな影響を与えるでしょう。今後の動向に注目です。"
    body = "\n\n".join(
        ["新製品が発表されました。価格は据え置きです。"] + [closing, "---END---"] * 6
    )
    result = excerptor.analyze(body, sentences=5)
    assert len(set(result.summary)) == len(result.summary)
    assert result.excerpt.count("注目です") <= 1
    assert result.warnings, "artifacts are reported"


def test_plain_text_is_valid_input() -> None:
    text = "これはただのテキストです。マークダウンではありません。"
    assert excerptor.excerpt(text) == text
    assert excerptor.summarize(text, sentences=5) == [
        "これはただのテキストです。",
        "マークダウンではありません。",
    ]


def test_note_style_post_without_periods() -> None:
    body = "今日は晴れ\n\n散歩に行った\n\n桜がきれいだった"
    assert excerptor.excerpt(body)
    assert excerptor.summarize(body)


def test_empty_and_markup_only_bodies() -> None:
    assert excerptor.excerpt("") == ""
    assert excerptor.summarize("") == []
    assert excerptor.reading_time("") == 0
    only_code = "```\nprint(1)\n```\n"
    assert excerptor.excerpt(only_code) == ""
    assert excerptor.reading_time(only_code) == 1


def test_more_separator_gives_the_authors_excerpt() -> None:
    body = "これは**著者**が選んだ導入です。\n\n<!--more-->\n\n本文はここから始まります。" * 1
    result = excerptor.analyze(body)
    assert result.excerpt == "これは著者が選んだ導入です。"
    assert result.excerpt_from_separator


def test_long_single_sentence_is_cut_with_ellipsis() -> None:
    body = "この文は" + "とても" * 60 + "長い文です。"
    text = excerptor.excerpt(body, max_chars=50)
    assert len(text) <= 50
    assert text.endswith("…")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.text(
        st.characters(codec="utf-8", exclude_categories=("Cs",)),
        max_size=400,
    ),
    st.integers(min_value=1, max_value=200),
)
def test_no_crash_and_budget_on_arbitrary_text(text: str, max_chars: int) -> None:
    result = excerptor.analyze(text, max_chars=max_chars)
    assert len(result.excerpt) <= max_chars
    assert len(set(result.summary)) == len(result.summary)
    if result.counts.cjk_chars or result.counts.latin_words:
        assert result.reading_time >= 1


japanese_sentence = (
    st.lists(
        st.sampled_from(list("あいうえおかきくけこ日本語文章要約テスト山川")),
        min_size=1,
        max_size=30,
    )
    .map("".join)
    .map(lambda s: s + "。")
)


@settings(max_examples=40, deadline=None)
@given(st.lists(japanese_sentence, min_size=1, max_size=30), st.integers(1, 6))
def test_no_duplicate_sentences_even_with_repeats(sentences: list[str], count: int) -> None:
    body = "\n\n".join(sentences + sentences[: len(sentences) // 2])
    summary = excerptor.summarize(body, sentences=count)
    assert len(set(summary)) == len(summary)


CHATTY = (
    "今日もいい天気ですね。ところで、新しいカメラを買いました。\n\n"
    "画素数は二千四百万で、暗い室内でもノイズが少ないです。"
)


def test_excerpt_leaves_fillers_out_even_when_they_fit() -> None:
    body = "いやー、久しぶりの更新です。\n\n新しいカメラを買いました。\n\n画素数は二千四百万です。"
    assert (
        excerptor.excerpt(body, max_chars=200)
        == "新しいカメラを買いました。画素数は二千四百万です。"
    )
    # Nothing but filler: the filler is all there is to show.
    assert excerptor.excerpt("いやー、久しぶりの更新です。") == "いやー、久しぶりの更新です。"
    assert excerptor.analyze(body, max_chars=200, skip_fillers=False).excerpt.startswith("いやー")


@pytest.mark.parametrize("extra", [["今日もいい天気"], ("re:^今日も.*ですね。$",)])
def test_extra_fillers(extra) -> None:
    assert excerptor.excerpt(CHATTY, max_chars=40).startswith("今日もいい天気ですね。")
    assert excerptor.analyze(CHATTY, max_chars=40, fillers=extra).excerpt == (
        "ところで、新しいカメラを買いました。"
    )


@pytest.mark.parametrize("bad", [["re:("], "いやー"])
def test_bad_extra_fillers_are_a_clear_error(bad) -> None:
    with pytest.raises(excerptor.ExcerptorError, match="filler"):
        excerptor.analyze(CHATTY, fillers=bad)
