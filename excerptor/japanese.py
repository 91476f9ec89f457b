"""Japanese sentences and fugashi tokens (stage 2 of the pipeline).

Sentences (:func:`split_sentences`)
    A linear scan, not one big regex.  A sentence ends after a run of ``。．！？!?``
    (``！？``, ``!!`` and ``。。`` are one run), together with whatever closes it:
    closing brackets and quotes ``」』）】”’"``, a laughter mark ``（笑）``/``(笑)``/``ｗｗ``
    and emoji.  Other rules:

    * Nothing ends inside a bracket pair ``「」『』（）【】［］｛｝〈〉《》〔〕“”‘’()``.  A pair
      only counts when it closes on the same line within :data:`MAX_BRACKET_SPAN` characters,
      so a stray ``「`` cannot swallow the rest of a long text.  ``"`` is too ambiguous to
      pair and is only attached to the sentence it follows.
    * Every line break ends a sentence (Markdown soft breaks, if the caller keeps them as
      ``\\n``, are treated as the author's sentence breaks).
    * ``……``/``⋯``/``...`` end a sentence only before whitespace or an opening bracket
      (``そうか……それなら`` is one sentence); they always stay with their sentence.
    * ``（笑）``, ``(笑)`` (and 泣, 汗, 爆笑, 苦笑, 涙) and ``ｗ``/``w`` runs after Japanese
      text end a sentence: ``楽しかった（笑）次は…`` → ``楽しかった（笑）`` + ``次は…``.
      An emoji run ends a sentence only before whitespace (``今日は☀️です`` stays whole).
    * ASCII ``.`` ends a sentence only before whitespace, the end, or non-Latin text, and
      never after an abbreviation (``Mr.``, ``e.g.``, ``No.``, ``Ver.``, single initials);
      so ``Ver.2.0``, ``3.14``, file names and host names never split.  ASCII ``!?`` do
      not end a sentence before a Latin letter or digit (``?q=1``).  URLs (``scheme://…``,
      ``www.…``) and e-mail addresses are never split.

    Invariant: ``text == w0 + s1 + w1 + … + sN + wN`` where ``s1…sN`` are the sentences
    (non-empty, no leading or trailing whitespace) and every ``wi`` is whitespace only
    (``str.isspace``).  So ``"".join(sentences)`` is the text minus the whitespace between
    sentences (and at its two ends).

Tokens (:func:`content_words`)
    One fugashi ``Tagger`` (unidic-lite) per process, made on first use (:func:`tagger`),
    with a MeCab output format that prints only ``pos1+pos2``, lemma and surface, so no
    Python object is built per morpheme.  Content words are 名詞-普通名詞, 名詞-固有名詞,
    動詞-一般, 形容詞-一般 and 形状詞-一般 (so 非自立可能 verbs and adjectives, 接尾辞,
    接頭辞, 代名詞, 数詞, 副詞, particles and symbols are out), minus :data:`STOP_WORDS`.
    The unidic lemma (語彙素) is used, without its ``-gloss`` (``チップ-chip`` → ``チップ``),
    except that unknown words and proper nouns (whose unidic lemma is a katakana reading,
    東京 → トウキョウ) use their surface, and Latin words use their NFKC-folded, lowercased
    surface (``ＡＩ``, ``AI`` → ``ai``).  Laughter (``ｗｗ``), one-letter Latin tokens and
    numbers are dropped.

    Long inputs are tagged in pieces of at most :data:`CHUNK_CHARS` characters, cut at a
    line break, sentence end or space when there is one, so memory stays bounded (a
    20 MB string costs about as much per character as a short one).

    The MeCab tagger is not thread-safe: use processes, not threads, for parallelism.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from .errors import ExcerptorError

if TYPE_CHECKING:
    import fugashi

__all__ = [
    "CHUNK_CHARS",
    "MAX_BRACKET_SPAN",
    "STOP_WORDS",
    "Tokenizer",
    "content_words",
    "is_fragment",
    "split_sentences",
    "tagger",
    "truncate",
    "unit_words",
    "wraps",
]

# --------------------------------------------------------------------------- sentences

#: A bracket pair longer than this (in characters) does not protect what is inside it.
MAX_BRACKET_SPAN = 300

_PAIRS = {
    "「": "」",
    "『": "』",
    "（": "）",
    "(": ")",
    "【": "】",
    "［": "］",
    "｛": "｝",
    "〈": "〉",
    "《": "》",
    "〔": "〕",
    "〝": "〟",
    "“": "”",
    "‘": "’",
}
_OPENERS = frozenset(_PAIRS)
_CLOSER_OF = {close: open_ for open_, close in _PAIRS.items()}
# Attached to the sentence they follow; ASCII quotes included, though never paired.
_CLOSERS = frozenset(_CLOSER_OF) | {'"', "'", "〟"}
_LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_BRACKET_RE = re.compile(
    "[" + re.escape("".join(_PAIRS) + "".join(_PAIRS.values()) + _LINE_BREAKS) + "]"
)

_STRONG = "。．！？!?‼⁇⁈⁉"
_ELLIPSIS = "…⋯‥"
_TERMINAL_CHARS = _STRONG + _ELLIPSIS + "."
_LAUGH_WORDS = "笑|泣|汗|爆|涙|爆笑|苦笑|大爆笑|怒"
_EMOJI = "\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\u2300-\u23ff\u3030\u303d\u3297\u3299"
_EMOJI_TAIL = _EMOJI + "\ufe0f\ufe0e\u200d\u20e3\U000e0020-\U000e007f"
# One alternative per kind of sentence end; every one is a plain run, so the scan is linear.
_END_RE = re.compile(
    rf"(?P<term>[{re.escape(_TERMINAL_CHARS)}]+)"
    rf"|(?P<laugh>[（(](?:{_LAUGH_WORDS})[）)]|ｗ+|(?<=[^\x00-\x7f])w+)"
    rf"|(?P<emoji>[{_EMOJI}][{_EMOJI_TAIL}]*)"
    rf"|(?P<quote>[{re.escape(''.join(_CLOSER_OF))}])"
    rf"|(?P<br>[{_LINE_BREAKS}])"
)
# The characters any of _END_RE's alternatives starts with: scanning for one of them and
# matching there finds what _END_RE.search finds, without trying five alternatives at every
# position of the text.
_END_FIRST_RE = re.compile(
    "[" + re.escape(_TERMINAL_CHARS + "（(ｗw" + "".join(_CLOSER_OF) + _LINE_BREAKS) + _EMOJI + "]"
)
_TRAILER_RE = re.compile(
    rf"(?:[{re.escape(''.join(_CLOSERS) + _TERMINAL_CHARS)}]"
    rf"|[（(](?:{_LAUGH_WORDS})[）)]|ｗ+|[{_EMOJI_TAIL}]"
    r"|[\u0300-\u036f\u3099\u309a\ufe00-\ufe0f\u200d])+"
)
_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sr jr st mt vs etc e.g i.e cf al fig figs no nos vol vols ver
    p pp ch sec ed eds approx est inc ltd co corp dept jan feb mar apr jun jul aug sep
    sept oct nov dec a.m p.m u.s u.k""".split()
)
_URL_CHARS = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~:/?#[]@!$&'()*+,;=%"
)
_EMAIL_LOCAL = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%+-")
_EMAIL_DOMAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-")


_NON_WORD = re.compile(r"[\W_]+")


def normalize(text: str) -> str:
    """Text for comparison: NFKC, case-folded, without punctuation, symbols or spaces."""
    return _NON_WORD.sub("", unicodedata.normalize("NFKC", text).casefold())


def _is_latin_alnum(ch: str) -> bool:
    return (ch.isascii() and ch.isalnum()) or "\uff10" <= ch <= "\uff5a"


def _bracket_spans(text: str) -> list[tuple[int, int]]:
    """Outermost matched bracket pairs as (open, close) positions, in order."""
    pairs: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    for m in _BRACKET_RE.finditer(text):
        ch, pos = m.group(), m.start()
        if ch in _LINE_BREAKS:
            stack.clear()
        elif ch in _OPENERS:
            stack.append((ch, pos))
        else:
            opener = _CLOSER_OF.get(ch)
            # Bounded search: a closer only reaches a few levels down the stack.
            for depth in range(len(stack) - 1, max(len(stack) - 9, -1), -1):
                if stack[depth][0] == opener:
                    start = stack[depth][1]
                    del stack[depth:]
                    if pos - start <= MAX_BRACKET_SPAN:
                        pairs.append((start, pos))
                    break
    pairs.sort()
    outer: list[tuple[int, int]] = []
    for start, end in pairs:
        if outer and start < outer[-1][1]:
            continue
        outer.append((start, end))
    return outer


def _link_spans(text: str) -> list[tuple[int, int]]:
    """URL and e-mail spans as (start, end) half-open ranges."""
    spans: list[tuple[int, int]] = []
    n = len(text)
    for marker in ("://", "www."):
        i = text.find(marker)
        while i != -1:
            start = i
            if marker == "://":
                while start > 0 and i - start < 12 and text[start - 1].isascii():
                    if not text[start - 1].isalpha():
                        break
                    start -= 1
            end = i + len(marker)
            while end < n and text[end] in _URL_CHARS:
                end += 1
            while end > i + len(marker) and text[end - 1] in ".,!?;:'\"":
                end -= 1
            spans.append((start, end))
            i = text.find(marker, max(end, i + 1))
    i = text.find("@")
    while i != -1:
        start, end = i, i + 1
        while start > 0 and text[start - 1] in _EMAIL_LOCAL:
            start -= 1
        while end < n and text[end] in _EMAIL_DOMAIN:
            end += 1
        while end > i + 1 and text[end - 1] in ".-":
            end -= 1
        if start < i and "." in text[i + 1 : end]:
            spans.append((start, end))
        i = text.find("@", end)
    spans.sort()
    return spans


class _Shield:
    """Answers "is this position protected?" for increasing positions in amortised O(1)."""

    def __init__(self, brackets: list[tuple[int, int]], links: list[tuple[int, int]]):
        # Bracket interiors are open intervals (open, close); links are [start, end).
        self._spans = sorted([(a + 1, b) for a, b in brackets] + links)
        self._i = 0

    def covers(self, pos: int) -> bool:
        spans = self._spans
        while self._i < len(spans) and spans[self._i][1] <= pos:
            self._i += 1
        j = self._i
        # Spans may overlap (a URL inside brackets); look at the few that start before pos.
        while j < len(spans) and spans[j][0] <= pos:
            if pos < spans[j][1]:
                return True
            j += 1
        return False


def _word_before(text: str, pos: int) -> str:
    start = pos
    while start > 0 and pos - start < 12 and (text[start - 1].isascii()):
        ch = text[start - 1]
        if not (ch.isalpha() or ch == "."):
            break
        start -= 1
    return text[start:pos]


def _next_visible(text: str, pos: int) -> str:
    n = len(text)
    while pos < n and text[pos].isspace() and text[pos] not in _LINE_BREAKS:
        pos += 1
    return text[pos] if pos < n else ""


def _list_number_before(text: str, start: int) -> bool:
    """Whether the period at ``start`` closes a number that opens a unit (``1. 概要``, a
    numbered line in bold): a list number, not a sentence."""
    i = start
    while i > 0 and text[i - 1].isdigit():
        i -= 1
    if i == start or start - i > 3:
        return False
    before = text[:i].rstrip(" \t")
    return not before or before[-1] == "\n" or before[-1] in _TERMINAL_CHARS


def _period_ends(text: str, start: int, nx: str) -> bool:
    """Whether the ASCII period at ``start`` ends a sentence, given the next character."""
    if nx and not nx.isspace() and (nx.isascii() or _is_latin_alnum(nx)):
        return False
    if _list_number_before(text, start):
        return False
    word = _word_before(text, start)
    if word:
        bare = word.strip(".").lower()
        if bare in _ABBREVIATIONS or len(bare) == 1:
            return False
        if re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", word):
            return False
    return not (nx.isspace() and _lower_latin_next(text, start + 1))


def _lower_latin_next(text: str, pos: int) -> bool:
    """Whether the next visible character on this line is a lowercase ASCII letter."""
    after = _next_visible(text, pos)
    return after.isascii() and after.islower()


def _ends(text: str, kind: str, start: int, run: str, end: int) -> bool:
    """Whether a sentence-end candidate really ends the sentence."""
    nx = text[end] if end < len(text) else ""
    if not nx:
        return True
    if kind == "laugh":
        return not _is_latin_alnum(nx)
    if kind == "emoji":
        return nx.isspace() or nx in _OPENERS
    if kind == "quote":  # 「はい。」「いいえ。」 are two sentences, 「はい。」と言った one
        if start == 0 or text[start - 1] not in _TERMINAL_CHARS:
            return False
        return nx in _OPENERS or (nx.isspace() and not _lower_latin_next(text, end))
    # kind == "term"
    core = run
    if any(c in _STRONG for c in core):
        if core == "．":
            prev = text[start - 1] if start else ""
            return not (_is_latin_alnum(prev) and _is_latin_alnum(nx))
        if core.isascii() and "." not in core and _is_latin_alnum(nx):
            return False
        return True
    if core == ".":
        return _period_ends(text, start, nx)
    # An ellipsis: ……, ⋯, ‥ or two or more ASCII dots.
    if nx in _OPENERS:
        return True
    return nx.isspace() and not _lower_latin_next(text, end)


def _next_end(text: str, pos: int) -> re.Match[str] | None:
    """``_END_RE.search(text, pos)``, faster."""
    while (first := _END_FIRST_RE.search(text, pos)) is not None:
        m = _END_RE.match(text, first.start())
        if m is not None:
            return m
        pos = first.start() + 1
    return None


# A unit ending with one of these closes itself; after any other (a heading-like line, a list
# item without 。) the next unit starts a new sentence. After a label (動作環境：) or a comma
# the next one runs on.
CLOSING = frozenset("。．.！？!?…‥⋯」』）)】］〉》〕〟”’\"'〜～ｗw")
RUNS_ON = frozenset(":：、，,;；")


def unit_end(text: str) -> str:
    """The character that decides how ``text`` ends: its last one, read past trailing emoji
    and symbols (合格しました。🎉 ends with 。)."""
    for ch in reversed(text):
        if unicodedata.category(ch) not in ("So", "Sk", "Mn", "Cf") and not ch.isspace():
            return ch
    return text[-1] if text else ""


def closes(text: str) -> bool:
    """Whether the unit ``text`` closes itself (…。, 「…」, 合格しました。🎉)."""
    return unit_end(text) in CLOSING


def split_sentences(text: str) -> list[str]:
    """Split plain text into sentences; nothing is dropped, concatenation == text minus spaces
    between sentences."""
    shield = _Shield(_bracket_spans(text), _link_spans(text))
    sentences: list[str] = []
    n = len(text)
    cur = 0  # start of the current sentence (may point at whitespace)
    pos = 0
    while True:
        m = _next_end(text, pos)
        if m is None:
            break
        kind = m.lastgroup
        start = m.start()
        if kind == "br":
            piece = text[cur:start].strip()
            if piece:
                sentences.append(piece)
            cur = pos = start + 1
            continue
        if shield.covers(start) or (
            # A laugh or an emoji only ends a sentence that has words before it.
            kind in ("laugh", "emoji") and (start == cur or text[start - 1].isspace())
        ):
            pos = m.end()
            continue
        end = m.end()
        t = _TRAILER_RE.match(text, end)
        if t is not None:
            end = t.end()
        if _ends(text, kind, start, m.group(), end):
            piece = text[cur:end].strip()
            if piece:
                sentences.append(piece)
            cur = end
        pos = end
    if cur < n:
        piece = text[cur:].strip()
        if piece:
            sentences.append(piece)
    return sentences


# --------------------------------------------------------------------------- tokens

#: Longest piece of text handed to MeCab in one call.
CHUNK_CHARS = 20_000

# pos1+pos2 (unidic) of the morphemes kept as content words.
_CONTENT_POS = ("名詞普通名詞", "名詞固有名詞", "動詞一般", "形容詞一般", "形状詞一般")
_CONTENT_RE = re.compile("^(?:" + "|".join(_CONTENT_POS) + ")\t[^\t\n]*\t[^\t\n]*$", re.MULTILINE)
# MeCab writes "pos1pos2 TAB lemma TAB surface" per morpheme and nothing else; unknown
# words have no lemma.  Quoted so that fugashi's shlex split keeps the backslashes.
_MECAB_ARGS = (
    r"-O '' -F '%f[0]%f[1]\t%f[7]\t%m\n' -U '%f[0]%f[1]\t\t%m\n' "
    r"--bos-format= --eos-format="
)

#: Lemmas (unidic 語彙素, and kana spellings) that carry no topic.
STOP_WORDS: frozenset[str] = frozenset(
    """
    為る する 有る ある 居る いる 成る なる 出来る できる 言う いう 云う 行う おこなう
    思う 於く おく 因る よる 対する 関する 知れる 通ずる 通じる 付く つく 見える 聞く
    れる られる せる させる 貰う もらう 呉れる くれる 上げる あげる 遣る やる 致す いたす
    頂く いただく 下さる くださる 御座る ござる 申す もうす 参る まいる
    事 こと 物 もの 者 様 よう 為 ため 所 ところ 時 とき 方 ほう かた 筈 はず 訳 わけ
    上 うえ 中 なか 内 うち 外 他 ほか 前 後 あと 間 あいだ 際 さい 度 たび 点 目 共 とも
    等 など 今 いま 次 つぎ 皆 みな 多く 以上 以下 自身 感 的 性 化 頃 ころ 場合 ばあい
    辺 へん 通り とおり 分 ぶん 位 くらい 程 ほど 毎 まま 儘 常 つね 由 よし 旨 むね
    非常 本当 ほんと 本当に 一つ 全て すべて 全部 色々 いろいろ 様々 さまざま 沢山 たくさん
    今回 今日 きょう 昨日 明日 以外 自分 じぶん 年 月 日 回 件 個 円 倍 割 歳 週
    http https www com html
    良い よい いい 無い ない 多い 少ない
    """.split()
)


@cache
def tagger() -> fugashi.Tagger:
    """The process's fugashi ``Tagger`` (unidic-lite), created on first use (it cannot be
    pickled: each worker process makes its own).

    Iterating it (``tagger()(text)``) gives fugashi nodes as usual; its ``parse`` prints
    excerptor's compact ``pos1pos2 TAB lemma TAB surface`` lines.
    """
    import fugashi

    return fugashi.Tagger(_MECAB_ARGS)


_UNSAFE_RE = re.compile("[\x00\ud800-\udfff]")


def _mecab_safe(text: str) -> str:
    # MeCab stops at NUL and UTF-8 cannot encode lone surrogates; replace them 1:1 so that
    # character offsets are unchanged.
    if "\x00" in text or not text.isascii() and _UNSAFE_RE.search(text):
        return _UNSAFE_RE.sub(lambda m: " " if m.group() == "\x00" else "\ufffd", text)
    return text


_CHUNK_BREAK_RE = re.compile(r"[\n。．！？!?]|\s")


def _chunks(text: str, size: int = CHUNK_CHARS) -> Iterator[str]:
    """Pieces of at most ``size`` characters, cut after a line break, sentence end or space
    when the last quarter of the piece has one."""
    n = len(text)
    pos = 0
    while n - pos > size:
        limit = pos + size
        cut = -1
        for m in _CHUNK_BREAK_RE.finditer(text, limit - size // 4, limit):
            cut = m.end()
        if cut <= pos:
            cut = _safe_cut(text, limit)
            if cut <= pos:
                cut = limit
        yield text[pos:cut]
        pos = cut
    if pos < n:
        yield text[pos:]


# Word frequencies are Zipfian: caching saves most of the per-morpheme Python work (keyed on
# the whole line, a single string, which the cache hashes without building a tuple).
@lru_cache(maxsize=200_000)
def _lemma(line: str) -> str | None:
    """The normalised lemma of one content morpheme (a ``pos TAB lemma TAB surface`` line of
    MeCab's compact output), or None to drop it."""
    pos, lemma, surface = line.split("\t")
    if not surface.isascii() and any("\uff01" <= c <= "\uffef" for c in surface):
        surface = unicodedata.normalize("NFKC", surface)  # ＡＩ → AI, ｶﾀｶﾅ → カタカナ
    if surface.isascii():
        # Latin: the surface, even where unidic has a katakana lemma (Ｃｈａｔ → チャット).
        word = surface.lower()
        if len(word) < 2 or not any(c.isalpha() for c in word):
            return None
    elif pos == "名詞固有名詞" or not lemma:
        # Unknown words have no lemma; a proper noun's lemma is its reading (東京 → トウキョウ).
        word = surface
    else:
        dash = lemma.find("-")  # チップ-chip → チップ
        word = lemma[:dash] if dash > 0 else lemma
    if word in STOP_WORDS or not word.strip("wｗ"):
        return None
    return word


def _words_in(parsed: str) -> list[str]:
    return [word for word in map(_lemma, _CONTENT_RE.findall(parsed)) if word]


def content_words(text: str) -> list[str]:
    """Lemmas of the content words (nouns, verbs, adjectives) of ``text``, stop words removed,
    Latin lowercased."""
    if not text or text.isspace():
        return []
    parse = tagger().parse
    text = _mecab_safe(text)
    if len(text) <= CHUNK_CHARS:
        return _words_in(parse(text))
    out: list[str] = []
    for piece in _chunks(text):
        out.extend(_words_in(parse(piece)))
    return out


# --------------------------------------------------------------------------- fragments

# A unit opening with one of these (pos1 of its first morpheme) depends on text before it.
_DEPENDENT_START = ("助詞", "助動詞", "接尾辞")
# A unit ending with a particle of these kinds stops mid-clause (…の変換処理は); 終助詞 (ね、よ、
# か) and 準体助詞 (どうするの) end a sentence.
_OPEN_END = ("助詞格助詞", "助詞係助詞", "助詞副助詞", "助詞接続助詞")
_COMMAS = frozenset("、，,")
_PERIODS = frozenset("。．")
# Conjunctions in unidic that only continue a clause: "から始めます", "けど、".
_DEPENDENT_CONJUNCTIONS = frozenset("から けど けれど けれども が で ので のに し って".split())
# Sentence-initial connectives spelt with a particle or an auxiliary: an opener, not a fragment.
_CONNECTIVES = (
    "でも",
    "では",
    "だから",
    "だけど",
    "だけれど",
    "だが",
    "ですが",
    "ですから",
    "だって",
    "なので",
    "ということで",
    "というわけで",
    "というのも",
    "とはいえ",
    "とは言え",
    "とは言って",
    "とはいって",
    "ところで",
    "ところが",
)


def _is_morpheme(line: str) -> bool:
    return bool(line) and not line.startswith("空白")


# MeCab's output for a sentence runs to dozens of lines; the checks read only its ends.
def _head(parsed: str, n: int = 6) -> list[str]:
    """The first ``n`` morphemes of MeCab's compact output (white space left out)."""
    out: list[str] = []
    start, size = 0, len(parsed)
    while len(out) < n and start < size:
        end = parsed.find("\n", start)
        end = size if end == -1 else end
        if _is_morpheme(line := parsed[start:end]):
            out.append(line)
        start = end + 1
    return out


def _tail(parsed: str) -> str:
    """The last morpheme of MeCab's compact output, or ``""``."""
    end = len(parsed)
    while end > 0:
        start = parsed.rfind("\n", 0, end) + 1
        if _is_morpheme(line := parsed[start:end]):
            return line
        end = start - 1
    return ""


def _dependent_start(head: list[str]) -> bool:
    pos, _, surface = head[0].split("\t", 2)
    if surface in _COMMAS or surface in _PERIODS:
        return True
    if pos.startswith(_DEPENDENT_START) or (pos == "接続詞" and surface in _DEPENDENT_CONJUNCTIONS):
        text = "".join(line.rsplit("\t", 1)[-1] for line in head)
        return not text.startswith(_CONNECTIVES)
    return False


def _open_end(last: str) -> bool:
    pos, _, surface = last.split("\t", 2)
    if pos == "助詞接続助詞" and surface in ("て", "で"):
        return False  # a label (転職先について, 振り返って) or a request (見てみて)
    # "…出たので", "Pythonで": だ's continuative で leaves the clause open too.
    return pos.startswith(_OPEN_END) or surface in _COMMAS or (pos == "助動詞" and surface == "で")


def _fragment(parsed: str) -> bool:
    """Whether MeCab's compact output for a unit (see :data:`_MECAB_ARGS`) is a fragment."""
    head = _head(parsed)
    return bool(head) and (_dependent_start(head) or _open_end(_tail(parsed)))


_WRAP_WINDOW = 24  # characters tagged at each side of a line break


def wraps(line: str, next_line: str) -> bool:
    """Whether a line break between two lines of one paragraph only wraps a sentence: the
    line stops mid-clause (…報告しようかなと, …の変換処理は) or the next opens with a
    particle (という…).  Such a break joins; any other one after text without closing
    punctuation ends a unit (a title-like line, a label, a link on its own line)."""
    line, next_line = line.rstrip(), next_line.lstrip()
    if not line or not next_line or line[-1] in _TERMINAL_CHARS or line[-1] in _CLOSERS:
        return False
    parse = tagger().parse
    last = _tail(parse(_mecab_safe(line[-_WRAP_WINDOW:])))
    if last and _open_end(last):
        return True
    head = _head(parse(_mecab_safe(next_line[:_WRAP_WINDOW])))
    return bool(head) and _dependent_start(head)


def is_fragment(unit: str) -> bool:
    """Whether a unit of text is a fragment, not a sentence a reader could start with: it
    opens with a particle, an auxiliary or a suffix (という…, ので…, が…, を…, です…), or with
    ``、``/``。``, as text left where an element was removed does; or it stops mid-clause,
    ending with a case, binding, adverbial or conjunctive particle (…の変換処理は, …ので)
    or ``、``.  Sentence-final particles (ね, よ, か) are a proper end."""
    return unit_words(unit)[1]


def unit_words(unit: str) -> tuple[list[str], bool]:
    """``(content_words(unit), is_fragment(unit))`` with one MeCab pass."""
    text = unit.strip()
    if not text:
        return [], False
    parse = tagger().parse
    text = _mecab_safe(text)
    if len(text) <= CHUNK_CHARS:
        parsed = parse(text)
        return _words_in(parsed), _fragment(parsed)
    pieces = [parse(piece) for piece in _chunks(text)]
    words = [w for parsed in pieces for w in _words_in(parsed)]
    return words, _fragment(pieces[0].split("\n", 1)[0] + "\n" + pieces[-1])


class Tokenizer:
    """A sumy tokenizer for Japanese: ``PlaintextParser.from_string(text, Tokenizer())``."""

    language = "japanese"

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        return tuple(split_sentences(paragraph))

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(content_words(sentence))


# --------------------------------------------------------------------------- truncate

# Not left in front of the ellipsis.
_TRAILING_JUNK = frozenset(
    " \t\n\r\u3000、。，．,.:;：；・…‥⋯!?！？〜～-－―—" + "".join(_OPENERS) + "\"'"
)
_GLUE = re.compile(
    "[\u0300-\u036f\u1ab0-\u1aff\u20d0-\u20ff\u3099\u309a\ufe00-\ufe0f\ufe20-\ufe2f\u200d"
    "\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f\U000e0100-\U000e01ef\udc00-\udfff]"
)
_WINDOW_BEFORE = 96
_WINDOW_AFTER = 48
_LONG_MORPHEME = 40


def _safe_cut(text: str, cut: int) -> int:
    """``cut`` moved left so that it splits no grapheme (combining marks, variation
    selectors, ZWJ emoji sequences, skin tones, flags, surrogate pairs)."""
    while 0 < cut < len(text) and (
        _GLUE.match(text[cut]) or text[cut - 1] == "\u200d" or "\ud800" <= text[cut - 1] <= "\udbff"
    ):
        cut -= 1
    if 0 < cut < len(text) and "\U0001f1e6" <= text[cut] <= "\U0001f1ff":
        run = 0
        while cut - run > 0 and "\U0001f1e6" <= text[cut - run - 1] <= "\U0001f1ff":
            run += 1
        if run % 2:
            cut -= 1
    return cut


def _rstrip_junk(text: str, end: int) -> int:
    while end > 0 and text[end - 1] in _TRAILING_JUNK or end > 0 and text[end - 1].isspace():
        end -= 1
    return end


def _boundaries(text: str, budget: int) -> tuple[int, int]:
    """The last morpheme boundary at or before ``budget`` (-1 if none) and the end of the
    morpheme that crosses ``budget``, tagging only a window around it."""
    start = max(0, budget - _WINDOW_BEFORE)
    if start:
        # Start the window at a space or punctuation, where MeCab's first cut is real.
        m = _CHUNK_BREAK_RE.search(text, start, budget)
        start = m.end() if m is not None else start
    # Unless the window starts at a real break, its first morpheme may be a fragment.
    trusted = start == 0 or text[start - 1].isspace() or text[start - 1] in "。．！？!?、"
    stop = min(len(text), budget + _WINDOW_AFTER)
    window = _mecab_safe(text[start:stop])
    best, crossing = -1, budget
    wpos = 0
    for node in tagger()(window):
        wpos += len(node.white_space)
        surface = node.surface
        if window[wpos : wpos + len(surface)] != surface:
            break  # lost alignment; the boundaries found so far are still right
        wend = wpos + len(surface)
        if start + wend > budget:
            crossing = start + wend
            if trusted:
                best = max(best, min(start + wpos, budget))  # whitespace before it: still a cut
            break
        if trusted:
            best = start + wend
        trusted = True
        wpos = wend
    return best, crossing


def truncate(text: str, max_chars: int, ellipsis: str = "…") -> str:
    """``text`` if it fits, else its longest prefix ending on a morpheme boundary plus ellipsis,
    at most ``max_chars`` characters in all.

    Trailing spaces, punctuation and opening brackets are dropped before the ellipsis.  A
    morpheme longer than the room left (a long URL, an unbroken run of Latin letters) is cut
    between characters instead, never inside a grapheme.  When even the ellipsis does not
    fit (``max_chars < len(ellipsis)``) the prefix alone is returned.  Only a window of
    about 150 characters around the cut is tokenized, so the cost does not grow with
    ``len(text)``.
    """
    if max_chars < 1:
        raise ExcerptorError("max_chars must be at least 1")
    if len(text) <= max_chars:
        return text
    if len(ellipsis) > max_chars:
        ellipsis = ""
    budget = max_chars - len(ellipsis)
    if budget == 0:
        return ellipsis
    best, crossing = _boundaries(text, budget)
    # MeCab may cut between the parts of a grapheme (an emoji ZWJ sequence): never end there.
    end = _rstrip_junk(text, _safe_cut(text, best)) if best > 0 else 0
    # A very long morpheme (a URL, a run of letters) that would leave too little before
    # it is cut between characters instead.
    if end < budget // 2 + 1 and crossing - max(best, 0) > min(budget, _LONG_MORPHEME):
        end = _rstrip_junk(text, _safe_cut(text, budget))
    return text[:end] + ellipsis
