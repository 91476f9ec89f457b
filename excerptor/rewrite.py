"""``excerptor rewrite [PATH ...]``: recompute ``excerpt`` and ``reading_time`` in posts.

Files and folders (recursively); with no PATH inside a Jekyll site, ``_posts/`` and the
collections with ``output: true``. Only the two fields' values change, byte for byte
(:func:`excerptor.post.patch`); a file that needs no change is never written. Exit status:
0 all well, 1 a file failed (or would change, with ``--check``), 2 bad usage.

Only the standard library is imported at module level: cli builds its parser from here.
"""

from __future__ import annotations

import argparse
import os
import re
import stat
import sys
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .config import add_filler_option
from .files import read_bytes, walk

DEFAULT_EXCERPT_FIELD = "excerpt"
DEFAULT_READING_TIME_FIELD = "reading_time"
MORE = "<!--more-->"

# What a post's first line looks like (post.py's YAMLHandler / TOMLHandler openings), on bytes,
# so a folder of non-posts is skipped without decoding.
_OPENING = re.compile(rb"\A(?:\xef\xbb\xbf)?(?:---[ \t\r\n\f\v]*\n|\+\+\+[ \t]*\r?\n)")
_SPEED_FLAGS = (
    ("--cjk-cpm", "cjk_chars_per_minute", "CJK characters read per minute (default 500)"),
    ("--wpm", "words_per_minute", "Latin words read per minute (default 250)"),
    ("--code-lpm", "code_lines_per_minute", "code lines skimmed per minute (default 30)"),
)


# ------------------------------------------------------------------------------- parser


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "rewrite",
        help="recompute excerpt and reading_time in the front matter of posts",
        description="Recompute the excerpt and reading_time fields in the front matter of "
        "posts (.md, .markdown, .html with --- YAML or +++ TOML front matter). With no PATH "
        "inside a Jekyll site: _posts/ and collections with output. Settings come from the "
        "`excerptor:` section of _config.yml; options given here win. Exit 0 when all went "
        "well, 1 when a file failed (or, with --check, would change), 2 on usage errors.",
    )
    p.add_argument("paths", nargs="*", metavar="PATH", help="post files or folders of posts")
    mode = p.add_argument_group("mode")
    mode.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if any file would change"
    )
    mode.add_argument("--diff", action="store_true", help="print a unified diff; write nothing")
    mode.add_argument(
        "--only-missing",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="keep values already set; fill in only missing or empty fields",
    )
    mode.add_argument(
        "--dedupe",
        action="store_true",
        help="also remove generation artifacts (end markers, repeated blocks) from the body",
    )
    what = p.add_argument_group("excerpt and reading time")
    what.add_argument("--max-chars", type=int, default=None, metavar="N")
    what.add_argument("--algorithm", default=None, metavar="NAME")
    add_filler_option(what)
    for flag, dest, text in _SPEED_FLAGS:
        what.add_argument(flag, dest=dest, type=float, default=None, metavar="N", help=text)
    what.add_argument(
        "--excerpt-field",
        default=None,
        metavar="NAME",
        help="front-matter field for the excerpt (default excerpt; e.g. description or "
        'summary); "" to leave excerpts alone',
    )
    what.add_argument(
        "--reading-time-field",
        default=None,
        metavar="NAME",
        help='front-matter field for the reading time in minutes (default reading_time); "" '
        "to leave it alone",
    )
    run_ = p.add_argument_group("running")
    run_.add_argument(
        "-j", "--jobs", type=int, default=0, metavar="N", help="worker processes (default: cores)"
    )
    run_.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    run_.add_argument("--cache-dir", default=None, metavar="DIR")
    run_.add_argument(
        "--follow-symlinks",
        action="store_true",
        help="follow symlinked folders, and symlinks to files outside the folder given",
    )
    out = run_.add_mutually_exclusive_group()
    out.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    out.add_argument("-v", "--verbose", action="store_true", help="a line for every file")
    p.set_defaults(run=run)


# ------------------------------------------------------------------------------ options


@dataclass
class Options:
    """Everything a run needs, CLI over ``_config.yml`` over defaults."""

    settings: dict[str, Any]  # given to analyze for every post
    excerpt_field: str
    reading_time_field: str
    only_missing: bool
    separator: str | None  # the site's excerpt_separator
    dedupe: Any = None  # excerptor.health.dedupe when --dedupe
    file_options: dict[str, Any] = field(default_factory=dict)  # everything that decides output


class UsageError(Exception):
    pass


def resolve_options(args: argparse.Namespace, site: Any) -> Options:
    """Merge CLI flags, the site's ``excerptor:`` options and defaults."""
    conf = dict(site.options) if site is not None else {}

    def pick(name: str, default: Any = None) -> Any:
        value = getattr(args, name, None)
        return value if value is not None else conf.get(name, default)

    settings: dict[str, Any] = {}
    for name in ("max_chars", "algorithm", "sentences", "include_headings", "skip_fillers"):
        value = pick(name)
        if value is not None:
            settings[name] = value
    fillers = [*conf.get("fillers", ()), *(getattr(args, "fillers", None) or ())]
    if fillers:
        settings["fillers"] = fillers
    for _, dest, _ in _SPEED_FLAGS:
        value = pick(dest)
        if value is not None:
            settings[dest] = float(value)
    from .errors import ExcerptorError
    from .pipeline import Settings

    try:
        Settings.of(**settings)  # refuse bad values before any post is read
    except ExcerptorError as exc:
        raise UsageError(exc.message) from None
    excerpt_field = pick("excerpt_field", DEFAULT_EXCERPT_FIELD)
    reading_time_field = pick("reading_time_field", DEFAULT_READING_TIME_FIELD)
    if not excerpt_field and not reading_time_field:
        raise UsageError("both --excerpt-field and --reading-time-field are empty: nothing to do")
    if excerpt_field and excerpt_field == reading_time_field:
        raise UsageError("--excerpt-field and --reading-time-field must differ")
    dedupe = None
    if args.dedupe:
        from . import health

        dedupe = getattr(health, "dedupe", None)
        if dedupe is None:
            raise UsageError("--dedupe is not available in this version")
    separator = site.excerpt_separator if site is not None else None
    only_missing = bool(pick("only_missing", False))
    return Options(
        settings=settings,
        excerpt_field=excerpt_field,
        reading_time_field=reading_time_field,
        only_missing=only_missing,
        separator=separator,
        dedupe=dedupe,
        file_options={
            "settings": settings,
            "fields": [excerpt_field, reading_time_field],
            "only_missing": only_missing,
            "separator": separator,
            "dedupe": bool(dedupe),
        },
    )


# ------------------------------------------------------------------------------- files


@dataclass
class _Item:
    """One file on its way through the run."""

    path: str
    status: str = ""  # "", "changed", "unchanged", "skipped", "error"
    message: str = ""
    post: Any = None
    body: str = ""  # the body to analyze (after --dedupe)
    needs: tuple[str, ...] = ()  # fields to compute
    data_key: str | None = None
    warnings: tuple[str, ...] = ()


def _is_set(value: Any) -> bool:
    return value is not None and value != ""


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


def prepare(path: str, explicit: bool, opts: Options, cache: Any) -> _Item:
    """Read and parse one file; an item with a final ``status`` or one to analyze."""
    from .errors import ExcerptorError

    item = _Item(path)
    try:
        data = read_bytes(path)
    except ExcerptorError as exc:
        return _error(item, exc.message)
    if not explicit and not _OPENING.match(data):
        item.status, item.message = "skipped", "no front matter"
        return item
    if cache is not None:
        item.data_key = cache.file_key(data, opts.file_options)
        if item.data_key in cache:
            item.status = "unchanged"
            return item
    from .post import parse_file  # not needed (nor imported) on a warm run

    try:
        post = parse_file(data, path)
    except ExcerptorError as exc:
        return _error(item, exc.message)
    meta = post.metadata
    if meta.get("excerptor") is False:
        item.status, item.message = "skipped", "excerptor: false"
        return item
    item.post = post
    item.body = opts.dedupe(post.body) if opts.dedupe else post.body
    item.needs = tuple(
        f
        for f in (opts.excerpt_field, opts.reading_time_field)
        if f and not (opts.only_missing and _is_set(meta.get(f)))
    )
    return item


def _error(item: _Item, message: str) -> _Item:
    item.status, item.message = "error", message
    return item


def per_post_settings(item: _Item, opts: Options) -> dict[str, Any]:
    """Title (for the health check) and the excerpt markers of this post."""
    meta = item.post.metadata
    out: dict[str, Any] = {}
    title = meta.get("title")
    if isinstance(title, str) and title.strip():
        out["title"] = title
    marker = meta.get("excerpt_separator", opts.separator)  # Jekyll: the post's own wins
    markers = [MORE]
    if isinstance(marker, str) and marker.strip() and marker != MORE:
        markers.insert(0, marker)
    out["excerpt_separators"] = tuple(markers)
    return out


def new_text(item: _Item, updates: dict[str, Any]) -> str:
    """The file's new text (without BOM): fields patched, and the deduped body."""
    from .post import patch

    post = item.post
    text = patch(post, updates) if updates else post.text
    if item.body != post.body:
        text = text[: len(text) - len(post.body)] + item.body
    return text


# --------------------------------------------------------------------------------- run


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


def _diff(path: str, old: str, new: str) -> str:
    import difflib

    def lines(text: str) -> list[str]:
        out = text.splitlines(keepends=True)
        if out and not out[-1].endswith("\n"):
            out[-1] += "\n\\ No newline at end of file\n"
        return out

    return "".join(
        difflib.unified_diff(lines(old), lines(new), f"{path}\t(original)", f"{path}\t(rewritten)")
    )


def _open_cache(args: argparse.Namespace, site: Any) -> Any:
    if args.no_cache:
        return None
    from . import cache as _cache
    from .config import check_cache_dir

    if args.cache_dir:
        folder = Path(args.cache_dir)
        if site is not None:
            check_cache_dir(folder, site.post_dirs, "--cache-dir")
        return _cache.Cache(folder)
    if site is not None and site.cache_dir is not None:
        return _cache.Cache(site.cache_dir)
    return _cache.Cache.default()


def _find_site(paths: list[str]) -> Any:
    from .config import find_site, load_site

    if os.path.isfile("_config.yml"):
        root: Path | None = Path(".")
    elif paths:
        root = find_site(paths[0])
    else:
        root = None
    return load_site(root) if root is not None else None


def run(args: argparse.Namespace) -> int:
    from .errors import ExcerptorError

    if args.jobs < 0:
        return _usage("--jobs must be 0 (one per CPU) or more")
    try:
        site = _find_site(args.paths)
        opts = resolve_options(args, site)
        cache = _open_cache(args, site)
    except (UsageError, ExcerptorError) as exc:
        return _usage(str(exc))
    paths = list(args.paths)
    if not paths:
        if site is None:
            return _usage("no PATH given and no _config.yml here (not in a Jekyll site)")
        paths = [os.path.relpath(d) for d in site.post_dirs if d.is_dir()]
    return process(paths, args, opts, cache)


def _usage(message: str) -> int:
    print(f"excerptor rewrite: error: {message}", file=sys.stderr)
    return 2


def process(paths: list[str], args: argparse.Namespace, opts: Options, cache: Any) -> int:
    """Rewrite (or check, or diff) the posts under ``paths``; the exit status."""
    from .batch import Result, analyze_many
    from .errors import ExcerptorError

    write = not (args.check or args.diff)
    found = walk(paths, follow_symlinks=args.follow_symlinks)
    report = _Reporter(len(found.files), quiet=args.quiet, verbose=args.verbose)
    counts = {"changed": 0, "unchanged": 0, "error": 0}
    total = 0

    if write and found.temp_files:
        from .post import remove_stale_temp

        for tmp in found.temp_files:
            # A temp file that a concurrent run is still writing is locked: it stays.
            if remove_stale_temp(tmp):
                report.info(f"removed stale temp file {tmp}")
    for path in found.missing:
        total += 1
        counts["error"] += 1
        report.error(path, "no such file or folder")
    for path, why in found.skipped:
        report.info(f"skipped {path}: {why}")

    items: deque[_Item] = deque()

    def feed() -> Iterator[tuple[str, dict[str, Any]]]:
        for path, explicit in found.files:
            try:
                item = prepare(path, explicit, opts, cache)
            except Exception as exc:  # a bug must fail this file only
                item = _error(_Item(path), f"internal error ({type(exc).__name__}: {exc})")
            items.append(item)
            if not item.status and item.needs:
                yield item.body, per_post_settings(item, opts)

    def finish(item: _Item, outcome: Any = None) -> None:
        nonlocal total
        if not item.status:
            try:
                conclude(item, outcome)
            except ExcerptorError as exc:
                item.status, item.message = "error", exc.message
            except BrokenPipeError:  # `--diff | head`: stop the run, not this file
                raise
            except Exception as exc:
                item.status = "error"
                item.message = f"internal error ({type(exc).__name__}: {exc})"
        report.step()
        if item.status == "skipped":
            report.info(f"skipped {item.path}: {item.message}")
            if item.message == "no front matter":
                return  # not a post: not counted
            item.status = "unchanged"
        total += 1
        counts[item.status] += 1
        if item.status == "error":
            report.error(item.path, item.message)
        elif item.status == "changed" and args.check:
            report.note(f"would change {item.path}")
        else:
            verb = item.status if write or item.status != "changed" else "would change"
            report.info(f"{verb} {item.path}")
        for warning in item.warnings:
            report.info(f"{item.path}: warning: {warning}")

    def conclude(item: _Item, outcome: Any) -> None:
        if isinstance(outcome, ExcerptorError):
            raise ExcerptorError(outcome.message)
        updates: dict[str, Any] = {}
        if isinstance(outcome, Result):
            item.warnings = outcome.warnings
            values = {
                opts.excerpt_field: outcome.excerpt,
                opts.reading_time_field: outcome.reading_time,
            }
            updates = {f: values[f] for f in item.needs}
        text = new_text(item, updates)
        post = item.post
        if text == post.text:
            item.status = "unchanged"
            if cache is not None and item.data_key:
                cache.mark(item.data_key)
            return
        item.status = "changed"
        if args.diff:
            sys.stdout.write(_diff(item.path, post.text, text))
            sys.stdout.flush()
        if write:
            from .post import write_atomic

            if _read_only(item.path):
                raise ExcerptorError("file is read-only; not changed")
            data = write_atomic(item.path, text, bom=post.bom)
            if cache is not None:
                cache.mark(cache.file_key(data, opts.file_options))

    def flush_ready() -> None:
        while items and (items[0].status or not items[0].needs):
            finish(items.popleft())

    try:
        for outcome in analyze_many(feed(), opts.settings, jobs=args.jobs, cache=cache):
            flush_ready()
            finish(items.popleft(), outcome)
        flush_ready()
    finally:
        report.close()

    changed = "would change" if not write else "changed"
    errors = counts["error"]
    report.note(
        f"{total} file{'s' if total != 1 else ''}, {counts['changed']} {changed}, "
        f"{counts['unchanged']} unchanged, {errors} error{'s' if errors != 1 else ''}"
    )
    if errors or (args.check and counts["changed"]):
        return 1
    return 0
