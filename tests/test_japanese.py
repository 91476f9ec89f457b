"""excerptor.japanese: content words, the sumy tokenizer, long inputs and truncate."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from excerptor import japanese
from excerptor.errors import ExcerptorError
from excerptor.japanese import (
    CHUNK_CHARS,
    STOP_WORDS,
    Tokenizer,
    content_words,
    split_sentences,
    tagger,
    truncate,
)

# --------------------------------------------------------------------------- tokens


def test_one_tagger_per_process() -> None:
    assert tagger() is tagger()
    assert [w.surface for w in tagger()("猫が鳴く")] == ["猫", "が", "鳴く"]


WORDS: list[tuple[str, list[str]]] = [
    ("猫が魚を食べた。", ["猫", "魚", "食べる"]),
    ("美しい花が静かに咲いている", ["美しい", "花", "静か", "咲く"]),
    ("ボタンをクリックしてページを開く", ["ボタン", "クリック", "ページ", "開く"]),
    ("チップを買った", ["チップ", "買う"]),
    ("東京タワーに行った。", ["東京", "タワー"]),  # not トウキョウ; 行く is 非自立可能
    ("PythonとGoogleのAPIを使う", ["python", "google", "api", "使う"]),
    ("ＡＩとAI", ["ai", "ai"]),
    ("ｶﾀｶﾅの単語", ["カタカナ", "単語"]),
    ("私はこれを行うことができる。", []),  # pronouns, する/できる/こと are not content
    ("2025年に100人が3つの本を読んだ", ["本", "読む"]),  # numbers, counters dropped
    ("子供たちが遊んでいる", ["子供", "遊ぶ"]),  # 達 is a suffix
    ("試してみると分かるようになる", ["試す", "分かる"]),  # みる/なる/よう out
    ("技術的な課題", ["技術", "課題"]),  # 的 is a suffix
    ("楽しかったｗｗｗ", ["楽しい"]),
    ("a b c の x", []),  # one-letter Latin tokens
    ("", []),
    ("   ", []),
    ("。、！？「」", []),
]


@pytest.mark.parametrize(("text", "expected"), WORDS, ids=[t for t, _ in WORDS])
def test_content_words(text: str, expected: list[str]) -> None:
    assert content_words(text) == expected


def test_gloss_suffix_is_stripped_and_latin_lowercased() -> None:
    words = content_words("チップとデータとモデルとOpenAI")
    assert words == ["チップ", "データ", "モデル", "openai"]
    assert not any("-" in w for w in words)


def test_verbs_and_adjectives_are_lemmatised() -> None:
    assert content_words("走りました。高かった。") == ["走る", "高い"]


def test_stop_words_never_come_out() -> None:
    text = "することがある。いるものになる。言われるようにするためだ。"
    assert not set(content_words(text)) & STOP_WORDS
    for w in ("する", "ある", "いる", "なる", "れる", "こと", "もの", "よう", "ため"):
        assert w in STOP_WORDS


def test_particles_that_stock_sumy_keeps_are_gone() -> None:
    from sumy.nlp.tokenizers import Tokenizer as SumyTokenizer

    text = "猫が魚の骨を食べた"
    stock = SumyTokenizer("japanese").to_words(text)
    assert {"が", "の", "を"} <= set(stock)
    ours = Tokenizer().to_words(text)
    assert not {"が", "の", "を"} & set(ours)
    assert ours == ("猫", "魚", "骨", "食べる")


def test_nul_and_lone_surrogates_do_not_crash() -> None:
    assert content_words("猫\x00と犬") == ["猫", "犬"]
    assert content_words("猫\ud800と犬") == ["猫", "犬"]
    assert content_words("\udfff") == []


def test_long_input_is_tagged_in_chunks_with_the_same_result() -> None:
    sentence = "新しい技術が社会を変える。"
    n = 3 * CHUNK_CHARS // len(sentence)
    assert content_words(sentence * n) == content_words(sentence) * n


def test_long_unbroken_input_is_bounded() -> None:
    text = "あ" * (2 * CHUNK_CHARS + 7)
    pieces = list(japanese._chunks(text))
    assert "".join(pieces) == text
    assert all(len(p) <= CHUNK_CHARS for p in pieces)
    content_words(text)  # no crash, no unbounded lattice


@settings(max_examples=60, deadline=None)
@given(
    st.text(alphabet="あア亜a 。\n", max_size=300),
    st.integers(min_value=1, max_value=50),
)
def test_chunks_cover_the_text(text: str, size: int) -> None:
    pieces = list(japanese._chunks(text, size))
    assert "".join(pieces) == text
    assert all(0 < len(p) <= size for p in pieces)


# --------------------------------------------------------------------------- sumy


def test_sumy_parser_and_summarizer_accept_our_tokenizer() -> None:
    from sumy.models.dom import Sentence
    from sumy.parsers.plaintext import PlaintextParser
    from sumy.summarizers.lex_rank import LexRankSummarizer

    text = (
        "新しいAIチップが発表された。チップの性能は前世代の二倍だ。\n\n"
        "価格は据え置かれた。発表会には多くの記者が集まった（笑）次の発表は来年だ"
    )
    tokenizer = Tokenizer()
    assert tokenizer.language == "japanese"
    parser = PlaintextParser.from_string(text, tokenizer)
    sentences = [str(s) for s in parser.document.sentences]
    assert sentences[-1] == "次の発表は来年だ"  # stock sumy drops it
    assert "発表会には多くの記者が集まった（笑）" in sentences
    assert Sentence("猫が鳴く。", tokenizer).words == ("猫", "鳴く")
    summary = LexRankSummarizer()(parser.document, 2)
    assert len(summary) == 2
    assert all(str(s) in sentences for s in summary)


def test_to_sentences_is_split_sentences() -> None:
    text = "一文目。「二文目。」と言った。三文目"
    assert Tokenizer().to_sentences(text) == tuple(split_sentences(text))


# --------------------------------------------------------------------------- truncate

JA = "「要点」をまとめると、東京都庁で新しい会議が開かれました。"

TRUNCATE: list[tuple[str, int, str]] = [
    (JA, len(JA), JA),
    (JA, 100, JA),
    ("", 5, ""),
    (JA, 1, "…"),
    (JA, 2, "…"),  # 「 alone is stripped
    (JA, 5, "「要点」…"),
    (JA, 10, "「要点」をまとめる…"),
    (JA, 12, "「要点」をまとめると…"),  # 、 stripped before the ellipsis
    (JA, 20, "「要点」をまとめると、東京都庁で新しい…"),
    ("今日は晴れ。明日は雨。", 8, "今日は晴れ…"),  # 。 stripped
    ("前置き「引用部分が長い」", 6, "前置き…"),  # opening bracket stripped
    ("短いhttps://example.com/" + "a" * 300, 30, "短いhttps://example.com/aaaaaaa…"),
    ("https://example.com/" + "a" * 300, 25, "https://example.com/aaaa…"),
    ("a" * 200_000, 10, "aaaaaaaaa…"),
    ("word " * 10, 12, "word word…"),
    (JA, 10, "「要点」をまとめる…"),
]


@pytest.mark.parametrize(("text", "n", "expected"), TRUNCATE)
def test_truncate_table(text: str, n: int, expected: str) -> None:
    assert truncate(text, n) == expected


def test_truncate_other_ellipsis() -> None:
    assert truncate(JA, 13, ellipsis="...") == "「要点」をまとめると..."
    # No room for the ellipsis: the prefix alone, which here is empty, as 要点 does not fit.
    assert truncate(JA, 2, ellipsis="...") == ""
    assert truncate(JA, 5, ellipsis="...") == "..."  # 「 is stripped, 要点 does not fit
    assert truncate(JA, 10, ellipsis="") == "「要点」をまとめると"


def test_truncate_rejects_non_positive_budget() -> None:
    with pytest.raises(ExcerptorError):
        truncate(JA, 0)


def test_truncate_200k_unpunctuated_paragraph() -> None:
    text = "あいうえおかきくけこさしすせそ" * 14_000
    out = truncate(text, 120)
    assert len(out) <= 120 and out.endswith("…")
    assert text.startswith(out[:-1])
    assert len(out) > 100


def test_truncate_does_not_split_graphemes() -> None:
    family = "👨\u200d👩\u200d👧"
    assert truncate("x" * 8 + family + "y" * 100, 10) in ("x" * 8 + "…", "xxxxxxxx" + family + "…")
    assert not truncate("x" * 8 + family + "y" * 100, 11).endswith("\u200d…")
    accented = "e\u0301" * 100  # e + combining acute
    out = truncate(accented, 10)
    assert out[-2] != "e" or out[-2:] != "e…"  # never a bare e whose accent was cut off
    assert out[:-1] == "e\u0301" * ((len(out) - 1) // 2)
    flags = "🇯🇵" * 60
    out = truncate(flags, 10)
    assert out[:-1] == "🇯🇵" * ((len(out) - 1) // 2)


def _boundaries(text: str) -> set[int]:
    ends, pos = {0}, 0
    for w in tagger()(text):
        pos += len(w.white_space)
        ends.add(pos)
        pos += len(w.surface)
        ends.add(pos)
    return ends


SENTENCES = [
    "人工知能の技術は目覚ましい進化を遂げている。",
    "今日は天気が良かったので、近所の公園まで散歩に出かけました。",
    "新しいプログラミング言語を学ぶのは楽しい！",
    "「要点」を三行でまとめると、次のようになる。",
]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=6), st.data())
def test_truncate_ends_on_a_morpheme_boundary(parts: list[str], data: st.DataObject) -> None:
    text = "".join(parts)
    n = data.draw(st.integers(min_value=12, max_value=len(text) + 5))
    out = truncate(text, n)
    assert len(out) <= n
    if len(text) <= n:
        assert out == text
    else:
        assert out.endswith("…")
        assert len(out[:-1]) in _boundaries(text)
        assert out[-2] not in "、。「 "


ANY_TEXT = st.lists(
    st.one_of(
        st.sampled_from(
            list("あ漢カaZ9 \n、。「」（）…😊🇯🇵\u200d\u0301\u3099") + ["https://x.jp/"]
        ),
        st.characters(),
    ),
    max_size=120,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT, st.integers(min_value=1, max_value=80), st.sampled_from(["…", "...", ""]))
def test_truncate_properties(text: str, n: int, ellipsis: str) -> None:
    out = truncate(text, n, ellipsis)
    assert len(out) <= n
    if len(text) <= n:
        assert out == text
    elif len(ellipsis) <= n:
        assert out.endswith(ellipsis)
        assert text.startswith(out[: len(out) - len(ellipsis)])
    else:
        assert text.startswith(out)
