"""``excerptor lint [PATH ...]``: report generation artifacts in posts, for CI and pre-commit.

Fast: Markdown parsing, :func:`excerptor.health.inspect` and the reading-time count only,
never the summarizer.  Exit status: 0 clean, 1 something found (or a file could not be
read), 2 usage error.  Line numbers are lines of the file (front matter included).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from dataclasses import asdict, dataclass

READING_TIME = "reading-time-mismatch"


@dataclass(frozen=True)
class Problem:
    """One row of lint output."""

    path: str
    line: int  # first file line (0 when there is none)
    code: str
    message: str
    lines: tuple[int, ...] = ()  # every file line concerned


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "lint",
        help="report generation artifacts (---END--- lines, repeated blocks, cut-off endings, "
        "a stale reading_time) in posts",
        description="Report generation artifacts in posts. Exit 0 when clean, 1 when something "
        "is found or a file cannot be read, 2 on usage errors.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="post files or folders of posts")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.add_argument(
        "--ignore",
        action="append",
        default=[],
        metavar="CODE",
        help="leave out a finding code (marker-line, repeated-block, truncated-ending, "
        "title-as-text, reading-time-mismatch); may be repeated or comma-separated",
    )
    p.set_defaults(run=run)


def iter_posts(paths: list[str]) -> Iterator[str]:
    """Files named on the command line, and the post files under named folders (sorted,
    found as ``rewrite`` finds them); a missing path is yielded so that it is reported."""
    from .files import walk

    found = walk(paths)
    yield from found.missing
    for path, _explicit in found.files:
        yield path


def reading_time_far(stated: int, computed: int) -> bool:
    """True when a front-matter reading time is far from the computed one.

    Far means off by at least 3 minutes and by more than a factor of 1.5 either way, so
    that rounding and a different words-per-minute do not count.
    """
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


def _key_line(front: str, key: str) -> int:
    """1-based line of a top-level ``key`` in the front-matter text, or 1."""
    for n, line in enumerate(front.splitlines(), start=1):
        stripped = line.lstrip("\ufeff")
        if stripped.startswith(key) and stripped[len(key) :].lstrip()[:1] in (":", "="):
            return n
    return 1


def lint_text(text: str, path: str = "-") -> list[Problem]:
    """Problems in one post's text (front matter optional). Raises ExcerptorError."""
    from . import health, markdown, readtime
    from .post import read_post

    meta: dict = {}
    if text.lstrip("\ufeff").startswith(("---", "+++")):
        post = read_post(text, path, require_body=False)
        body, meta = post.body, post.metadata
    else:
        body = text
    head = text[: len(text) - len(body)]
    offset = head.count("\n")

    doc = markdown.parse(body)
    title = meta.get("title")
    report = health.inspect(doc, title=title if isinstance(title, str) else None)
    problems = [
        Problem(
            path,
            f.lines[0] + offset if f.lines else 0,
            f.code,
            f.message,
            tuple(x + offset for x in f.lines),
        )
        for f in report.findings
    ]

    stated = _stated_minutes(meta.get("reading_time"))
    if stated is not None:
        computed = readtime.minutes(readtime.count_document(doc))
        if reading_time_far(stated, computed):
            unique = readtime.minutes(readtime.count_document(doc, report.keep))
            extra = f" ({unique} without repeats)" if unique != computed else ""
            line = _key_line(head, "reading_time")
            problems.append(
                Problem(
                    path,
                    line,
                    READING_TIME,
                    f"front matter says reading_time: {stated}, the text takes "
                    f"{computed} min{extra}",
                    (line,),
                )
            )
    return sorted(problems, key=lambda p: (p.line, p.code))


def _read(path: str) -> str:
    from .post import read_text

    return read_text(path)[0]


def _also(lines: tuple[int, ...], n: int = 5) -> str:
    rest = lines[1:]
    if not rest:
        return ""
    shown = ", ".join(str(x) for x in rest[:n])
    return f" (also line{'s' if len(rest) > 1 else ''} {shown}{', …' if len(rest) > n else ''})"


def format_table(problems: list[Problem]) -> str:
    """Aligned columns: path, line, code, message."""
    rows = [("path", "line", "code", "message")] + [
        (p.path, str(p.line), p.code, p.message + _also(p.lines)) for p in problems
    ]
    w0 = max(len(r[0]) for r in rows)
    w1 = max(len(r[1]) for r in rows)
    w2 = max(len(r[2]) for r in rows)
    return "\n".join(f"{r[0]:<{w0}}  {r[1]:>{w1}}  {r[2]:<{w2}}  {r[3]}".rstrip() for r in rows)


def run(args: argparse.Namespace) -> int:
    from .errors import ExcerptorError

    ignore = {c.strip() for item in args.ignore for c in item.split(",") if c.strip()}
    problems: list[Problem] = []
    errors: list[ExcerptorError] = []
    files = 0
    for path in iter_posts(args.paths):
        files += 1
        try:
            found = lint_text(_read(path), path)
        except ExcerptorError as exc:
            if exc.path is None:
                exc.path = path
            errors.append(exc)
            print(f"excerptor: {exc}", file=sys.stderr)
            continue
        problems.extend(p for p in found if p.code not in ignore)

    flagged = len({p.path for p in problems})
    if args.json:
        out = {
            "files": files,
            "flagged": flagged,
            "problems": [asdict(p) for p in problems],
            "errors": [{"path": e.path, "message": e.message} for e in errors],
        }
        json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        if problems:
            print(format_table(problems))
        s = "s" if files != 1 else ""
        print(
            f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in {flagged} of "
            f"{files} file{s}" + (f"; {len(errors)} unreadable" if errors else "")
        )
    return 1 if problems or errors else 0
