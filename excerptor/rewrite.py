"""``excerptor rewrite [PATH ...]``: recompute ``excerpt`` and ``reading_time`` in posts.

Files and folders (recursively); with no PATH inside a Jekyll or Hugo site, its folders of
posts. Each file goes through :func:`excerptor.process.process_post` (in a pool, with the
cache: :func:`excerptor.runner.run`); only the two fields' values change, byte for byte, and
a file that needs no change is never written. Exit status: 0 all well, 1 a file failed (or
would change, with ``--check``), 2 bad usage.

Only the standard library is imported at module level: cli builds its parser from here.
"""

from __future__ import annotations

import argparse
import os
import stat
import sys
from typing import Any

from .options import Setup, add_run_arguments, add_setting_arguments, usage


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "rewrite",
        help="recompute excerpt and reading_time in the front matter of posts",
        description="Recompute the excerpt and reading_time fields in the front matter of "
        "posts (.md, .markdown, .mdx, .html with --- YAML or +++ TOML front matter). With no "
        "PATH inside a Jekyll or Hugo site: its folders of posts. Settings come from the "
        "site's config (`excerptor:` in _config.yml, [params.excerptor] in hugo.toml); "
        "options given here win; a post's own `excerptor:` front matter wins over both. "
        "Exit 0 when all went well, 1 when a file failed (or, with --check, would change), "
        "2 on usage errors.",
    )
    p.add_argument("paths", nargs="*", metavar="PATH", help="post files or folders of posts")
    mode = p.add_argument_group("mode")
    mode.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if any file would change"
    )
    mode.add_argument("--diff", action="store_true", help="print a unified diff; write nothing")
    mode.add_argument(
        "--dedupe",
        action="store_true",
        help="also remove generation artifacts (end markers, repeated blocks) from the body",
    )
    add_setting_arguments(p)
    add_run_arguments(p)
    p.set_defaults(run=run)


class _Reporter:
    """Messages on stderr (through tqdm while a bar is shown), diffs on stdout."""

    def __init__(self, total: int, *, quiet: bool, verbose: bool) -> None:
        self.quiet, self.verbose = quiet, verbose
        self.bar: Any = None
        if not quiet and total > 1 and sys.stderr.isatty():
            from tqdm import tqdm

            tqdm.monitor_interval = 0  # no monitor thread: the pool forks
            self.bar = tqdm(total=total, file=sys.stderr, delay=1, unit="post", leave=False)

    def line(self, text: str) -> None:
        if self.bar is not None:
            self.bar.write(text, file=sys.stderr)
        else:
            print(text, file=sys.stderr)

    def error(self, path: str, message: str) -> None:
        self.line(f"excerptor: error: {path}: {message}")

    def info(self, text: str) -> None:
        if self.verbose:
            self.line(text)

    def note(self, text: str) -> None:
        if not self.quiet:
            self.line(text)

    def step(self) -> None:
        if self.bar is not None:
            self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def diff(path: str, old: str, new: str) -> str:
    """A unified diff of a post's old and new text."""
    import difflib

    def lines(text: str) -> list[str]:
        out = text.splitlines(keepends=True)
        if out and not out[-1].endswith("\n"):
            out[-1] += "\n\\ No newline at end of file\n"
        return out

    return "".join(
        difflib.unified_diff(lines(old), lines(new), f"{path}\t(original)", f"{path}\t(rewritten)")
    )


def _read_only(path: str) -> bool:
    try:
        st = os.stat(path)
    except OSError:
        return False
    # root may write anything (os.access says yes); a file with no write bit is still meant
    # to stay as it is.
    return not os.access(path, os.W_OK) or not st.st_mode & (
        stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH
    )


def run(args: argparse.Namespace) -> int:
    from .errors import ExcerptorError

    try:
        setup = Setup(args, args.paths)
        paths = setup.paths(args.paths)
    except ExcerptorError as exc:
        return usage("rewrite", str(exc))
    return process(paths, args, setup)


def process(paths: list[str], args: argparse.Namespace, setup: Setup) -> int:
    """Rewrite (or check, or diff) the posts under ``paths``; the exit status."""
    from .files import walk
    from .runner import run as run_all

    write = not (args.check or args.diff)
    found = walk(paths, follow_symlinks=args.follow_symlinks)
    report = _Reporter(len(found.files), quiet=args.quiet, verbose=args.verbose)
    counts = {"changed": 0, "unchanged": 0, "error": 0}
    if write and found.temp_files:
        from .atomic import remove_stale_temp

        for tmp in found.temp_files:
            # A temp file that a concurrent run is still writing is locked: it stays.
            if remove_stale_temp(tmp):
                report.info(f"removed stale temp file {tmp}")
    for path, why in found.skipped:
        report.info(f"skipped {path}: {why}")

    outcomes = run_all(setup.tasks(found), setup.settings, jobs=setup.jobs, cache=setup.cache)
    try:
        for task, outcome in outcomes:
            report.step()
            status = _conclude(task, outcome, args, setup, write, report)
            if status:
                counts[status] += 1
    finally:
        report.close()
    total = sum(counts.values())
    verb = "would change" if not write else "changed"
    errors = counts["error"]
    report.note(
        f"{total} file{'s' if total != 1 else ''}, {counts['changed']} {verb}, "
        f"{counts['unchanged']} unchanged, {errors} error{'s' if errors != 1 else ''}"
    )
    return 1 if errors or (args.check and counts["changed"]) else 0


def _conclude(task: Any, outcome: Any, args: Any, setup: Setup, write: bool, report: Any) -> str:
    """Report (and write) one post; the status it counts as ("" for a file that is not a post)."""
    from .errors import ExcerptorError
    from .process import CHANGED, ERROR, NO_FRONT_MATTER, NOT_POSTS, SKIPPED

    path = task.name
    if outcome.status == SKIPPED and outcome.reason in NOT_POSTS:
        # Named files are noted (pre-commit passes them); files met in a folder only with -v.
        (report.note if outcome.reason == NO_FRONT_MATTER else report.info)(
            f"skipped {path}: {outcome.reason}"
        )
        return ""
    if outcome.status == SKIPPED:
        report.info(f"skipped {path}: {outcome.reason}")
        return "unchanged"
    if outcome.status == ERROR:
        report.error(path, outcome.reason)
        return "error"
    for finding in outcome.findings:
        report.info(f"{path}:{finding.line}: warning: {finding.code}: {finding.message}")
    if outcome.status != CHANGED:
        report.info(f"unchanged {path}")
        return "unchanged"
    if args.diff:
        old = task.data.decode("utf-8-sig") if isinstance(task.data, bytes) else task.data
        sys.stdout.write(diff(path, old, outcome.text))
        sys.stdout.flush()
    if args.check:
        report.note(f"would change {path}")
        return "changed"
    if not write:
        report.info(f"would change {path}")
        return "changed"
    try:
        _write(path, outcome, setup)
    except ExcerptorError as exc:
        report.error(path, exc.message)
        return "error"
    report.info(f"changed {path}")
    return "changed"


def _write(path: str, outcome: Any, setup: Setup) -> None:
    """Write a changed post atomically, and record the written bytes as up to date."""
    from .atomic import write_atomic
    from .errors import ExcerptorError

    if _read_only(path):
        raise ExcerptorError("file is read-only; not changed")
    data = write_atomic(path, outcome.text, bom=outcome.bom)
    if setup.cache is not None:
        from .process import process_post
        from .runner import cache_key

        settled = process_post(data, setup.settings, path, analysis=outcome.analysis)
        setup.cache.put(cache_key(setup.cache, data, setup.settings), settled.to_json())
