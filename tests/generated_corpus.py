"""A corpus of posts the repository makes itself, so that the fidelity and crash-safety
guarantees run on a fresh clone without ../shared (the shared corpora add to it).

Seeded and deterministic: front matter in the shapes real sites write (YAML and TOML; quoted,
plain, folded and literal strings; comments; lists and mappings; anchors; dates; flow style;
existing and empty ``excerpt`` / ``reading_time``; CRLF; a BOM), and Japanese Markdown bodies
(paragraphs, lists, headings, code, tables, links, images, repeated blocks, ``---END---``).
"""

from __future__ import annotations

import random

SENTENCES = [
    "今日は近所の図書館で本を三冊借りました。",
    "新しいキーボードは打鍵感が軽く、長時間の作業でも疲れにくいです。",
    "部品代は合計で千二百円ほどでした。",
    "この設定を変えると、ビルドが二倍ほど速くなります。",
    "いやー、久しぶりの更新です。",
    "結論から言うと、キャッシュを使うのが一番の近道でした。",
    "Pythonの標準ライブラリだけで書けるのが魅力です。",
    "週末は雨だったので、家でパンを焼きました。",
    "次に、設定ファイルの書き方を見ていきます。",
    "詳しくは公式ドキュメントを参照してください。",
]
TITLES = ["週末の記録", "キーボードを替えた", "ビルドを速くする", "パンを焼く", 'A "quoted" title']


def _body(rng: random.Random) -> str:
    blocks: list[str] = []
    for _ in range(rng.randint(2, 9)):
        kind = rng.random()
        if kind < 0.45:
            blocks.append("".join(rng.sample(SENTENCES, rng.randint(1, 4))))
        elif kind < 0.55:
            blocks.append("## " + rng.choice(TITLES))
        elif kind < 0.65:
            blocks.append("\n".join(f"- {s}" for s in rng.sample(SENTENCES, 3)))
        elif kind < 0.72:
            blocks.append("```python\nprint('こんにちは')\nfor i in range(3):\n    pass\n```")
        elif kind < 0.78:
            blocks.append("| 項目 | 値 |\n|---|---|\n| 速さ | 2倍 |")
        elif kind < 0.84:
            blocks.append(f"[リンク](https://example.com/{rng.randint(1, 99)}) と ![画像](a.png)")
        elif kind < 0.9:
            blocks.append("---END---")
        else:
            blocks.append(blocks[-1] if blocks else SENTENCES[0])
    return "\n\n".join(blocks) + "\n"


def _yaml_front(rng: random.Random) -> str:
    title = rng.choice(TITLES)
    lines = [
        rng.choice([f"title: '{title}'", 'title: "' + title.replace('"', '\\"') + '"']),
        rng.choice(["date: 2024-05-04 09:30:00 +0900", "date: 2024-05-04", "layout: post"]),
    ]
    extras = [
        "tags: [日記, 道具]",
        "tags:\n  - 日記\n  - 道具",
        "# a comment line\ncategories: blog",
        "image: &img /assets/a.png\nog_image: *img",
        "author:\n  name: 山田\n  url: https://example.com",
        "description: >\n  折り返された\n  説明文です。",
        "note: |\n  一行目\n  二行目\n",
        "draft: false  # still a draft?",
        "'quoted key': 1",
        "empty:",
        "weird: 'it''s'",
    ]
    lines += rng.sample(extras, rng.randint(0, 5))
    excerpt = rng.random()
    if excerpt < 0.25:
        lines.append('excerpt: "いやー、今日も暑かったですね！"')
    elif excerpt < 0.4:
        lines.append("excerpt: 古い抜粋です。 # stale")
    elif excerpt < 0.5:
        lines.append("excerpt: >-\n  折り返された\n  古い抜粋")
    elif excerpt < 0.55:
        lines.append("excerpt:")
    if rng.random() < 0.5:
        lines.append(f"reading_time: {rng.choice([1, 5, 20])}")
    rng.shuffle(lines)
    return "---\n" + "\n".join(lines) + "\n---\n"


def _toml_front(rng: random.Random) -> str:
    title = rng.choice(TITLES).replace('"', '\\"')
    lines = [f'title = "{title}"', "date = 2024-06-09T08:00:00+09:00"]
    extras = [
        "draft = false",
        'tags = ["パン", "料理"]',
        "# a comment",
        "weight = 10  # order",
        "summary = '''\n複数行の\n要約'''",
    ]
    lines += rng.sample(extras, rng.randint(0, 4))
    if rng.random() < 0.4:
        lines.append('excerpt = "古い抜粋"')
    if rng.random() < 0.4:
        lines.append("reading_time = 20")
    tail = "\n[params]\nfoo = 1\n" if rng.random() < 0.3 else "\n"
    return "+++\n" + "\n".join(lines) + tail + "+++\n"


def posts(n: int = 300, seed: int = 20261202) -> list[tuple[str, bytes]]:
    """``n`` posts as (file name, bytes)."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        front = _toml_front(rng) if rng.random() < 0.25 else _yaml_front(rng)
        text = front + "\n" + _body(rng)
        if rng.random() < 0.15:
            text = text.replace("\n", "\r\n")
        data = text.encode("utf-8")
        if rng.random() < 0.05:
            data = b"\xef\xbb\xbf" + data
        out.append((f"2024-01-01-generated-{i:03d}.md", data))
    return out
