"""Content health: generation artifacts, repeated blocks, fillers (used by the pipeline).

Pure functions over a parsed :class:`~excerptor.markdown.Document`:

* ``marker-line``: separator lines a generator left behind (``---END---``, ``===END===``,
  ``--- END ---``, ``[END]``, ``【END】``).  A legitimate ``---`` rule never reaches the
  document, and HTML comments such as ``<!-- end -->`` are invisible to the reader, so
  neither is flagged.
* ``repeated-block``: paragraphs, list items, quotes and tables that repeat an earlier one,
  exactly or nearly (after NFKC, case folding and dropping punctuation and spaces; "nearly"
  means at least :data:`NEAR_CONTAINMENT` of the copy's character 5-grams are in the earlier
  block).  Hash-based: one pass with an inverted index, no all-pairs comparison.
* ``truncated-ending``: the generated text stops mid-sentence, at the end of the body or
  just before a marker line.
* ``title-as-text``: the first block repeats the post's title.

``Health.keep`` is every block except marker blocks, later copies of repeated blocks (and
the repeated headings that introduce them) and a first block that only repeats the title.
:func:`dedupe` removes marker lines and later copies from the Markdown source itself.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .errors import ExcerptorError
from .japanese import normalize
from .markdown import PROSE_KINDS, Block, Document

MARKER = "marker-line"
REPEATED = "repeated-block"
TRUNCATED = "truncated-ending"
TITLE = "title-as-text"

#: A block shorter than this (normalised characters) never counts as a repeat, so that
#: "はい。" or "以上です。" twice in a human post is not an artifact.
MIN_REPEAT_CHARS = 30
#: Near-duplicates (not exact after normalisation) need a longer block, and must be
#: paragraphs or quotes: list items that differ only in a number ("第1章", "第2章") are not copies.
MIN_NEAR_CHARS = 80
#: Share of a later block's 5-grams that must occur in one earlier block.
NEAR_CONTAINMENT = 0.8
#: A paragraph whose unterminated tail is at least this long "ends mid-sentence".
MIN_TRUNCATED_TAIL = 25
#: Repeats are reported (and removed) only when they look generated: the post has marker
#: lines, or this share of its text is repeats, or it repeats a run of this many paragraphs.
MIN_REPEAT_SHARE = 0.15
MIN_REPEAT_RUN = 2

_SHINGLE = 5
_SAMPLE = 4  # index every 4th 5-gram of an original; look up every 5-gram of a later block
_POSTING_CAP = 16  # a 5-gram in more blocks than this is too common to find candidates with
_REPEAT_KINDS = frozenset(PROSE_KINDS) | {"table"}
_NEAR_KINDS = frozenset({"paragraph", "blockquote"})


@dataclass(frozen=True)
class Finding:
    """One problem found in a post body."""

    code: str  # "marker-line", "repeated-block", "truncated-ending", "title-as-text"
    message: str  # one line, human readable
    lines: tuple[int, ...] = ()  # 1-based lines in the body


@dataclass(frozen=True)
class Health:
    findings: tuple[Finding, ...]
    keep: tuple[int, ...]  # indices of Document.blocks that are content (no markers, no repeats)


# --- markers -------------------------------------------------------------------------------

# Two or more rule characters, or one long dash (a typographer turns --- into —).
_RUN = r"(?:[-=_*~#+\u2010-\u2015\u2500-\u2501\uff1d\uff0d]{2,}|[\u2014\u2015\u2500\u2501]+)"
_WORD = r"(?:END|EOF)(?:[ _-]?OF[ _-]?(?:ARTICLE|POST|TEXT|CONTENT|DOCUMENT|FILE))?"
_MARKER_RE = re.compile(
    rf"(?:{_RUN}[ \t]*{_WORD}(?:[ \t]*{_RUN})?|{_WORD}[ \t]*{_RUN}"
    rf"|\[{_WORD}\]|【{_WORD}】|<<{_WORD}>>)",
    re.IGNORECASE,
)
# Inside running text only the unambiguous form with rules on both sides counts.
_EMBEDDED_MARKER_RE = re.compile(rf"{_RUN}[ \t]*{_WORD}[ \t]*{_RUN}", re.IGNORECASE)


def is_marker_line(line: str) -> bool:
    """True when ``line`` (one line of text or Markdown) is a generator's end marker."""
    line = line.strip()
    # "**---END---**" is the same marker in bold.
    return any(_MARKER_RE.fullmatch(x) for x in (line, line.strip("*_`")))


def _marker_lines_inside(block: Block) -> list[int]:
    """Lines of a content block that carry an embedded end marker (best effort)."""
    if block.kind == "code" or not _EMBEDDED_MARKER_RE.search(block.text):
        return []
    rows = block.text.split("\n")
    span = block.end_line - block.line + 1
    found = []
    for i, row in enumerate(rows):
        if _EMBEDDED_MARKER_RE.search(row):
            if len(rows) == span:
                found.append(block.line + i)
            elif i == len(rows) - 1:
                found.append(block.end_line)
            else:
                found.append(block.line)
    return found


# --- normalisation and repeats -------------------------------------------------------------


def _shingles(norm: str) -> set[str]:
    if len(norm) <= _SHINGLE:
        return {norm}
    return {norm[i : i + _SHINGLE] for i in range(len(norm) - _SHINGLE + 1)}


def _copies(doc: Document, skip: set[int]) -> dict[int, int]:
    """Later copy → index of the earliest block it repeats (exact or near).

    Exact copies are found by a dict on the normalised text.  Near copies: each original's
    5-grams at every ``_SAMPLE``-th position go into an inverted index; a later block looks
    up all its 5-grams, and the (at most three) originals it hits most are checked exactly.
    Linear in the text, whatever the number of blocks.
    """
    exact: dict[str, int] = {}
    index: dict[str, list[int]] = {}
    shingles: dict[int, set[str]] = {}
    copy_of: dict[int, int] = {}
    for i, block in enumerate(doc.blocks):
        if i in skip or block.kind not in _REPEAT_KINDS:
            continue
        norm = normalize(block.text)
        if len(norm) < MIN_REPEAT_CHARS:
            continue
        first = exact.get(norm)
        if first is not None:
            copy_of[i] = first
            continue
        exact[norm] = i
        if len(norm) < MIN_NEAR_CHARS or block.kind not in _NEAR_KINDS:
            continue
        grams = _shingles(norm)
        hits: dict[int, int] = {}
        for g in grams & index.keys():
            posting = index[g]
            if len(posting) <= _POSTING_CAP:
                for j in posting:
                    hits[j] = hits.get(j, 0) + 1
        for j in sorted(hits, key=lambda j: (-hits[j], j))[:3]:
            if len(grams & shingles[j]) >= NEAR_CONTAINMENT * len(grams):
                copy_of[i] = copy_of.get(j, j)
                break
        else:
            # Only originals are indexed: later blocks are compared with what was first said.
            shingles[i] = grams
            for k in range(0, len(norm) - _SHINGLE + 1, _SAMPLE):
                index.setdefault(norm[k : k + _SHINGLE], []).append(i)
    return copy_of


def _repeated_headings(doc: Document, removed: set[int], markers: set[int]) -> set[int]:
    """Headings seen before whose section (next non-marker block) is itself a removed copy."""
    seen: set[str] = set()
    again: list[int] = []
    for i, block in enumerate(doc.blocks):
        if block.kind == "heading":
            norm = normalize(block.text)
            if norm in seen:
                again.append(i)
            seen.add(norm)
    out: set[int] = set()
    for i in reversed(again):
        j = i + 1
        while j in markers:
            j += 1
        if j < len(doc.blocks) and (j in removed or j in out):
            out.add(i)
    return out


# --- endings and titles --------------------------------------------------------------------

_TERMINATORS = set("。．.！!？?」』）)】〕］]＞>…‥〜~ｗw笑♪☆★♡♥・:：;；\"'”’ー/／＼")
_SENTENCE_END = re.compile(r"[。．！!？?]")
_PARTICLES = set("をにがはのとでもへやてばし")
_PLAIN_ENDINGS = set("るただいうんすかよねなぞわ")
_KANJI_KATAKANA = re.compile(r"[\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")


def _ends_mid_sentence(block: Block) -> bool:
    if block.kind != "paragraph":
        return False
    text = block.text.rstrip()
    if not text:
        return False
    last = text[-1]
    if last in _TERMINATORS or unicodedata.category(last) in ("So", "Sk", "Pe", "Pf"):
        return False
    parts = _SENTENCE_END.split(text)
    if len(parts) < 2:
        return False  # note-style text that never ends a sentence with 。 is not cut off
    tail = parts[-1]
    if last in _PLAIN_ENDINGS:
        return False  # a finished sentence without 。 (…である, …できる, …高い)
    if len(normalize(tail)) >= MIN_TRUNCATED_TAIL:
        return True
    # A shorter tail is cut when the paragraph is running prose (two sentences ended before)
    # and the tail stops inside a clause: after a comma or on a particle.
    in_clause = (
        last in _PARTICLES
        or last in "、，,"
        or (("、" in tail or "，" in tail) and _KANJI_KATAKANA.fullmatch(last) is not None)
    )
    return len(parts) > 2 and len(normalize(tail)) >= 6 and in_clause


def _excerpt(text: str, n: int = 24) -> str:
    one = " ".join(text.split())
    return one if len(one) <= n else one[: n - 1] + "…"


# --- inspect -------------------------------------------------------------------------------


def inspect(doc: Document, title: str | None = None) -> Health:
    """Find artifacts in ``doc``; ``keep`` is what a summary should be made from."""
    blocks = doc.blocks
    findings: list[Finding] = []

    markers = {i for i, b in enumerate(blocks) if b.kind != "code" and is_marker_line(b.text)}
    marker_lines = sorted(
        {x for i in markers for x in range(blocks[i].line, blocks[i].end_line + 1)}
        | {x for i, b in enumerate(blocks) if i not in markers for x in _marker_lines_inside(b)}
    )
    if marker_lines:
        kinds = Counter(" ".join(blocks[i].text.split()) for i in markers if blocks[i].text.strip())
        shown = kinds.most_common(1)[0][0] if kinds else "END"
        n = len(markers) or len(marker_lines)
        findings.append(
            Finding(
                MARKER,
                f"{n} generator marker line{'s' if n != 1 else ''} ({shown})",
                tuple(marker_lines),
            )
        )

    copy_of = _copies(doc, markers)
    stats = _RepeatStats.of(doc, copy_of, markers)
    if copy_of and (markers or stats.share >= MIN_REPEAT_SHARE or stats.run >= MIN_REPEAT_RUN):
        removed = set(copy_of) | _repeated_headings(doc, set(copy_of), markers)
        findings.append(_repeat_finding(doc, copy_of, removed, stats))
    else:
        removed = set()

    ends = _truncated(doc, markers)
    if ends:
        findings.append(
            Finding(
                TRUNCATED,
                f"text ends mid-sentence (…{_excerpt(blocks[ends[0]].text.rstrip()[-20:])})"
                + (f" in {len(ends)} places" if len(ends) > 1 else ""),
                tuple(blocks[i].end_line for i in ends),
            )
        )

    title_block = _title_block(doc, title, markers)
    if title_block is not None:
        b = blocks[title_block]
        findings.append(
            Finding(
                TITLE,
                f"the first {'heading' if b.kind == 'heading' else 'paragraph'} repeats the "
                f"title ({_excerpt(b.text)})",
                (b.line,),
            )
        )

    drop = markers | removed | ({title_block} if title_block is not None else set())
    keep = tuple(i for i in range(len(blocks)) if i not in drop)
    return Health(findings=tuple(findings), keep=keep)


@dataclass(frozen=True)
class _RepeatStats:
    share: float  # of the body's text (code left out) that later copies make up
    run: int  # longest run of consecutive copied paragraphs or quotes

    @classmethod
    def of(cls, doc: Document, copy_of: dict[int, int], markers: set[int]) -> _RepeatStats:
        blocks = doc.blocks
        total = sum(
            len(b.text) for i, b in enumerate(blocks) if b.kind != "code" and i not in markers
        )
        repeated = sum(len(blocks[i].text) for i in copy_of)
        run = best = 0
        for i, b in enumerate(blocks):
            if i in markers or b.kind == "heading":
                continue  # a marker or a repeated heading between copies does not end a run
            if i in copy_of and b.kind in _NEAR_KINDS:
                run += 1
                best = max(best, run)
            else:
                run = 0
        return cls(repeated / total if total else 0.0, best)


def _repeat_finding(
    doc: Document, copy_of: dict[int, int], removed: set[int], stats: _RepeatStats
) -> Finding:
    blocks = doc.blocks
    top, n = Counter(copy_of.values()).most_common(1)[0]
    lines = sorted(blocks[i].line for i in removed)
    msg = (
        f"{len(removed)} repeated block{'s' if len(removed) != 1 else ''} "
        f"({stats.share:.0%} of the body text is repeats); "
        f"most copied ×{n + 1}: {_excerpt(blocks[top].text)}"
    )
    if stats.run > 1:
        msg += f"; longest repeated run: {stats.run} paragraphs"
    return Finding(REPEATED, msg, tuple(lines))


def _truncated(doc: Document, markers: set[int]) -> list[int]:
    """Paragraphs that end mid-sentence: the last one, and the last one before each marker.

    "The last one" may be followed by headings, lists, tables or code: a site template's
    related-links section after the text does not hide a cut-off ending.
    """
    blocks = doc.blocks
    ends = {i - 1 for i in markers if i > 0 and i - 1 not in markers}
    for i in range(len(blocks) - 1, -1, -1):
        if i in markers or blocks[i].kind in ("heading", "list_item", "table", "code"):
            continue
        ends.add(i)
        break
    return sorted(i for i in ends if _ends_mid_sentence(blocks[i]))


def _title_block(doc: Document, title: str | None, markers: set[int]) -> int | None:
    if not title:
        return None
    want = " ".join(title.split())
    if len(normalize(want)) < 4:
        return None
    for i, b in enumerate(doc.blocks):
        if i in markers:
            continue
        if b.kind in ("paragraph", "heading") and " ".join(b.text.split()) == want:
            return i
        return None
    return None


# --- dedupe --------------------------------------------------------------------------------


def dedupe(markdown: str) -> str:
    """``markdown`` without marker lines and later copies of repeated blocks.

    Works on source lines: the exact lines of each removed block go, blank-line runs are
    tidied only where something was removed, every other byte stays.  Idempotent.
    """
    from .markdown import parse

    doc = parse(markdown)
    health = inspect(doc)
    keep = set(health.keep)
    drop_blocks = [i for i in range(len(doc.blocks)) if i not in keep]
    if not drop_blocks and not any(f.code == MARKER for f in health.findings):
        return markdown

    lines = markdown.splitlines(keepends=True)
    protected: set[int] = set()
    for i in keep:
        b = doc.blocks[i]
        protected.update(range(b.line, b.end_line + 1))
    remove: set[int] = set()
    for i in drop_blocks:
        b = doc.blocks[i]
        remove.update(x for x in range(b.line, b.end_line + 1) if x not in protected)
    # Embedded markers inside kept blocks: only the marker line itself goes.
    for f in health.findings:
        if f.code == MARKER:
            remove.update(
                x for x in f.lines if 1 <= x <= len(lines) and is_marker_line(lines[x - 1])
            )
    remove = {x for x in remove if 1 <= x <= len(lines)}
    if not remove:
        return markdown
    return "".join(_tidy(lines, remove))


def _blank(line: str) -> bool:
    return not line.strip()


def _tidy(lines: list[str], remove: set[int]) -> list[str]:
    """Drop the 1-based lines in ``remove`` and the blank lines their removal leaves doubled."""
    n = len(lines)
    gone = [False] * (n + 2)
    for x in remove:
        gone[x] = True
    # Blank lines lying only between removed lines belong to the removed region.
    x = 1
    while x <= n:
        if gone[x]:
            y = x + 1
            while y <= n and (gone[y] or _blank(lines[y - 1])):
                y += 1
            # lines x..y-1 are removed or blank; the blanks inside belong to the region only
            # when a removed line follows them.
            last = max(z for z in range(x, y) if gone[z])
            for z in range(x, last + 1):
                gone[z] = True
            x = last + 1
        else:
            x += 1
    # Now tidy the seams.
    x = 1
    while x <= n:
        if not gone[x]:
            x += 1
            continue
        start = x
        while x <= n and gone[x]:
            x += 1
        end = x - 1  # region start..end
        before = start - 1
        blanks_before = 0
        while before >= 1 and not gone[before] and _blank(lines[before - 1]):
            blanks_before += 1
            before -= 1
        has_before = before >= 1
        after = end + 1
        blanks_after: list[int] = []
        while after <= n and not gone[after] and _blank(lines[after - 1]):
            blanks_after.append(after)
            after += 1
        has_after = after <= n
        if not has_after:
            # Removed down to the end: the blank lines before the region go too.
            for z in range(start - blanks_before, start):
                gone[z] = True
            for z in blanks_after:
                gone[z] = True
        elif not has_before or blanks_before:
            for z in blanks_after:
                gone[z] = True
    out = [line for i, line in enumerate(lines, start=1) if not gone[i]]
    if out and lines[-1].endswith(("\n", "\r")) and not out[-1].endswith(("\n", "\r")):
        # The removed tail held the final newline; give it back to the new last line.
        eol = "\r\n" if lines[-1].endswith("\r\n") else lines[-1][-1]
        out[-1] = out[-1] + eol
    return out


# --- fillers -------------------------------------------------------------------------------

_FILLER_SEP = "、，,。.！!？?ー〜~…・ 　\t"
# Addressing the reader: "あなたも…", "皆さん、…", "あなたはどう…" (not "あなたのデータ").
_READER = re.compile(
    r"(あなた|皆さん|皆様|皆さま|みなさん|みなさま|君|みんな)(も|、|,|は、|はどう|は何|はなに)|諸君"
)
_REMARK_END = re.compile(
    r"(ね|よね|ですね|ましたね|でしょう|でしょうか|ませんか|ましたか|ですか|かい|かな|だろう|よ)"
    r"[。.！!？?〜~ー…]*$"
)


_REACTION = re.compile(r"(私|僕|ぼく|俺|筆者)(も|は|の|が)?.{0,40}(思|感じ|驚|反応|印象|感想|戸惑)")


@dataclass(frozen=True)
class _Fillers:
    openers: tuple[str, ...]  # longest first
    patterns: tuple[re.Pattern[str], ...]


@lru_cache(maxsize=8)
def _fillers(extra: tuple[str, ...] = ()) -> _Fillers:
    """The fillers of ``data/fillers.txt``, plus ``extra`` lines in the same syntax."""
    text = resources.files("excerptor").joinpath("data", "fillers.txt").read_text("utf-8")
    openers: list[str] = []
    patterns: list[re.Pattern[str]] = []
    for raw in [*text.splitlines(), *extra]:
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("re:"):
            try:
                patterns.append(re.compile(line[3:]))
            except re.error as exc:
                raise ExcerptorError(
                    f"filler {line!r} is not a valid regular expression: {exc}"
                ) from None
        else:
            openers.append(unicodedata.normalize("NFKC", line))
    return _Fillers(tuple(sorted(set(openers), key=len, reverse=True)), tuple(patterns))


def check_fillers(extra: Sequence[str]) -> None:
    """Raise ExcerptorError when an extra filler line does not compile."""
    _fillers(tuple(extra))


def is_filler(sentence: str, extra: Sequence[str] = ()) -> bool:
    """True when ``sentence`` is content-free chatter such as いやー or 皆さん、こんにちは.

    A sentence is filler when it matches a whole-sentence pattern of ``data/fillers.txt``
    (いかがでしたか, 以上です, …), when nothing of substance is left once its opener
    phrases (いやー, 正直なところ, 皆さん, …) are stripped, or when it is a remark to the
    reader (…あなたも耳にしたでしょう？, …ですよね。) after such an opener or addressed
    to the reader as a question.

    ``extra`` adds filler lines in ``data/fillers.txt``'s syntax: a phrase that opens filler,
    or ``re:`` and a pattern for a whole filler sentence.
    """
    s = unicodedata.normalize("NFKC", sentence).strip()
    if not s:
        return False
    data = _fillers(tuple(extra))
    if any(p.search(s) for p in data.patterns):
        return True
    rest = s
    stripped = False
    while True:
        for opener in data.openers:
            if rest.startswith(opener):
                rest = rest[len(opener) :].lstrip(_FILLER_SEP)
                stripped = True
                break
        else:
            break
    if stripped and any(p.search(rest) for p in data.patterns):
        return True
    content = normalize(rest)
    if stripped and len(content) <= 6:
        return True
    if stripped and _REMARK_END.search(rest) and len(content) <= 60:
        return True
    # …or the writer's own first reaction (正直なところ、私も最初は「またか」と思いました).
    if stripped and _REACTION.search(rest) and len(content) <= 80:
        return True
    # A question or remark put to the reader (あなたも耳にしましたか？, 皆さんも感じているのでは
    # ないでしょうか。) carries no content of its own.
    if _READER.search(rest):
        if re.search(r"[?？]$", s) and len(content) <= 80:
            return True
        return bool(_REMARK_END.search(rest) and len(content) <= 60)
    return False
