"""Property tests: patching arbitrary real-world-style front matter changes only two fields."""

from __future__ import annotations

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from test_fidelity import damage

from excerptor.handlers import toml_quote
from excerptor.patcher import patch, read_post

TRICKY = "abc xyz あいう漢字カナ \"'\\:#-|>{}[],&*!%@`\n\t😀　"
text = st.text(alphabet=TRICKY, max_size=40)
line_text = st.text(alphabet=TRICKY.replace("\n", ""), max_size=30)
scalar = st.one_of(text, st.integers(-(10**6), 10**6), st.booleans(), st.none(), st.dates())
value = st.recursive(
    scalar,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(["a", "b", "名前", "url"]), inner, max_size=3),
    ),
    max_leaves=6,
)
OTHER_KEYS = ["title", "date", "tags", "categories", "draft", "author", "image", "layout", "メモ"]
STYLES = [None, "'", '"', "|", ">"]


@st.composite
def yaml_entry(draw, key: str, values=value) -> str:
    """One top-level ``key: value`` chunk, in a style PyYAML's emitter produces."""
    v = draw(values)
    chunk = yaml.safe_dump(
        {key: v},
        allow_unicode=True,
        default_flow_style=draw(st.sampled_from([False, True, None])),
        default_style=draw(st.sampled_from(STYLES)) if isinstance(v, str) else None,
        width=draw(st.sampled_from([12, 30, 80])),
        sort_keys=False,
    )
    if chunk.startswith("{"):  # whole-mapping flow style: make it a block entry
        chunk = yaml.safe_dump({key: v}, allow_unicode=True, width=80, default_flow_style=False)
    if chunk.count("\n") == 1 and not chunk.rstrip().endswith(("|", ">", "|-", ">-")):
        chunk = chunk[:-1] + draw(st.sampled_from(["", " # note", "  # コメント: x"])) + "\n"
    return chunk


@st.composite
def yaml_post(draw) -> tuple[str, dict]:
    keys = draw(st.lists(st.sampled_from(OTHER_KEYS), unique=True, max_size=6))
    targets = draw(st.lists(st.sampled_from(["excerpt", "reading_time"]), unique=True))
    order = draw(st.permutations(keys + targets))
    chunks = []
    for key in order:
        if key in ("excerpt", "reading_time"):
            chunk = draw(yaml_entry(key, st.one_of(text, st.none(), st.integers(0, 99))))
        elif key == "reading_time":
            chunk = draw(yaml_entry(key, st.one_of(st.integers(0, 99), text)))
        else:
            chunk = draw(yaml_entry(key))
        chunks.append(chunk)
        if draw(st.booleans()):
            chunks.append(draw(st.sampled_from(["# comment\n", "\n", "# ---\n"])))
    front = "".join(chunks)
    body = draw(st.text(alphabet="本文です。\n---# ", min_size=1, max_size=40))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    doc = f"---\n{front}---\n{body}".replace("\n", newline)
    # Jekyll closes the front matter at the first `---`/`...` line: keep generated values clear.
    assume(all(line.rstrip() not in ("---", "...") for line in front.split("\n")))
    expected = yaml.safe_load(front) or {}
    return doc, expected


UPDATES = st.fixed_dictionaries(
    {
        "excerpt": st.text(alphabet=TRICKY + "\r\x00\x85\u2028", max_size=60),
        "reading_time": st.integers(0, 999),
    }
)

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(yaml_post(), UPDATES)
def test_yaml_patch_changes_only_the_two_fields(case: tuple[str, dict], updates: dict) -> None:
    doc, expected = case
    post = read_post(doc, require_body=False)
    assert post.metadata == expected
    assume(not isinstance(expected.get("excerpt"), (list, dict)))
    out = patch(post, updates)
    after = read_post(out, require_body=False)
    assert after.metadata == {**expected, **updates}
    assert [k for k in after.metadata if k in expected] == list(expected)
    assert after.body == post.body and out.endswith(post.body)
    assert patch(after, updates) == out
    assert damage(doc, updates) is None  # line-by-line: nothing else changed
    if "\r\n" in doc:
        assert "\n" not in out.replace("\r\n", "")


def toml_value(draw, v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    style = draw(st.sampled_from(["basic", "literal", "ml-basic", "ml-literal"]))
    if style == "literal" and "'" not in v and "\n" not in v and "\t" not in v:
        return f"'{v}'"
    if style == "ml-literal" and "'''" not in v and not v.endswith("'"):
        return f"'''\n{v}'''"
    if style == "ml-basic":
        return '"""\n' + toml_quote(v)[1:-1].replace("\\n", "\n") + '"""'
    return toml_quote(v)


@st.composite
def toml_post(draw) -> str:
    simple = st.one_of(line_text, text, st.integers(-99, 99), st.booleans())
    keys = draw(
        st.lists(st.sampled_from(OTHER_KEYS[:7] + ["excerpt", "reading_time"]), unique=True)
    )
    lines = []
    for key in keys:
        v = draw(simple)
        if draw(st.booleans()):
            rendered = toml_value(draw, v)
        else:
            rendered = (
                "["
                + ", ".join(toml_value(draw, x) for x in draw(st.lists(simple, max_size=3)))
                + "]"
            )
            if key in ("excerpt", "reading_time"):
                rendered = toml_value(draw, v)
        lines.append(f"{key} = {rendered}" + draw(st.sampled_from(["", " # note"])) + "\n")
        if draw(st.booleans()):
            lines.append("# [comment]\n")
    if draw(st.booleans()):
        lines.append('\n[params]\nexcerpt = "table\'s own"\nreading_time = 5\n')
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    return ("+++\n" + "".join(lines) + "+++\n本文。\n").replace("\n", newline)


@SETTINGS
@given(toml_post(), UPDATES)
def test_toml_patch_changes_only_the_two_fields(doc: str, updates: dict) -> None:
    front = doc.split("+++", 2)[1].split("\n", 1)[1] if "+++" in doc else ""
    try:
        expected = tomllib.loads(front)
    except tomllib.TOMLDecodeError:
        assume(False)
    post = read_post(doc)
    assert post.metadata == expected
    updates = {**updates, "excerpt": updates["excerpt"].replace("\ud800", "")}
    out = patch(post, updates)
    after = read_post(out)
    assert after.metadata == {**expected, **updates}
    assert after.metadata.get("params") == expected.get("params")
    assert after.body == post.body
    assert patch(after, updates) == out
    assert damage(doc, updates) is None
