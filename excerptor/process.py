"""One post, one answer: the pure function every front end calls.

    process_post(text_or_bytes, settings, path=None) -> Outcome

black's ``format_file_contents`` to our ``format_file_in_place``: the file's text (or bytes) and
the resolved :class:`~excerptor.settings.Settings` in; the new text, the analysis, the findings
and a status out (``changed`` / ``unchanged`` / ``skipped`` with why / ``error`` with why).
No I/O and no exception for bad input: ``rewrite``, ``lint``, ``analyze``, ``jsonl`` (the
Jekyll plugin's protocol), ``report`` and the pre-commit hooks all call it, so they cannot
disagree.

The post's own front matter is the last layer of settings (:func:`excerptor.settings.for_post`);
``keep_existing`` decides what happens to a value already set:

* ``good`` (default): an excerpt is kept unless it has a defect excerptor can name
  (:func:`excerptor.defects.existing_excerpt_defects`); ``reading_time`` is a measurement and
  is recomputed;
* ``all``: every value already set is kept; only missing or empty fields are filled in;
* ``none``: both fields are recomputed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from .errors import ExcerptorError
from .settings import KEEP_ALL, KEEP_GOOD, Settings, for_post

CHANGED, UNCHANGED, SKIPPED, ERROR = "changed", "unchanged", "skipped", "error"
NO_FRONT_MATTER = "no front matter"
NOT_A_POST = "not a post (no front matter)"  # a file met in a folder
SECTION_PAGE = "a section page (_index), not a post"  # Hugo's
#: Reasons to skip a file that is not counted as a post.
NOT_POSTS = (NO_FRONT_MATTER, NOT_A_POST, SECTION_PAGE)
READING_TIME = "reading-time-mismatch"
EXCERPT_DEFECT = "excerpt-defect"
#: An existing excerpt that shows a sentence the site repeats (``boilerplate``).
BOILERPLATE = "boilerplate"


@dataclass(frozen=True)
class Finding:
    """One problem in a post, with lines of the file (front matter included)."""

    line: int  # first line concerned (0 when there is none)
    code: str
    message: str
    lines: tuple[int, ...] = ()  # every line concerned


@dataclass(frozen=True)
class Outcome:
    """What excerptor makes of one post file."""

    status: str  # "changed", "unchanged", "skipped" or "error"
    reason: str = ""  # why it was skipped, or the error
    text: str | None = None  # the new text (without BOM) when changed
    bom: bool = False  # the file starts with a UTF-8 BOM (write it back)
    fields: dict[str, Any] = field(default_factory=dict)  # field -> value the post shows now
    updates: dict[str, Any] = field(default_factory=dict)  # fields written (a subset)
    kept: tuple[str, ...] = ()  # fields left as they were, by keep_existing
    findings: tuple[Finding, ...] = ()
    analysis: Any = None  # excerptor.pipeline.Analysis of the body, when it was analyzed
    title: str | None = None

    @property
    def failed(self) -> bool:
        return self.status == ERROR

    def to_json(self) -> dict[str, Any]:
        """A JSON-able dict (:meth:`from_json` gives the outcome back)."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Outcome:
        from .health import Finding as BodyFinding
        from .pipeline import Analysis, Counts

        data = dict(data)
        data["findings"] = tuple(
            Finding(f["line"], f["code"], f["message"], tuple(f["lines"])) for f in data["findings"]
        )
        data["kept"] = tuple(data["kept"])
        a = data.get("analysis")
        if a is not None:
            a = dict(a)
            a["counts"] = Counts(**a["counts"])
            a["warnings"] = [
                BodyFinding(w["code"], w["message"], tuple(w["lines"])) for w in a["warnings"]
            ]
            data["analysis"] = Analysis(**a)
        return cls(**data)


def process_post(
    data: str | bytes,
    settings: Settings,
    path: str | None = None,
    *,
    bare: bool = False,
    analysis: Any = None,
) -> Outcome:
    """The outcome of one post file under ``settings``; never raises for bad input.

    ``bare``: text without front matter is analyzed as a body (``excerptor analyze``) instead
    of being skipped. ``analysis``: an analysis of this post's body made before under the same
    settings (``rewrite`` passes the one it wrote, to record the written file as up to date).
    """
    try:
        return _process(data, settings, path, bare, analysis)
    except ExcerptorError as exc:
        return Outcome(ERROR, exc.message)
    except RecursionError:
        return Outcome(ERROR, "post is nested too deeply to analyze")


def _process(
    data: str | bytes, settings: Settings, path: str | None, bare: bool, known: Any
) -> Outcome:
    from .files import decode
    from .patcher import patch, read_post

    if isinstance(data, (bytes, bytearray)):
        text, bom = decode(bytes(data), path)
    elif isinstance(data, str):
        text, bom = data.removeprefix("\ufeff"), data.startswith("\ufeff")
    else:
        raise ExcerptorError(f"a post must be text or bytes, not {type(data).__name__}")
    if not text.startswith(("---", "+++")):  # a broken opening line is an error, below
        if not bare:
            return Outcome(SKIPPED, NO_FRONT_MATTER, bom=bom)
        result = _analyze(text, settings, None, known)
        return Outcome(
            SKIPPED,
            NO_FRONT_MATTER,
            bom=bom,
            findings=_body_findings(result, 0),
            analysis=result,
        )
    post = read_post(text, path, require_body=False)
    meta = post.metadata
    own = for_post(settings, meta)
    if own.skip:
        return Outcome(SKIPPED, own.skip, bom=bom)
    s = own.settings
    for name in own.fields:
        if name in post.duplicates:
            first, last = post.duplicates[name]
            raise ExcerptorError(
                f"front matter has the key {name!r} twice (lines {first} and {last}); "
                "keep one of them"
            )
    body = post.body
    if not body.strip():
        raise ExcerptorError("empty body (nothing but white space after the front matter)")
    new_body = body
    if s.dedupe:
        from .health import dedupe

        new_body = dedupe(body)
    title = meta.get("title") if isinstance(meta.get("title"), str) else None
    result = _analyze(new_body, s, title, known)
    if not result.excerpt and result.reading_time == 0:
        raise ExcerptorError("the body has no text a reader sees; fields left as they are")
    computed: dict[str, Any] = {}
    if result.excerpt and s.excerpt_field:
        computed[s.excerpt_field] = result.excerpt
    if result.reading_time > 0 and s.reading_time_field:
        computed[s.reading_time_field] = result.reading_time

    head = text[: len(text) - len(body)]  # the front matter, delimiters included
    findings = list(_body_findings(result, head.count("\n")))
    findings += _stated_time(meta, s, result, head)
    defects = _excerpt_defects(meta, s, title, new_body, result.excerpt) if s.excerpt_field else []
    if defects:
        line = _key_line(head, s.excerpt_field)
        findings.append(
            Finding(
                line,
                EXCERPT_DEFECT,
                f"the {s.excerpt_field} in the front matter has defects: {', '.join(defects)}",
                (line,),
            )
        )

    kept: list[str] = []
    shown: dict[str, Any] = {}
    updates: dict[str, Any] = {}
    for name in own.fields:
        existing = meta.get(name)
        if _keep(name, existing, s, defects):
            kept.append(name)
            shown[name] = existing
        elif name in computed:
            shown[name] = value = computed[name]
            if not (type(existing) is type(value) and existing == value):
                updates[name] = value
    new_text = patch(post, updates) if updates else post.text
    if new_body != body:
        new_text = new_text[: len(new_text) - len(body)] + new_body
    status = CHANGED if new_text != post.text else UNCHANGED
    return Outcome(
        status,
        text=new_text if status == CHANGED else None,
        bom=bom,
        fields=shown,
        updates=updates,
        kept=tuple(kept),
        findings=tuple(sorted(findings, key=lambda f: (f.line, f.code))),
        analysis=result,
        title=title,
    )


def _analyze(body: str, settings: Settings, title: str | None, known: Any) -> Any:
    if known is not None:
        return known
    from .pipeline import analyze_body

    return analyze_body(body, settings, title)


def _keep(name: str, existing: Any, s: Settings, defects: list[str]) -> bool:
    """Whether an existing value of field ``name`` stays, under ``s.keep_existing``."""
    if existing is None or (isinstance(existing, str) and not existing.strip()):
        return False
    if s.keep_existing == KEEP_ALL:
        return True
    if s.keep_existing == KEEP_GOOD and name == s.excerpt_field:
        return isinstance(existing, str) and not defects
    return False


def _excerpt_defects(
    meta: dict, s: Settings, title: str | None, body: str, computed: str
) -> list[str]:
    existing = meta.get(s.excerpt_field)
    if not isinstance(existing, str) or not existing.strip() or existing == computed:
        return []  # none, or excerptor's own
    from .defects import existing_excerpt_defects
    from .markdown import PROSE_KINDS, parse

    blocks = parse(body).blocks
    first = next((b.text for b in blocks if b.kind in PROSE_KINDS and b.text.strip()), None)
    source = "\n".join(b.text for b in blocks if b.kind != "code")
    found = existing_excerpt_defects(
        existing,
        title=title,
        max_chars=s.max_chars,
        first_paragraph=first,
        source=source,
        fillers=s.fillers,
    )
    if s.boilerplate and _shows_boilerplate(existing, s.boilerplate):
        found.append(BOILERPLATE)
    return found


def _shows_boilerplate(excerpt: str, boilerplate: tuple[str, ...]) -> bool:
    """Whether a sentence of ``excerpt`` is site boilerplate (a notice an earlier run, or an
    author, put there)."""
    from .japanese import normalize, split_sentences

    return not {normalize(s) for s in split_sentences(excerpt)}.isdisjoint(boilerplate)


def _body_findings(result: Any, offset: int) -> tuple[Finding, ...]:
    """The analysis's health warnings, on lines of the file."""
    return tuple(
        Finding(
            w.lines[0] + offset if w.lines else 0,
            w.code,
            w.message,
            tuple(x + offset for x in w.lines),
        )
        for w in result.warnings
    )


def reading_time_far(stated: int, computed: int) -> bool:
    """True when a front-matter reading time is far from the computed one: off by at least 3
    minutes and by more than a factor of 1.5 either way (rounding and another words-per-minute
    do not count)."""
    if abs(stated - computed) < 3:
        return False
    low, high = sorted((max(stated, 1), max(computed, 1)))
    return high / low > 1.5


def _stated_minutes(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _stated_time(meta: dict, s: Settings, result: Any, head: str) -> list[Finding]:
    if not s.reading_time_field:
        return []
    stated = _stated_minutes(meta.get(s.reading_time_field))
    computed = result.reading_time
    if stated is None or not reading_time_far(stated, computed):
        return []
    unique = result.reading_time_without_repeats
    extra = f" ({unique} without repeats)" if unique != computed else ""
    line = _key_line(head, s.reading_time_field)
    message = (
        f"front matter says {s.reading_time_field}: {stated}, the text takes {computed} min{extra}"
    )
    return [Finding(line, READING_TIME, message, (line,))]


def _key_line(head: str, key: str) -> int:
    """1-based line of a top-level ``key`` in the front matter, or 1."""
    for n, line in enumerate(head.splitlines(), start=1):
        if line.startswith(key) and line[len(key) :].lstrip()[:1] in (":", "="):
            return n
    return 1
