"""excerptor.markdown: Markdown body → plain-text blocks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from excerptor.markdown import PROSE_KINDS, Block, Document, parse


def kinds_texts(markdown: str) -> list[tuple[str, str]]:
    return [(b.kind, b.text) for b in parse(markdown).blocks]


def texts(markdown: str) -> list[str]:
    return [b.text for b in parse(markdown).blocks]


# --------------------------------------------------------------------------- block kinds

BLOCKS = [
    pytest.param(
        "# 見出し\n\n本文です。", [("heading", "見出し"), ("paragraph", "本文です。")], id="atx"
    ),
    pytest.param(
        "見出し\n===\n\n本文", [("heading", "見出し"), ("paragraph", "本文")], id="setext"
    ),
    # CommonMark semantics: a --- line under a paragraph makes it a setext heading.
    pytest.param("段落です\n---", [("heading", "段落です")], id="setext-dash"),
    pytest.param(
        "本文\n\n---END---\n\n続き",
        [("paragraph", "本文"), ("paragraph", "---END---"), ("paragraph", "続き")],
        id="end-marker",
    ),
    pytest.param(
        "- 一つ目\n- 二つ目", [("list_item", "一つ目"), ("list_item", "二つ目")], id="list"
    ),
    pytest.param(
        "1. 手順A\n2. 手順B", [("list_item", "手順A"), ("list_item", "手順B")], id="ordered"
    ),
    pytest.param(
        "- 親の項目\n  - 子の項目\n    - 孫\n- 次の親",
        [
            ("list_item", "親の項目"),
            ("list_item", "子の項目"),
            ("list_item", "孫"),
            ("list_item", "次の親"),
        ],
        id="nested-list",
    ),
    pytest.param(
        "> 引用された文です。\n>\n> 二段落目。",
        [("blockquote", "引用された文です。"), ("blockquote", "二段落目。")],
        id="blockquote",
    ),
    pytest.param("> - 引用内の項目", [("list_item", "引用内の項目")], id="list-in-quote"),
    pytest.param(
        "- 項目\n\n  > 項目内の引用",
        [("list_item", "項目"), ("blockquote", "項目内の引用")],
        id="quote-in-item",
    ),
    pytest.param("```python\nprint('x')\n```", [("code", "print('x')")], id="fence"),
    pytest.param(
        "本文\n\n    indented = 1\n",
        [("paragraph", "本文"), ("code", "indented = 1")],
        id="indented",
    ),
    pytest.param(
        "| 名前 | 値 |\n|---|---|\n| りんご | 100円 |\n| **みかん** | [50円](http://x.jp) |",
        [("table", "名前 値\nりんご 100円\nみかん 50円")],
        id="table",
    ),
    pytest.param(
        "用語\n: 用語の説明です。",
        [("heading", "用語"), ("paragraph", "用語の説明です。")],
        id="deflist",
    ),
    pytest.param("", [], id="empty"),
    pytest.param("\n\n   \n", [], id="blank"),
    pytest.param("***\n\n本文", [("paragraph", "本文")], id="hr"),
]


@pytest.mark.parametrize(("markdown", "expected"), BLOCKS)
def test_block_kinds(markdown: str, expected: list[tuple[str, str]]) -> None:
    assert kinds_texts(markdown) == expected


# --------------------------------------------------------------------------- inline text

INLINE = [
    # emphasis, including what CommonMark's flanking rules miss next to Japanese punctuation
    pytest.param("**太字**と*斜体*と__強調__と_下線_", "太字と斜体と強調と下線", id="emphasis"),
    pytest.param("次に、**「要点」**です。", "次に、「要点」です。", id="bold-ja-punct"),
    pytest.param(
        "これは**「重要」**、そして*（注）*です",
        "これは「重要」、そして（注）です",
        id="ja-punct-mixed",
    ),
    pytest.param("結果は__「成功」__でした", "結果は「成功」でした", id="underscore-ja-punct"),
    pytest.param("**閉じない太字", "閉じない太字", id="unclosed-bold"),
    pytest.param("計算は 5 * 3 です", "計算は 5 * 3 です", id="literal-star"),
    pytest.param("変数 snake_case_name を使う", "変数 snake_case_name を使う", id="snake-case"),
    pytest.param(r"\*\*そのまま\*\*", "**そのまま**", id="escaped-stars"),
    pytest.param("~~取り消し~~た", "取り消した", id="strikethrough"),
    pytest.param("`a * b` と `**kw`", "a * b と **kw", id="code-span-kept"),
    # line breaks
    # A line break next to Japanese text ends a unit (issue 12: no glued text) unless the
    # line is visibly wrapped mid-sentence (it ends with 、 or the next starts with 。).
    pytest.param("日本語の\n文章です。", "日本語の\n文章です。", id="softbreak-ja"),
    pytest.param("長い文で、\n続きます。", "長い文で、続きます。", id="softbreak-after-comma"),
    pytest.param("長い文です\n。", "長い文です。", id="softbreak-before-period"),
    pytest.param("English\nwords", "English words", id="softbreak-latin"),
    pytest.param("日本語\nEnglish", "日本語\nEnglish", id="softbreak-mixed"),
    pytest.param("一行目  \n二行目", "一行目\n二行目", id="hardbreak-ja"),
    pytest.param("line one\\\nline two", "line one\nline two", id="hardbreak-latin"),
    pytest.param("改行<br>します", "改行\nします", id="br-tag"),
    pytest.param("多い   空白\tと", "多い 空白 と", id="collapse-spaces"),
    # links and URLs
    pytest.param("[リンク文字](https://example.com/a)を読む", "リンク文字を読む", id="link"),
    pytest.param("[参照][ref]です\n\n[ref]: https://example.com", "参照です", id="reference-link"),
    pytest.param("詳細は<https://example.com>へ", "詳細はへ", id="autolink"),
    pytest.param("詳細は https://example.com/path?q=1 を参照", "詳細は を参照", id="bare-url"),
    pytest.param("公式（https://example.com）より", "公式より", id="bare-url-in-brackets"),
    pytest.param(
        "参照：[https://example.com](https://example.com)", "参照：", id="url-as-link-text"
    ),
    pytest.param("ファイル名_v2_final.txt", "ファイル名_v2_final.txt", id="underscore-ascii-edge"),
    pytest.param("[記事]({{ site.baseurl }}/a.html)へ", "記事へ", id="liquid-destination"),
    pytest.param('[記事]({{< ref "post.md" >}})へ', "記事へ", id="hugo-destination"),
    # HTML
    pytest.param("<span>テキスト</span>を残す", "テキストを残す", id="inline-tag"),
    pytest.param('前<a href="x">リンク</a>後<!-- メモ -->', "前リンク後", id="inline-html"),
    # Liquid / Hugo / kramdown
    pytest.param("値は{{ page.title }}です", "値はです", id="liquid-output"),
    pytest.param("前{% include note.html %}後", "前後", id="liquid-tag"),
    pytest.param("{% raw %}生のまま{% endraw %}", "生のまま", id="liquid-raw"),
    pytest.param("動画{{< youtube abc >}}です", "動画です", id="hugo-shortcode"),
    pytest.param("注意{{% notice %}}本文", "注意本文", id="hugo-percent"),
    pytest.param("段落です。\n{: .note}", "段落です。", id="ial-next-line"),
    pytest.param("段落です。{: .note #id}", "段落です。", id="ial-after-text"),
    pytest.param("## 見出し {#anchor}", "見出し", id="attr-on-heading"),
    # footnotes
    pytest.param("本文です[^1]。\n\n[^1]: 注記。", "本文です。", id="footnote-ref"),
]


@pytest.mark.parametrize(("markdown", "expected"), INLINE)
def test_inline_text(markdown: str, expected: str) -> None:
    blocks = parse(markdown).blocks
    assert blocks, markdown
    assert blocks[0].text == expected


# --------------------------------------------------------------------------- left out


@pytest.mark.parametrize(
    "markdown",
    [
        pytest.param("<!--more-->", id="comment"),
        pytest.param("<script>\nvar x = '本文';\n</script>", id="script"),
        pytest.param("{% include toc.html %}", id="liquid-line"),
        pytest.param('{{< tweet user="a" id="1" >}}', id="hugo-line"),
        pytest.param("{: .consult}", id="ial-line"),
        pytest.param(
            "{% comment %}\n# 見出しではない\n本文ではない\n{% endcomment %}", id="liquid-comment"
        ),
        pytest.param("* 目次\n{:toc}", id="kramdown-toc"),
        pytest.param("[ref]: https://example.com", id="reference-definition"),
    ],
)
def test_left_out(markdown: str) -> None:
    assert parse(markdown).blocks == ()


@pytest.mark.parametrize(
    ("markdown", "code"),
    [
        ("{% highlight ruby %}\n# コメント\nputs 1\n{% endhighlight %}", "# コメント\nputs 1"),
        ("{%- highlight go linenos -%}\nfunc f() {}\n{%- endhighlight -%}", "func f() {}"),
        ("{{< highlight go >}}\nfunc f() {}\n{{< /highlight >}}", "func f() {}"),
        ("{{< mermaid >}}\ngraph TD; A-->B\n{{< /mermaid >}}", "graph TD; A-->B"),
        ("~~~\n{% raw %}{{ x }}{% endraw %}\n~~~", "{{ x }}"),
    ],
)
def test_template_code_blocks(markdown: str, code: str) -> None:
    assert kinds_texts(markdown) == [("code", code)]


def test_highlight_interrupts_a_paragraph_and_keeps_lines() -> None:
    doc = parse("前の文。\n{% highlight sh %}\nls\n{% endhighlight %}\n後の文。")
    assert [(b.kind, b.text, b.line, b.end_line) for b in doc.blocks] == [
        ("paragraph", "前の文。", 1, 1),
        ("code", "ls", 2, 4),
        ("paragraph", "後の文。", 5, 5),
    ]


def test_unclosed_highlight_is_not_code() -> None:
    assert kinds_texts("{% highlight ruby %}\nputs 1") == [("paragraph", "puts 1")]


# --------------------------------------------------------------------------- images


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("![代替テキスト](a.png)", [("paragraph", "", 1)]),
        ("![一](a.png)\n![二](b.png)", [("paragraph", "", 2)]),
        ('写真です ![代替](a.png "題") きれい', [("paragraph", "写真です きれい", 1)]),
        ("[![代替](a.png)](https://example.com)", [("paragraph", "", 1)]),
        ("![a]({{ site.url }}/a.png)", [("paragraph", "", 1)]),
        ('<img src="a.png" alt="代替">', [("paragraph", "", 1)]),
        ('<p>\n<img src="a.png"><img src="b.png">\n</p>', [("paragraph", "", 2)]),
        ('文<img src="a.png">文', [("paragraph", "文文", 1)]),
        ("- ![図](a.png)", [("list_item", "", 1)]),
        ("| 図 |\n|---|\n| ![x](a.png) |", [("table", "図", 1)]),
    ],
)
def test_images(markdown: str, expected: list[tuple[str, str, int]]) -> None:
    doc = parse(markdown)
    assert [(b.kind, b.text, b.images) for b in doc.blocks] == expected
    assert doc.images == sum(n for *_, n in expected)


# --------------------------------------------------------------------------- footnotes, lines


def test_footnote_definitions_are_footnote_blocks_at_the_end() -> None:
    doc = parse("本文[^a]です。\n\n[^a]: 脚注の**説明**。\n\n最後の段落。")
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("paragraph", "本文です。"),
        ("paragraph", "最後の段落。"),
        ("footnote", "脚注の説明。"),
    ]
    assert "footnote" not in PROSE_KINDS
    assert doc.blocks[-1].line == 3


def test_line_numbers_are_one_based_and_inclusive() -> None:
    md = "# 題\n\n一行目\n二行目\n\n- 項目\n  - 子\n\n```\ncode\n```\n"
    got = [(b.kind, b.line, b.end_line) for b in parse(md).blocks]
    assert got == [
        ("heading", 1, 1),
        ("paragraph", 3, 4),
        ("list_item", 6, 6),
        ("list_item", 7, 7),
        ("code", 9, 11),
    ]


def test_crlf_input() -> None:
    assert kinds_texts("# 題\r\n\r\n本文\r\nです") == [
        ("heading", "題"),
        ("paragraph", "本文\nです"),
    ]


def test_list_item_with_two_paragraphs_is_one_block() -> None:
    doc = parse("- 最初の段落。\n\n  次の段落。\n- 次の項目")
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("list_item", "最初の段落。\n次の段落。"),
        ("list_item", "次の項目"),
    ]


def test_public_types() -> None:
    doc = parse("本文")
    assert isinstance(doc, Document)
    assert doc.blocks == (Block("paragraph", "本文", 1, 1),)


# --------------------------------------------------------------------------- properties

RESIDUE = re.compile(r"\*\*|\{%|\{\{|\{:|<[A-Za-z/]|`")
WORDS = st.sampled_from(
    ["日本語", "要点", "テスト", "word", "text", "「引用」", "（注）", "、", "。", "です", "123"]
)


@st.composite
def markup(draw: st.DrawFn, depth: int = 0) -> str:
    word = draw(WORDS) if depth > 1 else draw(st.one_of(WORDS, markup(depth + 1)))
    wrap = draw(
        st.sampled_from(
            [
                "{}",
                "**{}**",
                "*{}*",
                "__{}__",
                "_{}_",
                "~~{}~~",
                "[{}](https://example.com/x)",
                "![{}](a.png)",
                "<span>{}</span>",
                '<a href="x">{}</a>',
                "{}{{% include a.html %}}",
                "{}{{{{ page.title }}}}",
                "{}{{{{< shortcode >}}}}",
                "{} {{: .cls}}",
                "{}[^1]",
                "{} https://example.com/y",
            ]
        )
    )
    return wrap.format(word)


@st.composite
def documents(draw: st.DrawFn) -> str:
    pieces = draw(st.lists(markup(), min_size=1, max_size=8))
    seps = draw(
        st.lists(
            st.sampled_from(["", " ", "\n", "\n\n"]), min_size=len(pieces), max_size=len(pieces)
        )
    )
    prefix = draw(st.sampled_from(["", "# ", "- ", "> ", "1. "]))
    return prefix + "".join(p + s for p, s in zip(pieces, seps, strict=True))


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_parse_never_raises(text: str) -> None:
    doc = parse(text)
    n_lines = text.count("\n") + text.count("\r") + 1
    for b in doc.blocks:
        assert 1 <= b.line <= b.end_line <= n_lines
        if b.kind != "code":
            assert b.text == b.text.strip()
        assert b.images >= 0


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="*_`[]()!<>{}%:#-=|>\n \\日本a1^~+.", max_size=200))
def test_parse_never_raises_on_markup_soup(text: str) -> None:
    parse(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_no_markup_residue_in_prose(markdown: str) -> None:
    for b in parse(markdown).blocks:
        if b.kind != "code":
            assert not RESIDUE.search(b.text), (markdown, b)


# --------------------------------------------------------------------------- real data

CORPUS_RESIDUE = ("**", "](", "{%", "{{", "{:", "<div", "</", "```")


def _body(raw: str) -> str:
    """Front matter removed crudely: a leading ---/+++ block."""
    for fence in ("---", "+++"):
        if raw.startswith(fence + "\n") or raw.startswith(fence + "\r\n"):
            end = raw.find("\n" + fence, len(fence))
            if end >= 0:
                return raw[raw.find("\n", end + 1) + 1 :] if raw.find("\n", end + 1) >= 0 else ""
    return raw


def _code_spans(markdown: str) -> list[str]:
    """Inline code as markdown-it sees it: readers see its text, markup or not."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    return [
        # Jekyll runs Liquid first, so {% raw %} never shows, even in code spans.
        re.sub(r"\{%-?\s*(?:end)?raw\s*-?%\}", "", child.content)
        for tok in md.parse(markdown)
        if tok.type == "inline"
        for child in tok.children or ()
        if child.type == "code_inline"
    ]


def _residue(name: str, markdown: str) -> list[tuple[str, int, str]]:
    found = []
    spans: list[str] | None = None
    for b in parse(markdown).blocks:
        if b.kind not in PROSE_KINDS:
            continue
        hits = [r for r in CORPUS_RESIDUE if r in b.text]
        if not hits:
            continue
        if spans is None:
            spans = sorted(_code_spans(markdown), key=len, reverse=True)
        text = b.text
        for span in spans:
            text = text.replace(span.strip(), "")
        found += [(name, b.line, r) for r in hits if r in text]
    return found


@pytest.mark.shared
def test_no_residue_in_blog_markdown(blog_markdown: list[dict]) -> None:
    found = []
    for row in blog_markdown:
        found += _residue(f"{row['repo']}/{row['path']}", _body(row["raw"]))
    assert found == []


@pytest.mark.shared
def test_no_residue_in_allforces_posts(allforces_posts: list[Path]) -> None:
    assert allforces_posts
    found = []
    for path in allforces_posts:
        found += _residue(path.name, _body(path.read_text(encoding="utf-8")))
    assert found == []


def test_import_does_not_load_markdown_it() -> None:
    # excerptor --version and excerptor.readtime import this module; keep them fast.
    import subprocess
    import sys

    code = "import sys, excerptor.markdown; print('markdown_it' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
