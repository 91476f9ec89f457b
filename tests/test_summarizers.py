"""rank / summary / excerpt: the public surface of excerptor.summarizers."""

from __future__ import annotations

import importlib
import inspect
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from excerptor.errors import ExcerptorError
from excerptor.summarizers import (
    ALGORITHMS,
    DEFAULT_ALGORITHM,
    Sentence,
    excerpt,
    join,
    near_identical,
    rank,
    rating_class,
    summarizer,
    summary,
    sumy_class,
    sumy_summarizer,
)
from excerptor.summarizers.lead_centrality import LeadCentrality, announces

CORE = ("lexrank", "textrank", "lsa", "luhn", "edmundson", "kl", "sumbasic", "reduction", "lead")


def sentences(*rows: tuple[str, tuple[str, ...]] | tuple[str, tuple[str, ...], int]):
    out = []
    for i, row in enumerate(rows):
        text, words = row[0], row[1]
        block = row[2] if len(row) > 2 else 0
        out.append(Sentence(text, tuple(words), block, i))
    return out


def cut(text: str, max_chars: int) -> str:
    """Stand-in for japanese.truncate: a prefix plus an ellipsis, within max_chars."""
    return text if len(text) <= max_chars else text[: max_chars - 1] + "…"


POST = sentences(
    ("新しいスマートフォンが発表された。", ("新しい", "スマートフォン", "発表"), 0),
    ("発表によると、価格は据え置きだ。", ("発表", "価格", "据え置き"), 0),
    ("カメラの性能が大きく向上した。", ("カメラ", "性能", "大きい", "向上"), 1),
    ("重要なのはバッテリーの持ちだ。", ("重要", "バッテリー", "持ち"), 1),
    ("バッテリーの持ちは二日に伸びた。", ("バッテリー", "持ち", "二", "日", "伸びる"), 1),
    ("余談だが、色は三色ある。", ("余談", "色", "三", "色", "ある"), 2),
    ("価格とカメラ性能のバランスが良い。", ("価格", "カメラ", "性能", "バランス", "良い"), 2),
    ("スマートフォン市場の競争は激しい。", ("スマートフォン", "市場", "競争", "激しい"), 2),
)

# The seed post's failure in miniature: a closing block repeated, and a near copy.
REPEATS = sentences(
    ("AIチップの自社開発が完了した。", ("ai", "チップ", "自社", "開発", "完了")),
    ("AIチップの性能は高い。", ("ai", "チップ", "性能", "高い")),
    ("AIチップの自社開発が完了した。", ("ai", "チップ", "自社", "開発", "完了")),
    ("AIチップの自社開発が、ついに完了した！", ("ai", "チップ", "自社", "開発", "完了", "つい")),
    ("クラウド市場の競争は激しい。", ("クラウド", "市場", "競争", "激しい")),
    ("AIチップの自社開発が完了した。", ("ai", "チップ", "自社", "開発", "完了")),
    ("AIチップの開発競争は続く。", ("ai", "チップ", "開発", "競争", "続く")),
)


def test_registry_lists_every_sumy_algorithm_and_lead():
    assert set(CORE) <= set(ALGORITHMS)
    assert DEFAULT_ALGORITHM in ALGORITHMS


def test_unknown_algorithm_is_an_excerptor_error():
    with pytest.raises(ExcerptorError, match="unknown algorithm 'nope'"):
        rank(POST, "nope")


@pytest.mark.parametrize("name", ALGORITHMS)
def test_rank_is_a_permutation(name):
    order = rank(POST, name)
    assert sorted(order) == list(range(len(POST)))
    assert rank([], name) == []


def test_lead_is_document_order():
    assert rank(POST, "lead") == list(range(len(POST)))


def test_edmundson_cue_words_are_japanese():
    # same positions (middle of one paragraph), one bonus word against one stigma word
    post = sentences(
        ("始め。", ("始め",)),
        ("余談だが色が良い。", ("余談", "色", "良い")),
        ("重要なのは色が良いことだ。", ("重要", "色", "良い")),
        ("終わり。", ("終わり",)),
    )
    order = rank(post, "edmundson")
    assert order.index(2) < order.index(1)


@pytest.mark.parametrize("name", ALGORITHMS)
def test_duplicates_and_near_copies_are_never_repeated(name):
    order = rank(REPEATS, name)
    # copies 2 and 5 are rated once, with sentence 0: they come last
    assert set(order[-2:]) == {2, 5}
    # 0 and 3 are near-identical (Jaccard 5/6): the later one comes after every distinct one
    assert max(order.index(0), order.index(3)) > max(order.index(i) for i in (1, 4, 6))
    chosen = summary(REPEATS, 4, order)
    assert len(chosen) == 4
    assert not ({0, 2, 5} & set(chosen) and 3 in chosen)
    assert len({REPEATS[i].text for i in chosen}) == 4
    text = excerpt(REPEATS, order, 60, cut)
    assert text.count("自社開発") == 1


def test_near_identical_rules():
    a = Sentence("AIチップの自社開発が完了した。", ("ai", "チップ", "自社", "開発", "完了"), 0, 0)
    b = Sentence(
        "AIチップの自社開発が、ついに完了した！",
        ("ai", "チップ", "自社", "開発", "完了", "つい"),
        0,
        1,
    )
    c = Sentence("AIチップの開発競争は続く。", ("ai", "チップ", "開発", "競争", "続く"), 0, 2)
    inside = Sentence("前置きだが、AIチップの自社開発が完了した。", ("前置き",), 0, 3)
    short = Sentence("完了した。", ("完了",), 0, 4)
    spaced = Sentence(" ａｉチップの自社開発が完了した ", (), 0, 5)
    assert near_identical(a, b)  # Jaccard 5/6
    assert not near_identical(a, c)  # Jaccard 3/7
    assert near_identical(a, inside)  # text contained, words aside
    assert not near_identical(a, short)  # contained but too short to count
    assert near_identical(a, spaced)  # NFKC, case and punctuation do not matter


def test_summary_is_distinct_and_in_document_order():
    order = [4, 0, 2, 3, 5]
    assert summary(REPEATS, 2, order) == [0, 4]
    # 2 and 3 are copies of 0, 5 too: the third distinct one is not there
    assert summary(REPEATS, 3, order) == [0, 4]
    assert summary(REPEATS, 0, order) == []


def test_excerpt_fills_greedily_in_document_order():
    s = sentences(("あいうえお。", ()), ("かきくけこさしすせそ。", ()), ("たちつてと。", ()))
    # best is 2; 1 does not fit beside it (6 + 11 > 14), 0 does (6 + 6)
    assert excerpt(s, [2, 1, 0], 14, cut) == "あいうえお。たちつてと。"
    assert excerpt(s, [1, 0, 2], 11, cut) == "かきくけこさしすせそ。"
    assert excerpt(s, [1, 0, 2], 8, cut) == "かきくけこさし…"
    assert excerpt(s, [], 8, cut) == ""


def test_excerpt_puts_a_space_between_latin_sentences_only():
    assert join(["It works.", "Really."]) == "It works. Really."
    assert join(["It works.", "本当だ。", "AWSも。"]) == "It works.本当だ。AWSも。"
    s = sentences(("It works.", ()), ("Really.", ()), ("本当だ。", ()))
    assert excerpt(s, [0, 1, 2], 100, cut) == "It works. Really.本当だ。"


def test_excerpt_stops_trying_after_a_limit():
    filler = [(f"長い長い長い長い長い文{i}。", ()) for i in range(12)]
    s = sentences(("最良。", ()), *filler, ("短い。", ()))
    # the short one would fit, but it is the 13th candidate after the best
    assert excerpt(s, list(range(len(s))), 10, cut) == "最良。"
    assert excerpt(s, [0, len(s) - 1, *range(1, len(s) - 1)], 10, cut) == "最良。短い。"


texts = st.text(alphabet="あいうえおアイウエオ漢字abc ,.。、", min_size=1, max_size=60).filter(
    str.strip
)


@settings(max_examples=60, deadline=None)
@given(st.lists(texts, min_size=1, max_size=12), st.integers(1, 150), st.randoms())
def test_excerpt_never_exceeds_max_chars(parts, max_chars, rnd):
    s = [Sentence(t, tuple(t.split()), 0, i) for i, t in enumerate(parts)]
    order = list(range(len(s)))
    rnd.shuffle(order)
    text = excerpt(s, order, max_chars, cut)
    assert len(text) <= max_chars
    assert text


def test_importing_summarizers_stays_light():
    code = (
        "import sys, excerptor.summarizers;"
        "print(sorted(m for m in ('nltk', 'sumy', 'numpy', 'scipy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_default_path_imports_neither_sumy_nor_nltk():
    code = (
        "import sys, excerptor\n"
        "from excerptor.summarizers import ALGORITHMS\n"
        "text = 'これはテストです。次の文です。'\n"
        "excerptor.analyze(text)\n"
        "print('nltk' in sys.modules, 'sumy' in sys.modules)\n"
        "for name in ALGORITHMS:\n"
        "    excerptor.analyze(text, algorithm=name)\n"
        "print('nltk' in sys.modules, 'sumy' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    # default algorithm, then every algorithm: no nltk, no sumy
    assert out.stdout.split("\n")[:2] == ["False False", "False False"], out.stdout


# The sumy parameters each rating class reads; they must stay sumy's defaults.
SUMY_PARAMETERS = {
    "lexrank": {"threshold", "epsilon", "_stop_words"},
    "textrank": {"epsilon", "damping", "_ZERO_DIVISION_PREVENTION", "_stop_words"},
    "lsa": {"MIN_DIMENSIONS", "REDUCTION_RATIO", "_stop_words"},
    "luhn": {"max_gap_size", "significant_percentage", "_stop_words"},
    "edmundson": {"_cue_weight", "_key_weight", "_title_weight", "_location_weight"},
    "kl": {"stop_words"},  # a plain attribute in sumy's KL
    "sumbasic": {"_stop_words"},
    "reduction": {"_stop_words"},
}
# What the rating classes override of sumy's, re-implemented to behave as sumy's does.
MIRRORED = {"stop_words", "bonus_words", "stigma_words", "null_words", "stem_word", "_stemmer"}
MIRRORED |= {"power_method"}  # LexRank's works on sparse matrices as well as dense ones


def _sumy_base(name: str) -> type:
    module, cls = rating_class(name).sumy_base
    return getattr(importlib.import_module(module), cls)


@pytest.mark.parametrize("name", ALGORITHMS)
def test_rating_class_defaults_are_sumys(name):
    rating, stock = rating_class(name), _sumy_base(name)()
    compared = set()
    for attr in dir(rating):
        if attr.startswith("__") or not hasattr(stock, attr):
            continue
        ours = inspect.getattr_static(rating, attr)
        if callable(ours) or isinstance(ours, (property, staticmethod, classmethod)):
            assert attr in MIRRORED, f"{name}.{attr} overrides sumy's"
        else:
            assert ours == getattr(stock, attr), attr
            compared.add(attr)
    assert SUMY_PARAMETERS.get(name, set()) <= compared


@pytest.mark.parametrize("name", ALGORITHMS)
def test_sumy_subclass_is_the_sumy_class_rated_by_ours(name):
    instance = sumy_summarizer(name)
    assert isinstance(instance, _sumy_base(name))
    assert isinstance(instance, rating_class(name))
    assert type(instance) is sumy_class(name)  # built once
    assert instance is not sumy_summarizer(name)  # a fresh, configurable instance each time
    words, blocks = [s.words for s in POST], [s.block for s in POST]
    fast = summarizer(name).ratings(words, blocks)
    assert fast.tolist() == instance.ratings(words, blocks).tolist()


def test_mirrored_sumy_properties_behave_as_sumys():
    for name, attrs in (("lexrank", ["stop_words"]), ("edmundson", ["bonus_words", "null_words"])):
        ours, stock, sub = rating_class(name)(), _sumy_base(name)(), sumy_summarizer(name)
        for attr in attrs:
            for obj in (ours, stock, sub):
                setattr(obj, attr, ["AI", "発表"])
            assert getattr(ours, attr) == getattr(stock, attr) == getattr(sub, attr)
    # a stemmer given to the sumy subclass is used, as sumy uses it
    stemmed = sumy_summarizer("edmundson", stemmer=lambda w: w[:2])
    stemmed.bonus_words = ["Abcd"]
    assert stemmed.bonus_words == frozenset({"ab"})


def test_version_path_imports_neither_sumy_nor_nltk():
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "excerptor", "--version"],
        capture_output=True,
        text=True,
    )
    assert "excerptor" in out.stdout
    imported = {line.rsplit("|", 1)[-1].strip().split(".")[0] for line in out.stderr.splitlines()}
    assert not {"sumy", "nltk"} & imported


@pytest.mark.shared
def test_seed_post_summary_never_repeats(seed_post):
    from sumy_reference import tokenized

    texts, words, _ = tokenized(seed_post, distinct=False)
    s = [Sentence(t, w, 0, i) for i, (t, w) in enumerate(zip(texts, words, strict=True))]
    assert len({t for t in texts}) < len(texts)  # the seed repeats itself
    for name in CORE:
        chosen = summary(s, 5, rank(s, name))
        assert len(chosen) == 5
        assert not any(near_identical(s[a], s[b]) for a in chosen for b in chosen if a < b), name


def test_learned_scorer_ships_small_weights_for_every_feature():
    import json
    from importlib import resources

    from excerptor.summarizers.learned import FEATURES

    raw = resources.files("excerptor").joinpath("data", "scorer.json").read_text("utf-8")
    data = json.loads(raw)
    assert len(raw) < 1000
    assert data["features"] == list(FEATURES)
    assert len(data["weights"]) == len(FEATURES)


def test_learned_scorer_prefers_the_title_and_whole_sentences():
    from excerptor.summarizers.learned import FEATURES, Learned

    words = [("天気", "良い"), ("型", "ヒント", "誤り"), ("型", "ヒント")]
    texts = ["今日は天気が良い。", "型ヒントで誤りが見つかる。", "型ヒントの"]
    ratings = Learned().ratings(words, [0, 1, 2], title_words=("型", "ヒント"), texts=texts)
    assert ratings[1] > ratings[0]  # shares the title's words
    assert ratings[1] > ratings[2]  # ends as a sentence does
    # weights given to the constructor override the package's
    assert Learned([0.0] * len(FEATURES)).ratings(words).tolist() == pytest.approx(
        [0.0, 0.0, 0.0], abs=1e-6
    )


# --------------------------------------------------------------------------- readable excerpts

READABLE = sentences(
    ("型ヒント入門", ("型", "ヒント", "入門")),
    ("型ヒントはエディタに誤りを教えてもらう仕組みです。", ("型", "ヒント", "エディタ", "誤り")),
    ("また、実行時には何も検査しません。", ("実行", "時", "検査")),
    ("この記事はアフィリエイトを含みます。", ("記事", "アフィリエイト", "含む")),
    ("しかし、mypyを使えば検査できます。", ("mypy", "使う", "検査")),
)
NOTICE = frozenset({"この記事はアフィリエイトを含みます"})


@pytest.mark.parametrize(
    ("order", "budget", "options", "expected"),
    [
        # the title is used to choose, never repeated
        (
            [0, 1],
            200,
            {"title": "型ヒント入門"},
            "型ヒントはエディタに誤りを教えてもらう仕組みです。",
        ),
        # without the title it is just a sentence
        ([0], 200, {}, "型ヒント入門"),
        # a connective never opens the excerpt...
        ([2, 1], 20, {}, "型ヒントはエディタに誤りを教えてもらう仕組みです。"[:19] + "…"),
        # ...and follows only the sentence it points back to
        ([2, 1], 200, {}, READABLE[1].text + READABLE[2].text),
        ([4, 1], 200, {}, READABLE[1].text),
        # its antecedent taken later still lets it in
        ([1, 4, 3], 80, {}, READABLE[1].text + READABLE[3].text + READABLE[4].text),
        # a site's boilerplate is never excerpted
        ([3, 1], 200, {"boilerplate": NOTICE}, READABLE[1].text),
        # ...unless there is nothing else
        ([3], 200, {"boilerplate": NOTICE}, READABLE[3].text),
    ],
)
def test_excerpt_is_a_readable_sentence_set(order, budget, options, expected):
    assert excerpt(READABLE, order, budget, cut, **options) == expected


def test_no_sentence_twice_however_short():
    import excerptor

    assert excerptor.excerpt("便利。便利。") == "便利。"
    assert excerptor.excerpt("便利。\n\n便利。\n\n便利。") == "便利。"


def test_boilerplate_setting_is_checked():
    import excerptor

    body = "この記事はアフィリエイトを含みます。型ヒントはエディタに誤りを教えてもらう仕組みです。"
    plain = excerptor.analyze(body, max_chars=30).excerpt
    cleaned = excerptor.analyze(body, max_chars=30, boilerplate=sorted(NOTICE)).excerpt
    assert plain.startswith("この記事")
    assert cleaned.startswith("型ヒント")
    with pytest.raises(ExcerptorError, match="boilerplate"):
        excerptor.analyze(body, boilerplate=frozenset({1}))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("今回はGoで重み付きランダム選択を実装する方法を紹介します。", True),
        ("今回は初回だったので緊張しました。", False),
        ("単体テストの作法は、以前に以下の記事で整理しました。", False),
        ("この記事では型ヒントの使い方を説明する。", True),
        ("調べたことを共有します。", True),
        ("読んだ本の感想をまとめました。", True),
        ("技術の進歩は目覚ましく、毎年新しい道具が出てきます。", False),
        ("重みの累積和を作り、乱数で二分探索します。", False),
    ],
)
def test_announces(text, expected):
    assert announces(text) is expected


def test_a_sentence_that_announces_the_post_ranks_higher():
    texts = ["技術の進歩は目覚ましい。", "今回はGoの実装を紹介します。", "累積和で探索します。"]
    words = [["技術", "進歩"], ["Go", "実装"], ["累積", "探索"]]
    plain = LeadCentrality()
    plain.purpose_weight = 0.0
    with_purpose = LeadCentrality().ratings(words, texts=texts)
    without = plain.ratings(words, texts=texts)
    assert with_purpose[1] > without[1]
    assert list(with_purpose[[0, 2]]) == list(without[[0, 2]])


@pytest.mark.parametrize(
    ("body", "shown"),
    [
        pytest.param(
            "横浜マラソン2024に参加しました。5回目のフルマラソンでした。\n\n"
            "[前回の記事 横浜マラソン2023に参加しました](https://example.com/a)\n\n"
            "- グロスタイム 3:38:23\n- ネットタイム 3:37:03\n",
            "横浜マラソン2024に参加しました。5回目のフルマラソンでした。",
            id="link-title-and-labels",
        ),
        pytest.param(
            "カルガリー市内を丘の上から眺めました。市街地は川に沿って発展しています。\n\n"
            "丘の上からの市街地の様子はこのような感じです:\n\n次はカーリング場へ向かいました。\n",
            "カルガリー市内を丘の上から眺めました。市街地は川に沿って発展しています。",
            id="lead-in-to-an-image",
        ),
        pytest.param(
            "ふるさと納税で寄付したものをまとめます。今年は加湿器にしました。\n\n"
            "寄付したのはこちらです。\n\n"
            + "返礼品の選び方について長く書いた段落です。"
            * 3
            + "\n\n"
            "像がとてもでかいです。\n",
            "ふるさと納税で寄付したものをまとめます。今年は加湿器にしました。",
            id="no-pointer-no-short-remark-from-further-down",
        ),
        pytest.param(
            "- aws ec2の使い方についてまとめる\n- インスタンスの設定を書く\n",
            "aws ec2の使い方についてまとめる。インスタンスの設定を書く",
            id="note-style-post-keeps-its-units",
        ),
    ],
)
def test_excerpt_fills_only_with_whole_sentences(body, shown):
    import excerptor

    assert excerptor.analyze(body, max_chars=120).excerpt == shown
