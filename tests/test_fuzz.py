"""Fuzzing the public stages with hostile text (short profile; benchmarks/fuzz.py runs 10,000+).

Targets: the front-matter patcher (excerptor.patcher), Markdown to text (excerptor.markdown.parse),
the sentence splitter (excerptor.japanese.split_sentences), excerptor.analyze, and a whole post
(front matter + analyze + patch). Properties: nothing but ExcerptorError escapes; a patch
changes nothing but the two fields (checked line by line with tests/test_fidelity.damage); the
excerpt fits max_chars; any post with something visible reads in at least one minute.

The strategies and checks are module-level so that benchmarks/fuzz.py can reuse them.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_fidelity import damage
from test_post_properties import toml_post, yaml_post

import excerptor
from excerptor import japanese, markdown
from excerptor.errors import ExcerptorError
from excerptor.patcher import patch, read_post
from excerptor.summarizers import ALGORITHMS

# Pieces of Markdown, Japanese, templates and Unicode trouble that random text rarely hits.
BODY_TOKENS = [
    "今日は晴れです",
    "東京タワーに行った",
    "。",
    "、",
    "！",
    "？",
    "!",
    "?",
    ".",
    "...",
    "……",
    "「",
    "」",
    "『",
    "』",
    "（",
    "）",
    "(",
    ")",
    "word",
    "Mr.",
    "e.g.",
    "3.14",
    " ",
    "　",
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    "\t",
    "# ",
    "## ",
    "- ",
    "* ",
    "1. ",
    "> ",
    "```",
    "~~~",
    "    ",
    "`",
    "**",
    "_",
    "~~",
    "[",
    "]",
    "](http://ex.jp/a_b)",
    "![画像](i.png)",
    "<div>",
    "</div>",
    "<img src=x>",
    "<br>",
    "<!--more-->",
    "<!--",
    "-->",
    "{% raw %}",
    "{% endraw %}",
    "{% highlight ruby %}",
    "{% endhighlight %}",
    "{{ page.title }}",
    "{%",
    "%}",
    "{{<",
    ">}}",
    "{{% note %}}",
    "{: .cls}",
    "{:toc}",
    "| a | b |",
    "|---|---|",
    "---",
    "---END---",
    "***",
    "[^1]",
    "[^1]: ",
    ": ",
    "😀",
    "👨\u200d👩\u200d👧",
    "🇯🇵",
    "👍🏽",
    "\u0301",
    "\u3099",
    "مرحبا بالعالم",
    "שלום",
    "\u202e",
    "\u200d",
    "\ufe0f",
    "\x00",
    "\ud800",
    "\x85",
    "\u2028",
    "\ufeff",
    "http://example.com/a?b=c",
    "&amp;",
    "&#x1F600;",
    "\\",
    "www",
    "笑",
    "（笑）",
    "ｗｗｗ",
    "A" * 60,
    "あ" * 150,
    "。" * 20,
]
FM_TOKENS = [
    "title",
    "excerpt",
    "reading_time",
    "tags",
    "date",
    "メモ",
    ":",
    ": ",
    " ",
    "\n",
    "\r\n",
    "\r",
    "  ",
    "- ",
    "'",
    '"',
    "|",
    ">",
    "|-",
    "&a ",
    "*a",
    "<<: ",
    "!!str ",
    "!!int ",
    "!!python/object/apply:os.system ",
    "!ruby/object ",
    "[",
    "]",
    "{",
    "}",
    ",",
    "#",
    "# c",
    "テスト",
    "2024-01-01",
    "12:30",
    "1",
    "-1",
    "0x1F",
    ".nan",
    "null",
    "~",
    "true",
    "\t",
    "...",
    "---",
    "=",
    "+++",
    "\\",
    "\ufeff",
    "\x85",
    "\u2028",
    "?",
    "%YAML 1.1",
    '"""',
    "'''",
    "[params]",
    "\x00",
    "\ud800",
]
OPENERS = ["---\n", "---\r\n", "---  \n", "--- \t\r\n", "+++\n", "+++\r\n", "", "\ufeff---\n"]
CLOSERS = ["---\n", "...\n", "---\r\n", "--- \n", "+++\n", "---", ""]

soup = st.lists(st.sampled_from(BODY_TOKENS), max_size=50).map("".join)
body_text = st.one_of(soup, st.text(max_size=120), st.text(alphabet="あ。 \n`*#>-", max_size=80))
fm_soup = st.lists(st.sampled_from(FM_TOKENS), max_size=30).map("".join)


@st.composite
def mutated(draw, base: st.SearchStrategy[str]) -> str:
    """A valid post with a few tokens inserted or characters deleted at random places."""
    text = draw(base)
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, len(text)))
        if draw(st.booleans()):
            text = text[:i] + draw(st.sampled_from(FM_TOKENS + BODY_TOKENS)) + text[i:]
        else:
            text = text[:i] + text[i + draw(st.integers(1, 4)) :]
    return text


posts = st.one_of(
    st.builds(
        lambda o, fm, c, b: o + fm + ("\n" if fm and c else "") + c + b,
        st.sampled_from(OPENERS),
        fm_soup,
        st.sampled_from(CLOSERS),
        body_text,
    ),
    yaml_post().map(lambda case: case[0]),
    toml_post(),
    mutated(yaml_post().map(lambda case: case[0])),
    mutated(toml_post()),
)
updates = st.fixed_dictionaries(
    {"excerpt": st.one_of(st.text(max_size=60), soup), "reading_time": st.integers(0, 10**6)}
)
analyze_settings = st.fixed_dictionaries(
    {"max_chars": st.integers(1, 200), "sentences": st.integers(1, 5)},
    optional={"algorithm": st.sampled_from(ALGORITHMS), "title": st.none() | soup},
)


def visible(body: str) -> bool:
    """Whether the rendered page shows anything: text outside code, code lines, or images."""
    doc = markdown.parse(body)
    return doc.images > 0 or any(b.text.strip() for b in doc.blocks)


# --------------------------------------------------------------------------- checks


def check_patch(text: str, new: dict) -> None:
    if text.startswith("\ufeff"):  # read_post drops a BOM (write_atomic puts it back)
        text = text[1:]
    try:
        why = damage(text, new)
    except ExcerptorError:
        return  # refused with a one-line message: fine
    assert why is None, why


def check_markdown(body: str) -> None:
    doc = markdown.parse(body)
    for block in doc.blocks:
        assert isinstance(block.text, str)
        assert 1 <= block.line <= block.end_line
        assert block.images >= 0


def check_split(text: str) -> None:
    sentences = japanese.split_sentences(text)
    assert all(s and s == s.strip() for s in sentences)

    def ink(s: str) -> str:
        return "".join(ch for ch in s if not ch.isspace())

    assert ink("".join(sentences)) == ink(text)


def check_analyze(body: str, options: dict) -> None:
    try:
        result = excerptor.analyze(body, **options)
    except ExcerptorError as exc:
        assert "\n" not in str(exc)
        return
    assert len(result.excerpt) <= options["max_chars"]
    assert len(result.summary) <= options["sentences"]
    if visible(body):
        assert result.reading_time >= 1, "something visible but reading_time 0"
    else:
        assert result.reading_time == 0


def check_post(text: str, options: dict) -> None:
    """What rewrite does to one file: read, analyze the body, patch both fields."""
    try:
        post = read_post(text)
    except ExcerptorError:
        return
    title = post.metadata.get("title")
    try:
        result = excerptor.analyze(
            post.body, **options, title=title if isinstance(title, str) else None
        )
    except ExcerptorError:
        return
    assert len(result.excerpt) <= options["max_chars"]
    new = {"excerpt": result.excerpt, "reading_time": result.reading_time}
    try:
        out = patch(post, new)
    except ExcerptorError:
        return
    after = read_post(out)
    assert after.body == post.body
    assert after.metadata["excerpt"] == result.excerpt
    assert after.metadata["reading_time"] == result.reading_time
    check_patch(text, new)


# --------------------------------------------------------------------------- CI profile

CI = settings(
    max_examples=int(os.environ.get("EXCERPTOR_FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
few = {"max_chars": st.integers(1, 200), "sentences": st.integers(1, 5)}


@CI
@given(posts, updates)
def test_patcher(text: str, new: dict) -> None:
    check_patch(text, new)


@CI
@given(body_text)
def test_markdown_parse(body: str) -> None:
    check_markdown(body)


@CI
@given(body_text)
def test_split_sentences(text: str) -> None:
    check_split(text)


@CI
@given(body_text, st.fixed_dictionaries(few))
def test_analyze(body: str, options: dict) -> None:
    check_analyze(body, options)


@CI
@given(posts, st.fixed_dictionaries(few))
def test_post_and_analyze(text: str, options: dict) -> None:
    check_post(text, options)


TARGETS = {
    "post.patch": (check_patch, (posts, updates)),
    "markdown.parse": (check_markdown, (body_text,)),
    "japanese.split_sentences": (check_split, (body_text,)),
    "analyze": (check_analyze, (body_text, analyze_settings)),
    "post+analyze": (check_post, (posts, st.fixed_dictionaries(few))),
}
