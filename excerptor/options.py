"""Command-line options shared by the commands, with the names of
:class:`excerptor.settings.Settings` (``--max-chars`` is ``max_chars``), and the run's set-up:
the site, the settings, the cache and the files. Standard library only.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .errors import ExcerptorError

# flag, setting, type, help
SETTING_FLAGS: tuple[tuple[str, str, Any, str], ...] = (
    ("--max-chars", "max_chars", int, "longest excerpt in characters (default 120)"),
    ("--sentences", "sentences", int, "sentences in a summary (default 3)"),
    ("--algorithm", "algorithm", str, "summary algorithm (default lead_centrality)"),
    ("--cjk-cpm", "cjk_chars_per_minute", float, "CJK characters read a minute (default 500)"),
    ("--wpm", "words_per_minute", float, "Latin words read a minute (default 250)"),
    ("--code-lpm", "code_lines_per_minute", float, "code lines skimmed a minute (default 30)"),
    (
        "--excerpt-field",
        "excerpt_field",
        str,
        'front-matter field of the excerpt (default excerpt; Hugo: summary); "" leaves it alone',
    ),
    (
        "--reading-time-field",
        "reading_time_field",
        str,
        'front-matter field of the reading time (default reading_time); "" leaves it alone',
    ),
)


def add_setting_arguments(parser: argparse.ArgumentParser, *, fields: bool = True) -> None:
    """The settings flags (their defaults come from the site's config, then Settings)."""
    group = parser.add_argument_group("settings (override the site's config)")
    for flag, dest, kind, text in SETTING_FLAGS:
        if fields or not dest.endswith("_field"):
            metavar = "NAME" if kind is str else "N"
            group.add_argument(flag, dest=dest, type=kind, default=None, metavar=metavar, help=text)
    group.add_argument(
        "--filler",
        dest="fillers",
        action="append",
        default=None,
        metavar="PHRASE",
        help="one more filler opener, or re:PATTERN for a whole filler sentence (repeatable)",
    )
    group.add_argument(
        "--learn-boilerplate",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="leave out of excerpts the sentences many posts of the site repeat (default: on)",
    )
    if fields:
        group.add_argument(
            "--keep-existing",
            choices=("good", "all", "none"),
            default=None,
            help="a value already in the front matter: keep a good excerpt and recompute the "
            "reading time (good, the default), keep every value (all), or recompute both (none)",
        )


def add_run_arguments(parser: argparse.ArgumentParser, *, verbosity: bool = True) -> None:
    group = parser.add_argument_group("running")
    group.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=None,
        metavar="N",
        help="worker processes (default: cores)",
    )
    group.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    group.add_argument("--cache-dir", default=None, metavar="DIR")
    group.add_argument(
        "--follow-symlinks",
        action="store_true",
        help="follow symlinked folders, and symlinks to files outside the folder given",
    )
    if verbosity:
        out = group.add_mutually_exclusive_group()
        out.add_argument("-q", "--quiet", action="store_true", help="print errors only")
        out.add_argument("-v", "--verbose", action="store_true", help="a line for every file")


def options_of(args: argparse.Namespace) -> dict[str, Any]:
    """The settings given on the command line (None: not given)."""
    names = [dest for _, dest, _, _ in SETTING_FLAGS]
    names += ["fillers", "keep_existing", "dedupe", "learn_boilerplate"]
    out = {name: getattr(args, name, None) for name in names}
    if out.get("dedupe") is False:
        out["dedupe"] = None  # a flag not given leaves the site's setting
    return out


class Setup:
    """A command's run: the site (if any), the resolved settings, the cache and the jobs.

    In a site, the settings hold the boilerplate learned from the site's posts (unless
    ``learn_boilerplate`` is off, or ``learn`` is False: a post read from stdin)."""

    def __init__(self, args: argparse.Namespace, paths: list[str], *, learn: bool = True) -> None:
        from .config import check_cache_dir, site_for
        from .settings import resolve

        self.site = site_for(paths)
        given = options_of(args)
        self.settings = self.site.settings(given) if self.site is not None else resolve(None, given)
        options = self.site.options if self.site is not None else {}
        jobs = args.jobs if getattr(args, "jobs", None) is not None else options.get("jobs", 0)
        if type(jobs) is not int or jobs < 0:
            raise ExcerptorError("jobs must be 0 (one per CPU) or more")
        self.jobs = jobs
        self.cache: Any = None
        if not getattr(args, "no_cache", False):
            from .cache import Cache

            if getattr(args, "cache_dir", None):
                folder = Path(args.cache_dir)
                if self.site is not None:
                    check_cache_dir(folder, self.site.post_dirs, "--cache-dir")
                self.cache = Cache(folder)
            elif self.site is not None and self.site.cache_dir is not None:
                self.cache = Cache(self.site.cache_dir)
            else:
                self.cache = Cache.default()
        if self.site is not None and learn and self.settings.learn_boilerplate:
            self.settings = self.site.learned_settings(given, cache=self.cache, jobs=self.jobs)

    def paths(self, given: list[str]) -> list[str]:
        """``given``, or the site's folders of posts when none is given."""
        if given:
            return list(given)
        if self.site is None:
            raise ExcerptorError("no PATH given and not in a Jekyll or Hugo site")
        return [os.path.relpath(d) for d in self.site.post_dirs if d.is_dir()]

    def tasks(self, found: Any, *, bare: bool = False) -> Iterator[Any]:
        """Tasks for :func:`excerptor.runner.run`: the post files a walk found, read lazily.

        Files found in folders are taken only when they open with front matter (others are
        not posts); files named are always taken (a file without front matter is skipped with
        a note). Missing paths become error outcomes, so that they are reported in order."""
        from .files import has_front_matter, read_bytes
        from .process import NOT_A_POST, SECTION_PAGE
        from .runner import Task, error_outcome

        for path in found.missing:
            yield Task(path, outcome=error_outcome("no such file or folder"))
        for path, explicit in found.files:
            if self.site is not None and not self.site.is_post(path):
                yield Task(path, outcome=_skipped(SECTION_PAGE))
                continue
            try:
                data = read_bytes(path)
            except ExcerptorError as exc:
                yield Task(path, outcome=error_outcome(exc.message))
                continue
            if not explicit and not bare and not has_front_matter(data):
                yield Task(path, outcome=_skipped(NOT_A_POST))
                continue
            yield Task(path, data, bare=bare)


def _skipped(reason: str) -> Any:
    from .process import SKIPPED, Outcome

    return Outcome(SKIPPED, reason)


def usage(command: str, message: str) -> int:
    """Print a usage error; exit status 2."""
    print(f"excerptor {command}: error: {message}", file=sys.stderr)
    return 2
