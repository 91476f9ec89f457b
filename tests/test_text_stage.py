"""The text stage on real-site notation (issue 13) and unit boundaries (issue 12, points 1-2).

Each table row is one case: HTML bodies and blocks, Zenn/Qiita/Hugo/MDX notation, glued text
and fragments around removed elements.
"""

from __future__ import annotations

import pytest

import excerptor
from excerptor import defects, pipeline
from excerptor.files import POST_SUFFIXES
from excerptor.japanese import is_fragment, split_sentences, wraps
from excerptor.markdown import parse


def blocks(body: str) -> list[tuple[str, str]]:
    return [(b.kind, b.text) for b in parse(body).blocks]


# --------------------------------------------------------------------------- HTML as text

HTML = [
    pytest.param(
        "<p>記事の本文です。</p>\n<p>二つ目の段落です。</p>",
        [("paragraph", "記事の本文です。"), ("paragraph", "二つ目の段落です。")],
        id="p-tags",
    ),
    pytest.param(
        '<div class="section">\n<p>\n    入れ子の段落です。\n</p>\n</div>',
        [("paragraph", "入れ子の段落です。")],
        id="div-p",
    ),
    pytest.param(
        "<div>\n<p>\n  空行を挟む本文。\n</p>\n\n<p>\n    字下げされた二段落目。\n</p>\n\n"
        "    <p>字下げされたタグ。</p>\n</div>",
        [
            ("paragraph", "空行を挟む本文。"),
            ("paragraph", "字下げされた二段落目。"),
            ("paragraph", "字下げされたタグ。"),
        ],
        id="blank-lines-and-indent-are-not-markdown",
    ),
    pytest.param(
        "<h2>見出し</h2>\n<ul><li>項目一</li><li>項目二</li></ul>",
        [("heading", "見出し"), ("list_item", "項目一"), ("list_item", "項目二")],
        id="heading-and-list",
    ),
    pytest.param(
        "<blockquote><p>引用文です。</p></blockquote>",
        [("blockquote", "引用文です。")],
        id="blockquote",
    ),
    pytest.param(
        "<table><tr><th>名前</th><th>値</th></tr><tr><td>甲</td><td>一</td></tr></table>",
        [("table", "名前 値\n甲 一")],
        id="table",
    ),
    pytest.param(
        "<pre><code>x = 1\ny = 2</code></pre>\n<p>説明です。</p>",
        [("code", "x = 1\ny = 2"), ("paragraph", "説明です。")],
        id="pre-code",
    ),
    pytest.param(
        "<p>本文です。</p>\n<script>var s = '見えない';</script>\n"
        "<style>p { color: red }</style>\n<noscript>見えない</noscript>\n"
        "<template><p>見えない</p></template>",
        [("paragraph", "本文です。")],
        id="invisible-elements",
    ),
    pytest.param(
        "<p>一行目<br>二行目<br/>三行目</p>",
        [("paragraph", "一行目\n二行目\n三行目")],
        id="br-separates-units",
    ),
    pytest.param(
        "<p>A &amp; B &lt;タグ&gt; &#x3042;&nbsp;です。</p><!-- 見えない -->",
        [("paragraph", "A & B <タグ> あ\xa0です。")],
        id="entities-and-comment",
    ),
    pytest.param(
        '<p>前<a href="https://example.com/">リンク</a>後。</p>',
        [("paragraph", "前リンク後。")],
        id="inline-tags-keep-text",
    ),
    pytest.param(
        "本文です。<script>alert('見えない')</script>続きです。",
        [("paragraph", "本文です。続きです。")],
        id="inline-script-dropped",
    ),
    pytest.param(
        "前の文</p><p>次の文",
        [("paragraph", "前の文\n次の文")],
        id="inline-block-tag-separates",
    ),
]


@pytest.mark.parametrize(("body", "expected"), HTML)
def test_html_as_text(body: str, expected: list[tuple[str, str]]) -> None:
    assert blocks(body) == expected


def test_html_body_counts_for_reading_time_and_excerpt() -> None:
    body = "<div><p>" + "日本語の本文がここに続きます。" * 40 + "</p></div>"
    result = excerptor.analyze(body)
    assert result.reading_time >= 1
    assert result.counts.cjk_chars >= 500
    assert result.excerpt.startswith("日本語の本文")


def test_html_block_lines_point_into_the_block() -> None:
    doc = parse("# 題\n\n<div>\n<p>一つ目。</p>\n\n<p>二つ目。</p>\n</div>\n")
    assert [(b.text, b.line) for b in doc.blocks] == [("題", 1), ("一つ目。", 4), ("二つ目。", 6)]


def test_markdown_inside_html_is_read_as_markdown() -> None:
    body = '<iframe src="x"></iframe>\n[**太字の**リンク](https://example.com)です。'
    assert blocks(body) == [("paragraph", "太字のリンクです。")]
    kramdown = '<div markdown="1">\n**強調**された本文。\n</div>'
    assert blocks(kramdown) == [("paragraph", "強調された本文。")]


def test_mdx_markdown_and_html_posts_are_walked(tmp_path) -> None:
    from excerptor.files import walk

    assert {".md", ".markdown", ".mdx", ".html"} <= set(POST_SUFFIXES)
    for name in ("a.md", "b.markdown", "c.mdx", "d.html", "e.txt", "f.json"):
        (tmp_path / name).write_text("---\ntitle: t\n---\n本文。\n", encoding="utf-8")
    found = sorted(p.rsplit("/", 1)[-1] for p, _ in walk([str(tmp_path)]).files)
    assert found == ["a.md", "b.markdown", "c.mdx", "d.html"]


# --------------------------------------------------------------------------- notation

NOTATION = [
    pytest.param(
        "##概要と背景\n\n本文です。 #タグ\n\n#python #jekyll\n#blog",
        [
            ("heading", "概要と背景"),
            ("paragraph", "本文です。 #タグ"),
            ("paragraph", "#python #jekyll #blog"),
        ],
        id="heading-without-space",
    ),
    pytest.param(
        ":::message\nZenn のメッセージ本文です。\n:::",
        [("paragraph", "Zenn のメッセージ本文です。")],
        id="zenn-message",
    ),
    pytest.param(
        ":::message alert\n警告の本文です。\n:::",
        [("paragraph", "警告の本文です。")],
        id="zenn-message-alert",
    ),
    pytest.param(
        ":::details 詳しい手順\n隠れた本文です。\n:::",
        [("heading", "詳しい手順"), ("paragraph", "隠れた本文です。")],
        id="zenn-details",
    ),
    pytest.param(
        "::::details 外側\n:::message\n内側の本文です。\n:::\n::::",
        [("heading", "外側"), ("paragraph", "内側の本文です。")],
        id="zenn-nested",
    ),
    pytest.param(
        ":::note info\nQiita の補足です。\n:::",
        [("paragraph", "Qiita の補足です。")],
        id="qiita-note-info",
    ),
    pytest.param(
        ":::note warn\n注意してください。\n:::",
        [("paragraph", "注意してください。")],
        id="qiita-warn",
    ),
    pytest.param(":::note alert\n危険です。\n:::", [("paragraph", "危険です。")], id="qiita-alert"),
    pytest.param(
        "@[card](https://example.com/a)\n\n本文です。",
        [("paragraph", "本文です。")],
        id="zenn-card",
    ),
    pytest.param(
        "@[youtube](dQw4w9WgXcQ)\n\n本文です。", [("paragraph", "本文です。")], id="youtube"
    ),
    pytest.param(
        "@[tweet](https://twitter.com/a/status/1)\n本文です。",
        [("paragraph", "本文です。")],
        id="zenn-tweet",
    ),
    pytest.param(
        "{{< youtube abc >}}\n\n本文です。", [("paragraph", "本文です。")], id="hugo-self-closing"
    ),
    pytest.param(
        "{{< notice warning >}}\n注意書きの本文です。\n{{< /notice >}}",
        [("paragraph", "注意書きの本文です。")],
        id="hugo-paired",
    ),
    pytest.param(
        "{{% notice tip %}}\n\n**ヒント**の本文です。\n\n{{% /notice %}}",
        [("paragraph", "ヒントの本文です。")],
        id="hugo-paired-percent",
    ),
    pytest.param(
        "{{< highlight go >}}\nfunc f() {}\n{{< /highlight >}}",
        [("code", "func f() {}")],
        id="hugo-highlight-stays-code",
    ),
    pytest.param(
        "import Chart from '../components/Chart.astro'\nimport { Tabs } from \"@/tabs\"\n"
        "export const meta = {\n  title: 'x',\n}\n\n本文です。",
        [("paragraph", "本文です。")],
        id="mdx-import-export",
    ),
    pytest.param(
        "<Chart data={[1, 2]} />\n\n本文です。", [("paragraph", "本文です。")], id="mdx-self"
    ),
    pytest.param(
        '<Callout type="info">\nコンポーネントの中身です。\n</Callout>',
        [("paragraph", "コンポーネントの中身です。")],
        id="mdx-paired",
    ),
    pytest.param(
        "本文です。\n\n- import 文の書き方を学ぶ",
        [("paragraph", "本文です。"), ("list_item", "import 文の書き方を学ぶ")],
        id="import-word-in-prose",
    ),
]


@pytest.mark.parametrize(("body", "expected"), NOTATION)
def test_notation(body: str, expected: list[tuple[str, str]]) -> None:
    assert blocks(body) == expected


def test_message_never_opens_an_excerpt() -> None:
    body = ":::message\nこの記事は古い情報を含みます。\n:::\n\n新しい本文がここから始まります。"
    result = excerptor.analyze(body)
    assert ":::" not in result.excerpt and "message" not in result.excerpt
    assert all(":::" not in s for s in result.summary)


# --------------------------------------------------------------------------- glued units

GLUED = [
    pytest.param(
        "新製品発表会のレポート\n価格は三万円で、来月に発売されます。",
        ["新製品発表会のレポート", "価格は三万円で、来月に発売されます。"],
        id="line-without-punctuation",
    ),
    pytest.param(
        "手順一覧\n準備する\n確認する",
        ["手順一覧", "準備する", "確認する"],
        id="heading-like-lines",
    ),
    pytest.param(
        "[公式サイト](https://example.com)\n詳しくはそちらを読んでください。",
        ["公式サイト", "詳しくはそちらを読んでください。"],
        id="link-on-its-own-line",
    ),
    pytest.param(
        "長い一文を途中で、\n折り返して書きました。",
        ["長い一文を途中で、折り返して書きました。"],
        id="wrapped-after-comma-joins",
    ),
    pytest.param(
        "たまには進捗でも報告しようかなと\n思いました。",
        ["たまには進捗でも報告しようかなと思いました。"],
        id="wrapped-mid-clause-joins",
    ),
    pytest.param(
        "設定ファイルの値は\nという形式で書きます。",
        ["設定ファイルの値はという形式で書きます。"],
        id="wrapped-before-particle-joins",
    ),
    pytest.param("- 準備する\n- 確認する", ["準備する", "確認する"], id="list-items"),
    pytest.param(
        "| 項目 | 値 |\n|---|---|\n| 価格 | 三万円 |\n\n本文です。",
        ["本文です。"],
        id="table-cells",
    ),
]


@pytest.mark.parametrize(("body", "units"), GLUED)
def test_units_are_not_glued(body: str, units: list[str]) -> None:
    doc = parse(body)
    sentences = pipeline._candidates(doc, tuple(range(len(doc.blocks))), pipeline.Settings())
    assert [s.text for s in sentences] == units
    # The kept line breaks change no count: reading time sees the same characters.
    joined = excerptor.analyze(body.replace("\n", "")).counts.cjk_chars
    assert excerptor.analyze(body).counts.cjk_chars <= joined


def test_wraps() -> None:
    assert wraps("報告しようかなと", "思いました。")
    assert wraps("設定の値は", "という形式です。")
    assert not wraps("新製品発表会のレポート", "価格は三万円です。")
    assert not wraps("終わりです。", "を使います。")
    assert split_sentences("手順一覧\n準備する") == ["手順一覧", "準備する"]


@pytest.mark.parametrize(
    ("body", "shown"),
    [
        pytest.param(
            "新製品発表会のレポート\n価格は三万円で、来月に発売されます。",
            "新製品発表会のレポート。価格は三万円で、来月に発売されます。",
            id="line-then-sentence",
        ),
        pytest.param(
            "- レイヤー分割の明確化\n- ビルド時間の短縮\n",
            "レイヤー分割の明確化。ビルド時間の短縮",
            id="list-items",
        ),
        pytest.param(
            "動作環境：\n\n- MacBook Pro 2022\n",
            "動作環境：MacBook Pro 2022",
            id="label-runs-on",
        ),
        pytest.param(
            "合格しました。🎉\n\n学習の振り返りです。",
            "合格しました。🎉 学習の振り返りです。",
            id="closed-before-emoji",
        ),
        pytest.param(
            "Use the tool\n\nRun it twice.",
            "Use the tool。Run it twice.",
            id="latin-line",
        ),
    ],
)
def test_unpunctuated_units_are_not_glued_in_the_excerpt(body: str, shown: str) -> None:
    excerpt = excerptor.analyze(body, max_chars=200, sentences=5).excerpt
    assert excerpt == shown
    lines = body.splitlines()
    assert "glued-units" not in defects.excerpt_defects(excerpt, source_lines=lines)


# --------------------------------------------------------------------------- fragments

FRAGMENTS = [
    pytest.param("という値を返します。", True, id="toiu"),
    pytest.param("ので再起動しました。", True, id="node"),
    pytest.param("が必要です。", True, id="ga"),
    pytest.param("を使います。", True, id="wo"),
    pytest.param("に変更しました。", True, id="ni"),
    pytest.param("も大事です。", True, id="mo"),
    pytest.param("は不要です。", True, id="wa"),
    pytest.param("で動きます。", True, id="de"),
    pytest.param("と言いました。", True, id="to"),
    pytest.param("から始めます。", True, id="kara"),
    pytest.param("けど、まあいいか。", True, id="kedo"),
    pytest.param("です。", True, id="auxiliary"),
    pytest.param("、という話です。", True, id="comma-first"),
    pytest.param("設定ファイルではというエラーが出たので", True, id="ends-node"),
    pytest.param("この関数の変換処理は", True, id="ends-wa"),
    pytest.param("設定ファイルの", True, id="ends-no"),
    pytest.param("手順は次のとおりで、", True, id="ends-comma"),
    pytest.param("これは便利です。", False, id="sentence"),
    pytest.param("今日はいい天気ですね", False, id="final-particle"),
    pytest.param("どうするの", False, id="question-no"),
    pytest.param("新製品発表会のレポート", False, id="noun-label"),
    pytest.param("でも、楽しかった。", False, id="demo-connective"),
    pytest.param("だから、行かない。", False, id="dakara-connective"),
    pytest.param("というわけで、大阪に滞在しました。", False, id="towakede-connective"),
    pytest.param("では早速見ていきます。", False, id="dewa-connective"),
    pytest.param("転職先について", False, id="label-ending-te"),
    pytest.param("Hello world.", False, id="latin"),
]


@pytest.mark.parametrize(("unit", "expected"), FRAGMENTS)
def test_is_fragment(unit: str, expected: bool) -> None:
    assert is_fragment(unit) is expected


REMOVED = [
    pytest.param(
        "設定を変えました。\n\n$$\nE = mc^2\n$$\n\nという式が成り立ちます。", id="display-math"
    ),
    pytest.param(
        "設定を変えました。\n\n{{< gist user 1 >}}という値を返します。", id="removed-shortcode"
    ),
    pytest.param(
        "設定を変えました。\n\n@[card](https://example.com)という記事があります。",
        id="removed-embed",
    ),
    pytest.param(
        "設定を変えました。\n\n<div>\n<img src=a.png>\n</div>\nを見てください。", id="html"
    ),
]


@pytest.mark.parametrize("body", REMOVED)
def test_fragments_are_never_chosen_for_the_excerpt(body: str) -> None:
    result = excerptor.analyze(body, max_chars=12)
    assert result.excerpt == "設定を変えました。"
    doc = parse(body)
    sentences = pipeline._candidates(doc, tuple(range(len(doc.blocks))), pipeline.Settings())
    assert [s.fragment for s in sentences] == [False, True]


def test_a_post_of_only_fragments_still_has_an_excerpt() -> None:
    assert excerptor.analyze("という値を返します。").excerpt == "という値を返します。"


def test_inline_code_is_visible_text_not_a_gap() -> None:
    result = excerptor.analyze("設定では `timeout` という値を返します。")
    assert result.excerpt == "設定では timeout という値を返します。"


def test_parse_keeps_no_memo() -> None:
    """A pure core: no module-level cache decides what a later call returns (issue 11)."""
    body = "本文です。"
    first = parse(body)
    assert parse(body) == first and parse(body) is not first
    assert excerptor.reading_time(body) == excerptor.analyze(body).reading_time
