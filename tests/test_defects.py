"""excerptor.defects: named defects of excerpts, table-driven."""

from __future__ import annotations

import pytest

from excerptor import defects

BODY = "今日はプログラミングの話です。Pythonの型ヒントを使うと、エディタが誤りを教えてくれます。"
LEAD = "やあ、みんな元気？今日はプログラミングの話です。"

EXISTING_CASES = [
    # (excerpt, title, max_chars, first paragraph, source, expected defects)
    (
        "Pythonの型ヒントを使うと、エディタが誤りを教えてくれます。",
        "型ヒント入門",
        120,
        LEAD,
        BODY,
        [],
    ),
    ("", "型ヒント入門", 120, None, None, ["empty"]),
    ("  …  ", "型ヒント入門", 120, None, None, ["empty"]),
    ("型ヒントで誤りが見つかる" * 20, None, 120, None, None, ["over-budget"]),
    ("今日はプログラミ…", None, 120, None, BODY, ["cut-mid-word"]),
    ("今日はプログラミングの…", None, 120, None, BODY, []),
    ("**型ヒント**で誤りを見つける。", None, 120, None, None, ["markup-residue"]),
    ("[型ヒント](https://example.com)の話。", None, 120, None, None, ["markup-residue"]),
    ("<p>型ヒントの話。</p>", None, 120, None, None, ["markup-residue"]),
    ("いやー、今日は暑いですね。型ヒントの話。", None, 120, None, None, ["filler-opening"]),
    ("型ヒント入門。型で誤りを見つける方法。", "型ヒント入門", 120, None, None, ["title-echo"]),
    (
        "やあ、みんな元気？今日はプログラミングの話です。",
        None,
        120,
        LEAD,
        None,
        ["filler-opening", "chatty-first-paragraph"],
    ),
]


@pytest.mark.parametrize(
    ("excerpt", "title", "budget", "lead", "source", "expected"), EXISTING_CASES
)
def test_existing_excerpt_defects(excerpt, title, budget, lead, source, expected):
    found = defects.existing_excerpt_defects(
        excerpt, title=title, max_chars=budget, first_paragraph=lead, source=source
    )
    assert found == expected
    assert set(found) <= set(defects.EXISTING)


@pytest.mark.parametrize(
    ("sentence", "dangles"),
    [
        ("また、型ヒントは実行時には検査されません。", True),
        ("しかし、この方法には欠点があります。", True),
        ("特に大きなプロジェクトで効きます。", True),
        ("中でも型ヒントが便利です。", True),
        ("特に、大きなプロジェクトで効きます。", True),
        ("だって、便利だから。", True),
        ("でもね、それは違うんです。", True),
        ("もう1つは、ビジョンが空回りするリスクです。", True),
        ("2つ目は価格です。", True),
        ("まさに、AIエージェントが活躍できる土壌が整っていたのです。", True),
        ("まさにこの点が重要です。", False),
        ("以上のような形で、モデルが作成できます。", True),
        ("彼らは本気で企業のAI導入を加速させようとしている。", True),
        ("一つひとつ確認します。", False),
        ("でもさ、やってみようよ。", True),
        ("でもねこは好きです。", False),
        ("それとも、別の方法がいいでしょうか。", True),
        ("次に、設定ファイルを書きます。", True),
        ("当時、私は学生でした。", True),
        ("これで設定は終わりです。", True),
        ("その結果、速度が二倍になりました。", True),
        ("上の記事で書いた通りです。", True),
        ("以下の手順で進めます。", True),
        ("それぞれの手順を説明します。", False),
        ("この記事では型ヒントを紹介します。", False),
        ("型ヒントはPython 3.5で入りました。", False),
        ("「また」という言葉の話ではありません。", False),
    ],
)
def test_dangling_opener(sentence, dangles):
    assert defects.dangling_opener(sentence) is dangles


@pytest.mark.parametrize(
    ("sentence", "title", "echo"),
    [
        ("型ヒント入門", "型ヒント入門", True),
        ("型ヒント入門：型で誤りを見つける。", "型ヒント入門", True),
        ("aws ec2の使い方についてまとめる", "aws ec2", False),
        ("型ヒント", "型ヒント入門", True),
        ("EU AI Act、2026年施行へ。", "EU AI Act、2026年施行へ。規制の全貌と対応策", True),
        ("型ヒントを使うとエディタが誤りを教えてくれます。", "型ヒント入門", False),
        ("Rust入門", None, False),
        (
            "トヨタのAI新拠点、東京で何が始まるのか？",
            "2026年トヨタのAI新拠点、東京で何が始まるのか？の最新動向と企業への影響",
            True,
        ),
        (
            "「AI導入で11万人超が解雇」その真意は？",
            "2026年「AI導入で11万人超が解雇」その真意は？の最新動向",
            True,
        ),
        (
            "Hono Hackathonに行ってきたので、ミドルウェアを三つ書いた話をします。",
            "Hono Hackathonに行ってきた話と感想",
            False,
        ),
        ("入門", "型ヒント入門", False),  # too short to be taken for the title
    ],
)
def test_echoes_title(sentence, title, echo):
    assert defects.echoes_title(sentence, title) is echo


@pytest.mark.parametrize(
    ("excerpt", "expected"),
    [
        ("便利。便利。", ["repeated-sentence"]),
        ("という値を返します。", ["fragment"]),
        ("設定ファイルの変換処理は", ["fragment"]),
        ("型ヒントは便利です。エディタが誤りを教えてくれます。", []),
        ("また、型ヒントは便利です。", ["dangling-opener"]),
    ],
)
def test_excerpt_defects(excerpt, expected):
    assert defects.excerpt_defects(excerpt) == expected


@pytest.mark.parametrize(
    ("excerpt", "lines", "glued"),
    [
        pytest.param(
            "手順一覧準備する確認する",
            ["## 手順一覧", "- 準備する", "- 確認する"],
            True,
            id="run-together",
        ),
        pytest.param(
            "手順一覧 準備する", ["## 手順一覧", "- 準備する"], True, id="space-parts-nothing"
        ),
        pytest.param(
            "手順一覧。準備する", ["## 手順一覧", "- 準備する"], False, id="full-stop-parts"
        ),
        pytest.param("準備する。", ["## 手順一覧", "- 準備する"], False, id="one-unit"),
        pytest.param(
            "途中で、折り返した文です。",
            ["途中で、", "折り返した文です。"],
            False,
            id="author-wrap-after-comma",
        ),
        pytest.param(
            "設定の値はという形式", ["設定の値は", "という形式"], False, id="author-wrap-mid-clause"
        ),
        pytest.param(
            "FizzBuzzを書く。",
            ["```", "Fizz", "Buzz", "```", "FizzBuzzを書く。"],
            False,
            id="code-and-same-line",
        ),
    ],
)
def test_glued_units(excerpt, lines, glued):
    assert ("glued-units" in defects.excerpt_defects(excerpt, source_lines=lines)) is glued


def test_boilerplate_is_what_recurs_across_posts():
    notice = "この記事はアフィリエイトを含みます。"
    posts = [[notice, f"本文{i}の話です。"] for i in range(10)] + [["別の話です。"]] * 3
    assert defects.boilerplate(posts) == frozenset({defects.normalize(notice), "別の話です"})
    assert defects.boilerplate(posts, min_posts=5) == frozenset({defects.normalize(notice)})
    assert defects.boilerplate([]) == frozenset()
