"""Named defects of an excerpt: what a reader would hold against it.

Two uses, one vocabulary:

* candidate selection asks of one sentence whether it may open an excerpt
  (:func:`dangling_opener`, :func:`echoes_title`);
* :func:`existing_excerpt_defects` names what is wrong with the excerpt a post already carries
  (excerptor keeps a good one), and :func:`excerpt_defects` names every defect class the
  quality benchmark counts.

Pure functions of strings; the only resource is MeCab for :func:`cut_mid_word`.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence

from .health import is_filler
from .japanese import CLOSING, RUNS_ON, normalize, split_sentences, unit_end

EMPTY = "empty"
OVER_BUDGET = "over-budget"
MID_WORD = "cut-mid-word"
RESIDUE = "markup-residue"
FILLER = "filler-opening"
TITLE_ECHO = "title-echo"
CHATTY_LEAD = "chatty-first-paragraph"
DANGLING = "dangling-opener"
REPEATED = "repeated-sentence"
FRAGMENT = "fragment"
GLUED = "glued-units"

#: The defects that make excerptor replace a post's existing excerpt (issue 12, point 8).
EXISTING = (EMPTY, OVER_BUDGET, MID_WORD, RESIDUE, FILLER, TITLE_ECHO, CHATTY_LEAD)

_ELLIPSES = ("…", "...", "‥", "⋯")

# --- openers that point back --------------------------------------------------------------

# A connective or a pointer to text before it: read first, it refers to what the reader has
# not seen.  Matched at the start of the NFKC-normalized sentence.
_DANGLING_RE = re.compile(
    r"^(?:"
    # connectives (また、しかし、特に、だって、それとも、次に、…)
    r"(?:また|しかし|しかしながら|ただし|ただ|でも|だが|だけど|けれども|けれど|ところが|"
    r"なお|さらに|更に|加えて|それに|そして|それから|すると|だから|なので|ですので|"
    r"したがって|従って|よって|つまり|要するに|すなわち|だって|だからこそ|"
    r"それとも|あるいは|または|もしくは|一方|他方|逆に|むしろ|次に|続いて|最後に|"
    r"その後|そのため|そこで|それで|それでも|それなのに|とはいえ|といっても|同様に|"
    r"当時|その上|このため|このように|そのように|こうして|例えば|たとえば|もちろん|では|それでは|"
    r"ですが|ですので|でしたら|じゃあ|で)"
    r"(?:[ねさ]?[、,，]|は[、,，]|$)"
    r"|(?:特に|とくに|とりわけ|中でも|なかでも)"
    r"|(?:もう(?:1|一|ひと)つ|(?:[1-9]|[一二三四五])つ目|第[一二三四五]に|まさに[、,])"
    r"|(?:これ|それ|あれ|この|その|あの|こちら|そちら|ここ|そこ|こう|そう|こんな|そんな)"
    r"(?![らでのに]?(?:ぞれ|ほど|まで))"
    r"|(?:上記|前述|先述|上の|下記|以下|以上の|次の|前者|後者|同じく|同社|同氏|彼女|彼(?!岸))"
    r")"
)
# Not pointers: それぞれ, そのもの, …
_NOT_DANGLING_RE = re.compile(
    r"^(?:それぞれ|その他|そのまま|そもそも|これまで|これから|ここ数|以下では|"
    r"この(?:記事|ブログ|エントリ|投稿|ページ|シリーズ|連載|ノート|度|世|間|頃|ごろ|前)|ここでは|そうそう|"
    r"これは(?:個人|私|僕|自分)|そういえば)"
)


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def dangling_opener(sentence: str) -> bool:
    """True when ``sentence`` opens with a connective or a pointer back (また、しかし、
    この…、上記の…): shown first, it refers to text the reader has not seen."""
    s = _nfkc(sentence).lstrip("「『(（[【 ")
    return bool(_DANGLING_RE.match(s)) and not _NOT_DANGLING_RE.match(s)


# --- the title ------------------------------------------------------------------------------

_TITLE_MIN = 4  # normalized characters: shorter titles are not looked for
# A sentence that holds the title is an echo when the title is most of it: "aws ec2の使い方
# についてまとめる" under the title "aws ec2" is not.
_TITLE_SHARE = 0.6
# A sentence of this many normalized characters, all of them in the title, echoes it (a site's
# titles often wrap the post's headline: "2026年「…」の最新動向と企業への影響").
_TITLE_PIECE = 12


def echoes_title(sentence: str, title: str | None) -> bool:
    """True when ``sentence`` repeats the title: the title is most of it, or it is most of
    the title."""
    if not title:
        return False
    t, s = normalize(title), normalize(sentence)
    if len(t) < _TITLE_MIN or not s:
        return False
    if t in s:
        # Opening with it counts from a smaller share ("型ヒント入門：型で誤りを…").
        share = _TITLE_SHARE if not s.startswith(t) else _TITLE_SHARE - 0.2
        return len(t) >= share * len(s)
    # a piece of the title: most of it, or a long piece. (A sentence that merely opens with a
    # piece of the title and goes on is not one: authors' own summaries often do that.)
    return s in t and len(s) >= min(_TITLE_PIECE, max(_TITLE_MIN, 0.5 * len(t)))


# --- boilerplate ------------------------------------------------------------------------------


#: A sentence is a site's boilerplate when it is in at least this many of its posts...
MIN_POSTS = 3
#: ...and in at least this share of them.
MIN_SHARE = 0.05


def needed(posts: int, min_posts: int = MIN_POSTS, min_share: float = MIN_SHARE) -> int:
    """In how many of a site's ``posts`` a sentence must be to be boilerplate."""
    return max(min_posts, math.ceil(min_share * posts))


def boilerplate(
    sentences_per_post: Iterable[Iterable[str]],
    *,
    min_posts: int = MIN_POSTS,
    min_share: float = MIN_SHARE,
) -> frozenset[str]:
    """The normalized sentences that recur across many posts of one site: in at least
    ``min_posts`` posts and at least ``min_share`` of them (a site notice, a sign-off).

    Give it the sentences of every post of one site; pass the result to ``analyze`` as the
    ``boilerplate`` setting."""
    counts: Counter[str] = Counter()
    posts = 0
    for sentences in sentences_per_post:
        posts += 1
        counts.update({key for key in map(normalize, sentences) if key})
    need = needed(posts, min_posts, min_share)
    return frozenset(key for key, n in counts.items() if n >= need)


# --- detectors --------------------------------------------------------------------------------

_RESIDUE_RE = re.compile(
    r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>"  # HTML tags
    r"|&(?:[a-zA-Z]{2,8}|#\d{2,6}|#x[0-9a-fA-F]{2,6});"  # entities
    r"|!?\[[^\]\n]*\]\([^)\n]*\)"  # Markdown links and images
    r"|\[\^[^\]]+\]"  # footnote references
    r"|\{%|%\}|\{\{|\}\}"  # Liquid
    r"|\{:[^}]*\}"  # kramdown attributes
    r"|\*\*|__|`"  # emphasis and code marks
    r"|^\s{0,3}#{1,6}\s"  # a heading mark
    r"|^\s*[-*+>]\s"  # a list or quote mark
    r"|\|\s*:?-{3,}"  # a table rule
)


def markup_residue(excerpt: str) -> bool:
    """True when Markdown, HTML or Liquid markup shows in ``excerpt``."""
    return bool(_RESIDUE_RE.search(excerpt))


def _stem(excerpt: str) -> tuple[str, bool]:
    """``excerpt`` without a trailing ellipsis, and whether it had one."""
    text = excerpt.rstrip()
    for e in _ELLIPSES:
        if text.endswith(e):
            return text[: -len(e)].rstrip(), True
    return text, False


def _boundaries(text: str) -> set[int]:
    from .japanese import tagger

    out, pos = {0}, 0
    for node in tagger()(text):
        pos += len(node.white_space) + len(node.surface)
        out.add(pos)
    return out


def cut_mid_word(excerpt: str, source: str | None) -> bool:
    """True when ``excerpt`` is a prefix of ``source`` (the plain text it was cut from) that
    ends inside a word; False when it is whole or not found in ``source``."""
    stem, _ = _stem(excerpt)
    if not source or not stem:
        return False
    at = source.find(stem)
    if at < 0:
        return False
    end = at + len(stem)
    if end >= len(source):
        return False
    start = max(0, end - 40)
    window = source[start : end + 20]
    return (end - start) not in _boundaries(window)


_DEPENDENT_START = re.compile(
    r"^(?:を|という|といった|といって|ので(?!す)|のに|って(?!い)|[、。，．,.]"
    r"|[がにでとはも](?=[\u4e00-\u9fff\u30a0-\u30ffA-Za-z0-9「『]))"
)
_OPEN_END = re.compile(r"[はがをにでとのへもや、]$")


def fragment(sentence: str) -> bool:
    """True when ``sentence`` is a broken piece: it starts with a particle or dependent word
    (という…, ので…, を…) or ends mid-clause (…の変換処理は)."""
    s = _nfkc(sentence)
    if not s:
        return False
    return bool(_DEPENDENT_START.match(s) or _OPEN_END.search(s))


def repeated_sentence(excerpt: str) -> bool:
    """True when one sentence shows twice in ``excerpt``, however short (便利。便利。)."""
    keys = [k for k in map(normalize, split_sentences(excerpt)) if k]
    return len(keys) != len(set(keys))


_LINE_MARKS = re.compile(r"^\s*(?:[-*+>|#]+|\d+[.)])\s*|[*_`|\[\]]|\]\([^)]*\)")


def _lines_units(lines: Sequence[str]) -> list[tuple[str, str]]:
    """(tail, head) pairs of consecutive source lines outside code fences where the first
    ends a unit: no closing punctuation, and not a line the author wrapped mid-sentence
    (…ので、 / …設定は / a next line that opens with a particle)."""
    clean, fenced = [], False
    for line in lines:
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            clean.append("")
            continue
        clean.append("" if fenced else _LINE_MARKS.sub("", line).strip())
    out = []
    for a, b in zip(clean, clean[1:], strict=False):
        if not a or not b or unit_end(a) in CLOSING or unit_end(a) in RUNS_ON:
            continue
        if fragment(a) or _DEPENDENT_START.match(_nfkc(b)):
            continue
        out.append((normalize(a)[-6:], normalize(b)[:6]))
    return out


def glued_units(excerpt: str, source_lines: Sequence[str]) -> bool:
    """True when ``excerpt`` runs the end of one source line without 。！？ straight into
    the next line (a list item, a cell, a heading-like line) inside one sentence, as if
    they were one; a space between them does not part them, 。 does."""
    pairs = [(t, h) for t, h in _lines_units(source_lines) if t and h]
    if not pairs:
        return False
    inline = {normalize(line) for line in source_lines}
    sentences = [normalize(s) for s in split_sentences(excerpt)]
    return any(
        t + h in s and not any(t + h in line for line in inline)
        for t, h in pairs
        for s in sentences
    )


def _first_sentence(excerpt: str) -> str:
    sentences = split_sentences(excerpt)
    return sentences[0] if sentences else ""


def _chatty_lead(excerpt: str, first_paragraph: str | None, fillers: Sequence[str]) -> bool:
    if not first_paragraph:
        return False
    stem, _ = _stem(excerpt)
    key, lead = normalize(stem), normalize(first_paragraph)
    if not key or not lead.startswith(key):
        return False
    return any(is_filler(s, fillers) for s in split_sentences(stem))


def existing_excerpt_defects(
    excerpt: str,
    *,
    title: str | None,
    max_chars: int,
    first_paragraph: str | None = None,
    source: str | None = None,
    fillers: Sequence[str] = (),
) -> list[str]:
    """The defects (codes of :data:`EXISTING`) of the excerpt a post already carries; an
    empty list means it is good and worth keeping.

    ``first_paragraph`` is the post's first paragraph as a reader sees it, ``source`` the
    post's plain text (for a cut mid-word), ``fillers`` extra filler lines as in
    ``data/fillers.txt``."""
    text = _nfkc(excerpt)
    if not normalize(text):
        return [EMPTY]
    found = []
    if len(excerpt.strip()) > max_chars:
        found.append(OVER_BUDGET)
    if cut_mid_word(text, source):
        found.append(MID_WORD)
    if markup_residue(excerpt):
        found.append(RESIDUE)
    first = _first_sentence(text)
    if is_filler(first, fillers):
        found.append(FILLER)
    if echoes_title(first, title):
        found.append(TITLE_ECHO)
    if _chatty_lead(text, first_paragraph, fillers):
        found.append(CHATTY_LEAD)
    return found


def excerpt_defects(
    excerpt: str,
    *,
    title: str | None = None,
    max_chars: int | None = None,
    source: str | None = None,
    source_lines: Sequence[str] = (),
    lead: str | None = None,
    fillers: Sequence[str] = (),
) -> list[str]:
    """Every defect class the quality benchmark counts in a generated ``excerpt``.

    ``source`` is the post's plain text, ``source_lines`` its Markdown lines and ``lead`` its
    first sentence (which may open with これは…: nothing comes before it)."""
    text = _nfkc(excerpt)
    if not normalize(text):
        return [EMPTY]
    found = []
    if max_chars is not None and len(excerpt) > max_chars:
        found.append(OVER_BUDGET)
    if cut_mid_word(text, source):
        found.append(MID_WORD)
    if markup_residue(excerpt):
        found.append(RESIDUE)
    sentences = split_sentences(_stem(text)[0]) or [text]
    if is_filler(sentences[0], fillers):
        found.append(FILLER)
    if echoes_title(sentences[0], title):
        found.append(TITLE_ECHO)
    if dangling_opener(sentences[0]) and normalize(sentences[0]) != normalize(lead or ""):
        found.append(DANGLING)
    whole = sentences if not _stem(text)[1] else sentences[:-1]
    if any(fragment(s) for s in whole) or (sentences and _DEPENDENT_START.match(sentences[0])):
        found.append(FRAGMENT)
    if repeated_sentence(text):
        found.append(REPEATED)
    if source_lines and glued_units(text, source_lines):
        found.append(GLUED)
    return found
