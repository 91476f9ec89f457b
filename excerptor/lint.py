"""``excerptor lint [PATH ...]``: report generation artifacts and stale fields in posts, for CI
and pre-commit.

Each post goes through :func:`excerptor.process.process_post` with the same settings as
``rewrite`` (so the reading-time check and the excerpt check agree with what ``rewrite``
would write); nothing is written. With no PATH inside a site, its folders of posts. Exit
status: 0 clean, 1 something found (or a file could not be read), 2 usage error. Line numbers
are lines of the file (front matter included).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, dataclass
from typing import Any

from .options import Setup, add_run_arguments, add_setting_arguments, usage

READING_TIME = "reading-time-mismatch"
#: Every finding code lint may report.
CODES = (
    "marker-line",
    "repeated-block",
    "truncated-ending",
    "title-as-text",
    "reading-time-mismatch",
    "excerpt-defect",
)


@dataclass(frozen=True)
class Problem:
    """One row of lint output."""

    path: str
    line: int  # first file line (0 when there is none)
    code: str
    message: str
    lines: tuple[int, ...] = ()  # every file line concerned


def lint_text(text: str, path: str = "-", settings: Any = None) -> list[Problem]:
    """The problems ``lint`` reports for one post's text (front matter optional; text without
    it is a body). Pure; ExcerptorError for a post that cannot be read."""
    from .errors import ExcerptorError
    from .process import ERROR, process_post
    from .settings import Settings

    outcome = process_post(text, settings or Settings(), path, bare=True)
    if outcome.status == ERROR:
        raise ExcerptorError(outcome.reason, path)
    return [Problem(path, f.line, f.code, f.message, f.lines) for f in outcome.findings]


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "lint",
        help="report generation artifacts (---END--- lines, repeated blocks, cut-off endings) "
        "and stale excerpt / reading_time fields in posts",
        description="Report generation artifacts and stale fields in posts. With no PATH "
        "inside a Jekyll or Hugo site: its folders of posts. Exit 0 when clean, 1 when "
        "something is found or a file cannot be read, 2 on usage errors.",
    )
    p.add_argument("paths", nargs="*", metavar="PATH", help="post files or folders of posts")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.add_argument(
        "--ignore",
        action="append",
        default=[],
        metavar="CODE",
        help=f"leave out a finding code ({', '.join(CODES)}); may be repeated or comma-separated",
    )
    add_setting_arguments(p)
    add_run_arguments(p, verbosity=False)
    p.set_defaults(run=run)


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


def ignored(values: list[str]) -> set[str]:
    """The codes of ``--ignore`` options; ExcerptorError for an unknown one."""
    from .errors import ExcerptorError
    from .settings import unknown

    codes = {c.strip() for item in values for c in item.split(",") if c.strip()}
    for code in sorted(codes):
        if code not in CODES:
            raise ExcerptorError("--ignore: " + unknown(code, CODES, "finding code"))
    return codes


def run(args: argparse.Namespace) -> int:
    from .errors import ExcerptorError
    from .files import walk
    from .process import ERROR, SKIPPED
    from .runner import run as run_all

    try:
        ignore = ignored(args.ignore)
        setup = Setup(args, args.paths)
        paths = setup.paths(args.paths)
    except ExcerptorError as exc:
        return usage("lint", str(exc))
    found = walk(paths, follow_symlinks=args.follow_symlinks)
    problems: list[Problem] = []
    errors: list[tuple[str, str]] = []
    files = 0
    for task, outcome in run_all(
        setup.tasks(found), setup.settings, jobs=setup.jobs, cache=setup.cache
    ):
        if outcome.status == SKIPPED:
            continue
        files += 1
        if outcome.status == ERROR:
            errors.append((task.name, outcome.reason))
            print(f"excerptor: {task.name}: {outcome.reason}", file=sys.stderr)
            continue
        problems.extend(
            Problem(task.name, f.line, f.code, f.message, f.lines)
            for f in outcome.findings
            if f.code not in ignore
        )
    flagged = len({p.path for p in problems})
    if args.json:
        out = {
            "files": files,
            "flagged": flagged,
            "problems": [asdict(p) for p in problems],
            "errors": [{"path": path, "message": message} for path, message in errors],
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
