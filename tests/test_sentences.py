"""excerptor.japanese.split_sentences: a table of cases, the whitespace invariant, and
inputs that would be slow for a backtracking regex."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from excerptor import japanese
from excerptor.japanese import MAX_BRACKET_SPAN, split_sentences

CASES: list[tuple[str, list[str]]] = [
    # --- plain Japanese
    ("今日は晴れ。明日は雨。", ["今日は晴れ。", "明日は雨。"]),
    ("今日は晴れ", ["今日は晴れ"]),
    ("今日は晴れ。明日は雨", ["今日は晴れ。", "明日は雨"]),
    ("本当？嘘だ！", ["本当？", "嘘だ！"]),
    ("本当?嘘だ!", ["本当?", "嘘だ!"]),
    ("え！？まじで。", ["え！？", "まじで。"]),
    ("すごい!!最高。", ["すごい!!", "最高。"]),
    ("終わり。。次", ["終わり。。", "次"]),
    ("なぜ？！わからない", ["なぜ？！", "わからない"]),
    ("すごい‼次", ["すごい‼", "次"]),
    ("全角ピリオド．次の文．", ["全角ピリオド．", "次の文．"]),
    ("。", ["。"]),
    ("。。。", ["。。。"]),
    ("", []),
    ("   ", []),
    ("\n\n", []),
    # --- brackets and quotes
    ("「今日は晴れ。明日は雨。」と彼は言った。", ["「今日は晴れ。明日は雨。」と彼は言った。"]),
    ("彼は「行く。」と言った。次。", ["彼は「行く。」と言った。", "次。"]),
    ("「はい。」「いいえ。」", ["「はい。」", "「いいえ。」"]),
    ("「はい。」 次の文。", ["「はい。」", "次の文。"]),
    ("『本当？』", ["『本当？』"]),
    ("『本当？』と聞いた。", ["『本当？』と聞いた。"]),
    ("（注：これは例。実例ではない。）本文。", ["（注：これは例。実例ではない。）本文。"]),
    ("(see above. really.) ok.", ["(see above. really.) ok."]),
    ("【速報。重大発表】次に", ["【速報。重大発表】次に"]),
    ("「外側『内側。』外側。」終わり。", ["「外側『内側。』外側。」終わり。"]),
    ("いい天気だ。」次の文。", ["いい天気だ。」", "次の文。"]),
    ("いい天気だね。）そうだ。", ["いい天気だね。）", "そうだ。"]),
    ("“Hello. World.” 次。", ["“Hello. World.”", "次。"]),
    ('He said "yes." Then left.', ['He said "yes."', "Then left."]),
    ("「未完。\n次の行。", ["「未完。", "次の行。"]),
    ("「" + "長い文。" * 100, ["「長い文。"] + ["長い文。"] * 99),
    ("（閉じない括弧。次の文。", ["（閉じない括弧。", "次の文。"]),
    ("（笑）から始まる。", ["（笑）から始まる。"]),
    ("😊から始まる。", ["😊から始まる。"]),
    ("眠い。 ｗｗ", ["眠い。", "ｗｗ"]),
    # --- ellipses
    ("そうか……それなら行く。", ["そうか……それなら行く。"]),
    ("そうか…… それなら行く。", ["そうか……", "それなら行く。"]),
    ("待って⋯「何？」", ["待って⋯", "「何？」"]),
    ("終わり…", ["終わり…"]),
    ("えっと…。次", ["えっと…。", "次"]),
    ("Wait... what? Yes.", ["Wait... what?", "Yes."]),
    ("Wait... What? Yes.", ["Wait...", "What?", "Yes."]),
    ("これで‥おしまい", ["これで‥おしまい"]),
    # --- laughter and emoji
    ("楽しかった（笑）次は…", ["楽しかった（笑）", "次は…"]),
    ("楽しかった(笑)次も行く", ["楽しかった(笑)", "次も行く"]),
    ("楽しかった（笑）。次", ["楽しかった（笑）。", "次"]),
    ("楽しかった！（笑）次", ["楽しかった！（笑）", "次"]),
    ("疲れた（泣）寝る", ["疲れた（泣）", "寝る"]),
    ("ウケるｗｗｗ次いこう", ["ウケるｗｗｗ", "次いこう"]),
    ("ウケるwww次いこう", ["ウケるwww", "次いこう"]),
    ("草w", ["草w"]),
    ("新しいwebサービス", ["新しいwebサービス"]),
    ("楽しかった😊 次は頑張る", ["楽しかった😊", "次は頑張る"]),
    ("今日は☀️です。", ["今日は☀️です。"]),
    ("最高！🎉🎉次も", ["最高！🎉🎉", "次も"]),
    ("家族👨‍👩‍👧‍👦 旅行", ["家族👨‍👩‍👧‍👦", "旅行"]),
    # --- dots that are not sentence ends
    ("Ver.2.0をリリース。", ["Ver.2.0をリリース。"]),
    ("No.1の実力。", ["No.1の実力。"]),
    ("円周率は3.14です。", ["円周率は3.14です。"]),
    ("円周率は３．１４です。", ["円周率は３．１４です。"]),
    ("e.g. this is fine. Next.", ["e.g. this is fine.", "Next."]),
    ("Mr. Smith went to Washington. He left.", ["Mr. Smith went to Washington.", "He left."]),
    ("See Fig. 3 for details.", ["See Fig. 3 for details."]),
    ("J. K. Rowling wrote it.", ["J. K. Rowling wrote it."]),
    ("the U.S. Army. Next", ["the U.S. Army.", "Next"]),
    ("Node.jsとNext.jsを使う。", ["Node.jsとNext.jsを使う。"]),
    ("設定はconfig.ymlに書く。", ["設定はconfig.ymlに書く。"]),
    ("Python 3.11 is out. 使ってみた。", ["Python 3.11 is out.", "使ってみた。"]),
    ("This is a pen. It is red.", ["This is a pen.", "It is red."]),
    ("Hello! How are you? Fine.", ["Hello!", "How are you?", "Fine."]),
    ("In 2024. 2025 will come.", ["In 2024.", "2025 will come."]),
    ("これはペンです.それは赤い.", ["これはペンです.", "それは赤い."]),
    # --- URLs and e-mail
    (
        "詳細はhttps://example.com/a.html?x=1&y=2を参照。",
        ["詳細はhttps://example.com/a.html?x=1&y=2を参照。"],
    ),
    ("https://example.com/?a=b!c.d", ["https://example.com/?a=b!c.d"]),
    (
        "wikiはhttps://en.wikipedia.org/wiki/Foo_(bar)を見た。",
        ["wikiはhttps://en.wikipedia.org/wiki/Foo_(bar)を見た。"],
    ),
    ("See https://example.com/page. Next.", ["See https://example.com/page.", "Next."]),
    ("URLはhttp://foo.example.jp/?q=a.b。次。", ["URLはhttp://foo.example.jp/?q=a.b。", "次。"]),
    ("www.example.comを見て。", ["www.example.comを見て。"]),
    ("「www.example.com」を見て", ["「www.example.com」を見て"]),
    ("連絡はfoo.bar@example.co.jpへ。以上。", ["連絡はfoo.bar@example.co.jpへ。", "以上。"]),
    ("Yahoo!ニュースで見た。", ["Yahoo!", "ニュースで見た。"]),
    ("ページ?q=1のように書く", ["ページ?q=1のように書く"]),
    # --- whitespace and lines
    ("  前後の空白。  ", ["前後の空白。"]),
    ("一行目\n二行目", ["一行目", "二行目"]),
    ("一行目。\n\n二行目。", ["一行目。", "二行目。"]),
    ("行末の空白   \n次", ["行末の空白", "次"]),
    ("Windows改行\r\n次の行", ["Windows改行", "次の行"]),
    ("全角　空白　は文中。", ["全角　空白　は文中。"]),
    ("文。　次の文。", ["文。", "次の文。"]),
    ("タブ\tの文。", ["タブ\tの文。"]),
    # --- mixed
    (
        "AIの時代だ。This is a test. 日本語に戻る！",
        ["AIの時代だ。", "This is a test.", "日本語に戻る！"],
    ),
    ("価格は1,000円。安い？", ["価格は1,000円。", "安い？"]),
    # --- a number that opens a unit is a list number, not a sentence
    (
        "1. レイテンシの改善について。次の文です。",
        ["1. レイテンシの改善について。", "次の文です。"],
    ),
    ("改善しました。2. 次に速度です。", ["改善しました。", "2. 次に速度です。"]),
    ("Python 3. It works.", ["Python 3.", "It works."]),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[repr(t[:24]) for t, _ in CASES])
def test_split_sentences_table(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_table_is_thorough() -> None:
    assert len(CASES) >= 60


def test_stock_sumy_regex_fails_where_we_do_not() -> None:
    # sumy's Japanese sentence tokenizer drops an unterminated last sentence and splits
    # inside 「」; ours keeps the one and does not do the other.
    from sumy.nlp.tokenizers import Tokenizer as SumyTokenizer

    text = "「今日は晴れ。明日は雨。」と彼は言った。最後の文"
    stock = SumyTokenizer("japanese").to_sentences(text)
    assert "最後の文" not in "".join(stock)
    assert split_sentences(text) == ["「今日は晴れ。明日は雨。」と彼は言った。", "最後の文"]


def _check_invariant(text: str, sentences: list[str]) -> None:
    """text == w0 + s1 + w1 + ... + sN + wN, each wi whitespace only, each si non-empty
    and without leading or trailing whitespace."""
    pos = 0
    for s in sentences:
        assert s and s == s.strip()
        gap_end = text.index(s, pos)
        assert text[pos:gap_end].isspace() or gap_end == pos
        pos = gap_end + len(s)
    assert not text[pos:] or text[pos:].isspace()


ALPHABET = st.sampled_from(
    list("あいう漢字カナabcXYZ019 \n\t　。．！？!?.…⋯「」『』（）()【】”\"'w😊@:/")
    + ["（笑）", "https://a.jp/x?y=1", "e.g.", "Mr. ", "3.14", "ｗｗ", "\u200d", "\u3099"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(ALPHABET, max_size=40).map("".join))
def test_nothing_but_whitespace_between_sentences_is_lost(text: str) -> None:
    sentences = split_sentences(text)
    _check_invariant(text, sentences)
    assert "".join("".join(sentences).split()) == "".join(text.split())


@settings(max_examples=500, deadline=None)
@given(st.lists(ALPHABET | st.characters(), max_size=30).map("".join), st.integers(0, 40))
def test_sentence_end_scan_finds_what_the_regex_search_finds(text: str, pos: int) -> None:
    # split_sentences scans for the first character of a sentence end, then matches there.
    pos = min(pos, len(text))
    expected = japanese._END_RE.search(text, pos)
    found = japanese._next_end(text, pos)
    assert (found and (found.span(), found.lastgroup)) == (
        expected and (expected.span(), expected.lastgroup)
    )


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_invariant_holds_for_any_text(text: str) -> None:
    _check_invariant(text, split_sentences(text))


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.sampled_from(["今日は晴れ。", "雨だ！", "本当？", "「はい。」", "ね"]), max_size=12)
)
def test_sentences_of_joined_sentences(parts: list[str]) -> None:
    # Whole sentences glued together come back out (the last one merges with a bare "ね").
    text = "".join(parts)
    assert "".join(split_sentences(text)) == text


def test_unpunctuated_200k_paragraph() -> None:
    text = "あいうえおかきくけこ" * 20_000
    assert split_sentences(text) == [text]


def test_ten_thousand_one_char_sentences() -> None:
    text = "あ。" * 10_000
    assert split_sentences(text) == ["あ。"] * 10_000


@pytest.mark.parametrize(
    "text",
    [
        "「" * 100_000,
        "」" * 100_000,
        "（「『" * 30_000,
        "a" * 200_000,
        ". " * 50_000,
        "a." * 100_000,
        "a@" * 100_000,
        "http://" * 20_000,
        "あw" * 100_000,
        "😊" * 100_000,
        "!a" * 100_000,
        "\n" * 100_000,
    ],
    ids=lambda t: repr(t[:6]),
)
def test_adversarial_inputs_keep_the_invariant(text: str) -> None:
    sentences = split_sentences(text)
    _check_invariant(text, sentences)


def test_unclosed_bracket_does_not_swallow_the_rest() -> None:
    text = "「開き括弧だけ。" + "文です。" * (MAX_BRACKET_SPAN // 2)
    sentences = split_sentences(text)
    assert sentences[0] == "「開き括弧だけ。"
    assert len(sentences) == 1 + MAX_BRACKET_SPAN // 2


def test_long_closed_quote_is_still_split() -> None:
    # A pair longer than MAX_BRACKET_SPAN no longer protects what is inside it.
    inner = "話。" * MAX_BRACKET_SPAN
    assert len(split_sentences("「" + inner + "」")) == MAX_BRACKET_SPAN
    assert split_sentences("「話。話。」") == ["「話。話。」"]
