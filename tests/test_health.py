"""excerptor.health: markers, repeats, cut-off endings, title text, fillers, dedupe."""

from __future__ import annotations

import pytest
from conftest import read_jsonl, shared_path
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from excerptor import health
from excerptor.health import dedupe, inspect, is_filler, is_marker_line
from excerptor.markdown import Block, Document, parse

# Long enough (well over MIN_REPEAT_CHARS) and distinct from each other.
P = [
    "春の京都は観光客で混み合うので、朝早くに清水寺へ向かうのが一番のおすすめです。",
    "新しいノートパソコンを買ったので、開発環境を一から作り直すことにしました。",
    "昨日は近所の図書館で、統計学の入門書を三冊まとめて借りてきて読み比べました。",
    "週末に作ったカレーは、玉ねぎを一時間かけて炒めたおかげで甘みが強く出ました。",
    "このライブラリは設定ファイルを読み込まずに動くので、小さなスクリプトに向いています。",
    "今年の目標は、毎朝三十分だけでも英語の記事を声に出して読む習慣をつけることです。",
    "駅前に新しくできたパン屋は、クロワッサンの層がはっきりしていてとても軽い食感です。",
    "テストを先に書いておくと、あとから仕様を変えるときにも安心して手を入れられます。",
]


def codes(markdown: str, title: str | None = None) -> set[str]:
    return {f.code for f in inspect(parse(markdown), title).findings}


def finding(markdown: str, code: str, title: str | None = None) -> health.Finding:
    found = [f for f in inspect(parse(markdown), title).findings if f.code == code]
    assert found, f"no {code} finding"
    return found[0]


# --------------------------------------------------------------------------- markers


@pytest.mark.parametrize(
    "line",
    [
        "---END---",
        "===END===",
        "--- END ---",
        "---end---",
        "***END***",
        "---END",
        "[END]",
        "【END】",
        "### END ###",
        "---EOF---",
        "—END—",
    ],
)
def test_marker_lines(line: str) -> None:
    assert is_marker_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "---",
        "***",
        "- - -",
        "終わりに",
        "END",
        "The END of an era",
        "<!-- end -->",
        "weekend---",
        "backend--frontend",
        "----",
    ],
)
def test_not_marker_lines(line: str) -> None:
    assert not is_marker_line(line)


def test_marker_paragraphs_are_found_with_their_lines() -> None:
    md = f"{P[0]}\n\n---END---\n\n{P[1]}\n\n===END===\n"
    f = finding(md, health.MARKER)
    assert f.lines == (3, 7)
    assert "2 generator marker lines" in f.message


def test_marker_as_setext_heading_takes_both_lines() -> None:
    md = f"{P[0]}\n\n---END---\n=======\n\n{P[1]}\n"
    doc = parse(md)
    report = inspect(doc)
    f = [x for x in report.findings if x.code == health.MARKER][0]
    assert f.lines == (3, 4)
    assert all("END" not in doc.blocks[i].text for i in report.keep)


def test_markers_in_code_and_rules_are_not_flagged() -> None:
    md = f"{P[0]}\n\n---\n\n```\n---END---\n```\n\n***\n\n<!-- end -->\n\n{P[1]}\n"
    assert health.MARKER not in codes(md)


# --------------------------------------------------------------------------- repeats


def test_exact_repeated_section_is_found_and_left_out_of_keep() -> None:
    section = f"{P[1]}\n\n{P[2]}\n\n{P[3]}\n\n"
    md = f"{P[0]}\n\n" + section * 3 + f"{P[4]}\n"
    doc = parse(md)
    report = inspect(doc)
    f = [x for x in report.findings if x.code == health.REPEATED][0]
    assert "6 repeated blocks" in f.message
    assert "longest repeated run: 6 paragraphs" in f.message
    # 6 of 11 paragraphs, of about the same length, are repeats.
    assert "% of the body text is repeats" in f.message
    share = int(f.message.split("(")[1].split("%")[0])
    assert 45 <= share <= 60
    kept = [doc.blocks[i].text for i in report.keep]
    assert kept == [P[0], P[1], P[2], P[3], P[4]]
    assert f.lines == tuple(doc.blocks[i].line for i in range(4, 10))


def test_near_duplicate_paragraphs_are_repeats() -> None:
    long = P[0] + P[1] + P[2]
    # Different spacing and punctuation, one word changed, and a copy cut short.
    near = long.replace("、", " ").replace("一番の", "いちばんの")
    cut = long[: int(len(long) * 0.85)]
    md = f"{long}\n\n{P[3]}\n\n---END---\n\n{near}\n\n{cut}\n"
    doc = parse(md)
    report = inspect(doc)
    assert health.REPEATED in {f.code for f in report.findings}
    assert [doc.blocks[i].text for i in report.keep] == [long, P[3]]


def test_a_longer_later_paragraph_is_not_a_copy_of_a_shorter_one() -> None:
    md = f"{P[0]}\n\n---END---\n\n{P[0]}{P[1]}{P[2]}{P[3]}\n"
    assert health.REPEATED not in codes(md)


def test_short_repeated_paragraphs_are_not_artifacts() -> None:
    md = "\n\n".join([P[0], "はい。", P[1], "はい。", P[2], "以上です。", P[3], "以上です。"])
    assert codes(md) == set()


def test_one_human_repeat_in_a_long_post_is_not_flagged() -> None:
    # A reminder repeated once among much other text: under the share and run thresholds.
    body = [P[0], *P[1:7], P[0]]
    body += [p + "これは追加の文です。" for p in P[1:7]]
    assert health.REPEATED not in codes("\n\n".join(body))


def test_two_paragraphs_repeated_together_are_flagged_even_in_a_long_post() -> None:
    body = [P[0], P[1], *(p + "これは追加の文です。" for p in P[2:8]), P[0], P[1]]
    body += [p + "さらに別の文も足しておきます。" for p in P[2:8]]
    assert health.REPEATED in codes("\n\n".join(body))


def test_list_items_that_differ_in_a_number_are_not_near_copies() -> None:
    items = "\n".join(
        f"- 『はじめてのブラウザ実装』第{n}章を読みました。感想と実装メモをまとめています。"
        for n in range(1, 9)
    )
    assert health.REPEATED not in codes(f"{P[0]}\n\n{items}\n")


def test_repeated_heading_before_a_repeated_section_leaves_keep() -> None:
    md = f"## まとめ\n\n{P[1]}\n\n{P[2]}\n\n---END---\n\n## まとめ\n\n{P[1]}\n\n{P[2]}\n"
    doc = parse(md)
    report = inspect(doc)
    assert [doc.blocks[i].text for i in report.keep] == ["まとめ", P[1], P[2]]


def test_many_paragraphs_stay_fast_enough_to_finish() -> None:
    # 6,000 distinct paragraphs plus copies: must not be quadratic (this would take minutes).
    uniq = [f"{i}番目の段落では、{P[i % 8]}" for i in range(6000)]
    blocks = tuple(
        Block("paragraph", text, n * 2 + 1, n * 2 + 1) for n, text in enumerate(uniq + uniq[:600])
    )
    report = inspect(Document(blocks))
    assert len(report.keep) == 6000


# --------------------------------------------------------------------------- endings, title


def test_ending_mid_sentence_is_found() -> None:
    cut = "そして何よりも、この取り組みが私たちの働き方そのものを大きく変える可能性を"
    md = f"{P[0]}\n\n{P[1]}{cut}"
    f = finding(md, health.TRUNCATED)
    assert f.lines == (3,)


def test_ending_before_a_marker_is_found() -> None:
    cut = P[1] + "そして何よりも、この取り組みが私たちの働き方を大きく変えるきっかけに"
    md = f"{P[0]}\n\n{cut}\n\n---END---\n\n{P[2]}\n"
    assert finding(md, health.TRUNCATED).lines == (3,)


def test_ending_before_a_related_links_section_is_found() -> None:
    cut = P[1] + "この変化に対応するためには、まず現場のデータを整理し、"
    md = f"{P[0]}\n\n{cut}\n\n---\n\n## 関連記事\n\n- [前の記事](/a/)\n- [次の記事](/b/)\n"
    assert finding(md, health.TRUNCATED).lines == (3,)


@pytest.mark.parametrize(
    "ending",
    [
        "今日はここまで",  # short closing line without 。
        "- 参考にしたサイトの一覧とそれぞれのリンク先のまとめ",  # a list
        "## 参考にしたサイトの一覧とそれぞれのリンク先のまとめ",  # a heading
        "```\nprint('最後の行はコードで終わっていて句点はありません')\n```",
        "設定ファイルは以下のように書き換えておけば再起動しなくても反映される",  # note style
        "楽しかったです！また行きたいと思います（次は家族全員で春の桜の季節に）",
        "手順は以上。再起動すると古いカーネルが自動で選ばれて起動してくることが確認できる",
        "タイ料理、おいしかったです。また行きます。みんなでワイワイ食べられてよかったです(^_^)/",
    ],
)
def test_legitimate_endings_are_not_cut(ending: str) -> None:
    assert health.TRUNCATED not in codes(f"{P[0]}\n\n{ending}\n")


def test_first_paragraph_repeating_the_title() -> None:
    title = "京都の朝、清水寺へ行く理由は何だろうか？"
    md = f"{title}\n\n{P[0]}\n"
    doc = parse(md)
    report = inspect(doc, title=title)
    assert [f.code for f in report.findings] == [health.TITLE]
    assert report.findings[0].lines == (1,)
    assert [doc.blocks[i].text for i in report.keep] == [P[0]]
    assert health.TITLE not in codes(f"{P[0]}\n\n{title}\n", title)
    assert health.TITLE not in codes(md, None)


def test_heading_repeating_the_title() -> None:
    assert health.TITLE in codes(f"# 週末のカレー作り\n\n{P[3]}\n", "週末のカレー作り")


# --------------------------------------------------------------------------- fillers


@pytest.mark.parametrize(
    "sentence",
    [
        "いやー、このニュース、あなたも耳にしたでしょう？",
        "皆さん、こんにちは。",
        "やあ、皆さん。",
        "いやはや、最近の業界の動きは本当に目まぐるしいですね。",
        "正直なところ、このニュースを聞いた時、私は一瞬「またか」と思いましたね。",
        "こんにちは、編集部の山田です。",
        "いかがでしたか？",
        "いかがでしたでしょうか。",
        "以上です。",
        "さて。",
        "最後までお読みいただきありがとうございました。",
        "皆さん、新しいスマートフォンの発表を見て、どう感じましたか？",
        "あなたは、この新しいスマートフォンの発表について、どう感じていますか？",
        "いやー、久しぶりの更新です。",
        "お久しぶりです！",
        "ご無沙汰しております。",
        "さて、ブログの更新がすっかり空いてしまいました。",
        # issue 12: reactions, remarks about the news, self-introductions
        "やあ、みんな元気？",
        "ねえ、君もそう思わない？",
        "正直「またか」と思いました。",
        "そのニュースを聞いて、最初に私の頭に浮かんだのは「またか」という思いでした。",
        "新製品が出るというニュース、耳にしましたか？",
        "新製品が出るというニュース、あなたも驚かれたのではないでしょうか。",
        "この業界を長年見てきた私にとって、これは大きな変化です。",
        "私もAI業界を20年近く見てきましたが、この動きには注目せざるを得ません。",
        "技術の進歩は目覚ましく、私たちの生活も変わりつつあります。",
        "近年、AI技術は目覚ましい進化を遂げています。",
        "正直なところ、最初にこの数字を見た時、私も「またか」とため息が出たよ。",
        "AI業界を20年近く見続けてきたオジサンだよ。",
        "シリコンバレーから日本の大企業まで、数多くのAI導入案件を見てきましたが、珍しい話です。",
        "AIエージェントの導入で、あなたのチームはどう変わる？",
        "新製品が出るというニュース、あなたも耳にしたかもしれません。",
        "この記事は Go2 Advent Calendar 2019の1日目の記事です。",
        "あなたなら、この挑戦にどのような未来を見ますか？",
        "私がこの業界に入ったばかりの頃、半導体プロセスはまだミクロン単位で語られていました。",
        "僕がまだ若かった頃、AIはSF映画の遠い未来の話だったよ。",
        "百度が新しいモデルを発表したニュースを目にした時、「また来たか」ってね。",
        "「結局、既存のモデルとどう違うんだろう？」って。",
        "私がこのAI業界に入ったばかりの頃、AIはまだ研究室の奥深くにありました。",
        "僕がAIの世界に足を踏み入れたのは、まだSFの話だった時代だった。",
        "日本の大企業でその導入を支援してきた中で、常に感じてきたのは「技術の民主化」の重要性です。",
        "正直なところ、私自身、この数字を最初に目にした時、少しばかり懐疑的な気持ちになったんです。",
        "なにせ、この20年間、AI業界の浮き沈みを間近で見てきましたからね。",
        "長年この業界の移り変わりを見てきた私としては、その意図を読み解くのが面白くてね。",
        "BaiduのERNIE Botが多言語対応を強化したっていう話。",
        "読者の皆様が、自社のAI導入を成功させるための一助となれば幸いです。",
        "この記事が誰かの参考になれば幸いです。",
        "東京に自動運転AIの新拠点を設ける、だって。",
        "私が初めてAIの可能性に魅せられたのは、もうずいぶん昔の話になるけれど、当時は多くの人が鼻で笑っていたものだよ。",
        "ご存知の通り、画像生成AIの進化って、本当に目覚ましいものがありますよね。",
        "正直なところ、僕がこの業界に足を踏み入れて20年、このチップはずいぶん見てきた。",
        "私自身、20年近く、このAIの波を最前線で見てきました。",
        "AWSが500億ドルを投資するって話、正直、僕も最初は「え、マジで？」って声に出しちゃったんだ。",
        "MetaがLLaMA 5でコストを半減させると言った時、正直、最初に何を思いましたか？",
        "ここまで、AI広告生成ツール刷新の可能性と課題について掘り下げてきました。",
        "正直なところ、彼らがこれほど本腰を入れるとは、数年前には想像もしていませんでした。",
        "発表を聞いて、正直なところ、私も最初は「またか」と少し斜に構えてしまいました。",
        "相手がSynopsysだという点に、深い意味が隠されているように感じませんか？",
        "私自身、これまで様々な企業のAI導入を支援する中で、この技術が単なる自動化ツールを超えて、"
        "業務のあり方を根本から変える可能性を秘めていることを肌で感じています。",
        "私が日本の大企業のAI導入まで、数百社の現場を見てきた中で、常に感じてきたのは「技術は諸刃の剣」ということ。",
        "あなたも、このニュースを一過性のトレンドとしてではなく、変革の一例として考察してみてはいかがでしょうか。",
        "この記事はアクセシビリティ Advent Calendar 2022 - Adventarの17日目の記事です。",
        "本エントリーははてなエンジニア アドベントカレンダー2023の5日目の記事です。",
    ],
)
def test_fillers(sentence: str) -> None:
    assert is_filler(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "AmazonはAWS向けのAIチップを自社で開発した。",
        "正直なところ、性能は前の世代の二倍になり、消費電力は三割減った。",
        "さて、今回はPythonの型ヒントを使ってバリデーションを書く方法を紹介します。",
        "いやー、このカメラは暗い室内でもノイズが少なく、手持ちで夜景が撮れました。",
        "最近、駅前のパン屋でクロワッサンを買うのが習慣になっている。",
        "",
        "はい。",
        "旅行写真に潜む危険：あなたのプライバシーは本当に守られているのか？",
        "久しぶりの更新では、新しいサーバーへの移行手順をまとめます。",
        "いやー、久しぶりに会った友人とキャンプに行き、焚き火で燻製を作りました。",
        "私はRustが好きです。",
        "この記事ではAdvent Calendarの記事を集めるツールを紹介します。",
        "100社の導入を支援してきた結果、成功率は3割でした。",
        "この設定を試してみてください。",
        "なぜ東京なのか？",
        "ご存知の通り、Llama 4.5は画像生成に対応し、解像度は2048pxになった。",
        "長年使ってきた設定を見直しました。",
        "だって、便利だから。",
        "私は2010年からPythonを使っています。",
        "この10年でGPUの性能は100倍になりました。",
        "ここまでで環境構築は終わりです。",
        "このニュースは新製品の価格を三万円と伝えています。",
        "「またか」という声も多いが、価格は前の半分になった。",
        "近年、AI技術は目覚ましい進化を遂げ、2025年の市場規模は3兆円に達した。",
    ],
)
def test_not_fillers(sentence: str) -> None:
    assert not is_filler(sentence)


# --------------------------------------------------------------------------- dedupe


def test_dedupe_removes_markers_and_copies_keeping_other_bytes() -> None:
    md = (
        f"# 見出し\n\n{P[0]}\n\n{P[1]}\n\n---END---\n\n{P[1]}\n\n---END---\n\n"
        f"{P[2]}\n\n{P[1]}\n\n---END---\n"
    )
    out = dedupe(md)
    assert out == f"# 見出し\n\n{P[0]}\n\n{P[1]}\n\n{P[2]}\n"
    assert dedupe(out) == out


def test_dedupe_keeps_crlf_and_untouched_text() -> None:
    md = f"{P[0]}\r\n\r\n---END---\r\n\r\n{P[1]}  \r\n\r\n\r\n{P[2]}\r\n"
    assert dedupe(md) == f"{P[0]}\r\n\r\n{P[1]}  \r\n\r\n\r\n{P[2]}\r\n"


def test_dedupe_leaves_clean_text_alone() -> None:
    md = f"{P[0]}\n\n\n\nはい。\n\nはい。\n\n---\n\n```\n---END---\n```\n{P[1]}"
    assert dedupe(md) == md


def test_dedupe_without_final_newline() -> None:
    md = f"{P[0]}\n\n---END---\n\n{P[0]}"
    assert dedupe(md) == f"{P[0]}\n"


_piece = st.one_of(
    st.sampled_from(P),
    st.sampled_from(P[:3]),  # more often repeated
    st.sampled_from(["---END---", "===END===", "[END]", "---END---\n======="]),
    st.sampled_from(
        ["## まとめ", "## はじめに", "- 項目その一", "> 引用された一文です。", "はい。"]
    ),
    st.sampled_from(["```\n---END---\n```", "---", "<!-- end -->"]),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    pieces=st.lists(_piece, max_size=14),
    seps=st.lists(st.sampled_from(["\n\n", "\n\n\n", "\n \n"]), min_size=14, max_size=14),
    crlf=st.booleans(),
    final=st.sampled_from(["", "\n", "\n\n"]),
)
def test_dedupe_properties(pieces: list[str], seps: list[str], crlf: bool, final: str) -> None:
    md = "".join(s + p for p, s in zip(pieces, seps[: len(pieces)], strict=True))
    md = md.lstrip() + final
    if crlf:
        md = md.replace("\n", "\r\n")
    out = dedupe(md)
    # Idempotent.
    assert dedupe(out) == out
    # Every kept line is an original line, in order (a subsequence of the source lines).
    src = iter(md.splitlines())
    assert all(any(line == s for s in src) for line in out.splitlines())
    # Nothing left to remove.
    left = {f.code for f in inspect(parse(out)).findings}
    assert health.MARKER not in left
    assert health.REPEATED not in left
    # Text without findings is returned as it is.
    if not {f.code for f in inspect(parse(md)).findings} & {health.MARKER, health.REPEATED}:
        assert out == md


# --------------------------------------------------------------------------- shared data


@pytest.mark.shared
def test_every_allforces_post_with_end_lines_is_flagged(allforces_posts) -> None:
    from excerptor.lint import lint_text

    with_end = [p for p in allforces_posts if "---END---" in p.read_text(encoding="utf-8")]
    assert len(with_end) >= 40
    missed = [
        p.name
        for p in with_end
        if health.MARKER not in {x.code for x in lint_text(p.read_text(encoding="utf-8"))}
    ]
    assert missed == []


@pytest.mark.shared
def test_human_blog_false_positive_rate_is_under_one_percent() -> None:
    from excerptor.errors import ExcerptorError
    from excerptor.lint import READING_TIME, lint_text

    records = read_jsonl(shared_path("corpus", "blog_markdown.jsonl"))
    flagged = []
    for r in records:
        try:
            problems = lint_text(r["raw"], r["path"])
        except ExcerptorError:
            continue
        # Artifacts only: a stale reading_time or excerpt field is not a generation artifact.
        if any(p.code not in (READING_TIME, "excerpt-defect") for p in problems):
            flagged.append(r["path"])
    assert len(flagged) / len(records) < 0.01, flagged
