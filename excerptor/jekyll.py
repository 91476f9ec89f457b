"""Jekyll integration: ``excerptor jsonl`` (the build protocol) and ``excerptor jekyll install``.

``excerptor jsonl`` reads one JSON object per line on stdin::

    {"id": 7, "content": "<markdown body>", "title"?: "…", "excerpt"?: "…", "reading_time"?: 3}

and writes one answer per input line on stdout, in the same order, flushed as each is ready::

    {"id": 7, "excerpt": "…", "reading_time": 3}      or      {"id": 7, "error": "…"}

A post that fails gets an error line; every other post still gets its answer. Blank lines are
ignored. With ``--only-missing`` an ``excerpt`` (non-empty string) or ``reading_time``
(non-negative integer) given on the input line is kept and echoed back. One process serves a
whole Jekyll build; it uses the same pool and cache as ``excerptor rewrite``.

``excerptor jekyll install [SITE]`` copies the Ruby plugin (package data ``data/excerptor.rb``)
to ``SITE/_plugins/excerptor.rb``; it runs ``excerptor jsonl`` once per build.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any

from .config import add_filler_option

PLUGIN_NAME = "excerptor.rb"


# --------------------------------------------------------------------------- the jsonl protocol


@dataclass
class _Slot:
    """One input line, in order: either answered already or waiting for the pool."""

    id: Any
    answer: dict[str, Any] | None = None
    body: str = ""
    settings: dict[str, Any] = field(default_factory=dict)
    kept: dict[str, Any] = field(default_factory=dict)


def _error(ident: Any, message: str) -> dict[str, Any]:
    return {"id": ident, "error": message}


def _parse_line(raw: bytes, lineno: int, only_missing: bool) -> _Slot:
    """A slot for one input line; never raises."""
    try:
        obj = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        return _Slot(None, _error(None, f"line {lineno}: not UTF-8 (byte {exc.start})"))
    except ValueError as exc:
        return _Slot(None, _error(None, f"line {lineno}: not valid JSON ({exc})"))
    if not isinstance(obj, dict):
        return _Slot(None, _error(None, f"line {lineno}: expected a JSON object"))
    ident = obj.get("id")
    content = obj.get("content")
    if not isinstance(content, str):
        what = "missing" if content is None else "not a string"
        return _Slot(ident, _error(ident, f"line {lineno}: 'content' is {what}"))
    settings: dict[str, Any] = {}
    title = obj.get("title")
    if isinstance(title, str) and title.strip():
        settings["title"] = title

    kept: dict[str, Any] = {}
    if only_missing:
        excerpt = obj.get("excerpt")
        if isinstance(excerpt, str):
            if excerpt.strip():
                kept["excerpt"] = excerpt
        elif excerpt is not None:
            return _Slot(ident, _error(ident, f"line {lineno}: 'excerpt' is not a string"))
        minutes = obj.get("reading_time")
        if isinstance(minutes, int) and not isinstance(minutes, bool) and minutes >= 0:
            kept["reading_time"] = minutes
        elif minutes is not None:
            return _Slot(
                ident, _error(ident, f"line {lineno}: 'reading_time' is not a whole number >= 0")
            )
        if len(kept) == 2:
            return _Slot(ident, {"id": ident, **kept})
    return _Slot(ident, None, content, settings, kept)


def _answer(slot: _Slot, outcome: Any) -> dict[str, Any]:
    from .errors import ExcerptorError

    if isinstance(outcome, ExcerptorError):
        return _error(slot.id, str(outcome))
    answer = {"id": slot.id, "excerpt": outcome.excerpt, "reading_time": int(outcome.reading_time)}
    answer.update(slot.kept)
    return answer


def serve(
    lines: Iterable[bytes],
    write: Callable[[dict[str, Any]], None],
    *,
    settings: dict[str, Any],
    only_missing: bool = False,
    jobs: int = 0,
    cache: Any = None,
    analyze_many: Callable[..., Iterator[Any]] | None = None,
) -> int:
    """Answer every non-blank line of ``lines`` through ``write``, in order.

    Input is read lazily and answers are written as soon as they are next in order, so memory
    stays bounded by the pool's look-ahead. Returns the number of error answers.
    """
    if analyze_many is None:
        from .batch import analyze_many

    slots: deque[_Slot] = deque()
    errors = 0

    def emit(answer: dict[str, Any]) -> None:
        nonlocal errors
        errors += "error" in answer
        write(answer)

    def emit_ready() -> None:
        while slots and slots[0].answer is not None:
            emit(slots.popleft().answer)

    def feed() -> Iterator[tuple[str, dict[str, Any]]]:
        lineno = 0
        for raw in lines:
            lineno += 1
            if not raw.strip():
                continue
            slot = _parse_line(raw, lineno, only_missing)
            # Appended before it is handed over, so the consumer always finds it in `slots`.
            slots.append(slot)
            if slot.answer is None:
                yield slot.body, slot.settings

    source = feed()
    resubmit: list[_Slot] = []
    while True:
        # itertools.chain, not a generator: dropping it after a crash must not close `source`.
        stream = chain([(s.body, s.settings) for s in resubmit], source)
        try:
            for outcome in analyze_many(stream, settings, jobs=jobs, cache=cache):
                emit_ready()
                slot = slots.popleft()
                emit(_answer(slot, outcome))
            emit_ready()
            return errors
        except Exception as exc:  # a bug or a broken worker: fail this post only
            emit_ready()
            if not slots:
                raise
            slot = slots.popleft()
            emit(_error(slot.id, f"{type(exc).__name__}: {exc}"))
            # Posts the pool had already taken are handed over again, then the rest of stdin.
            resubmit = [s for s in slots if s.answer is None]


def _open_cache(disabled: bool) -> Any:
    if disabled:
        return None
    from . import cache

    return cache.Cache.default()


def _settings_of(args: argparse.Namespace) -> dict[str, Any]:
    from .errors import ExcerptorError
    from .pipeline import Settings

    if args.jobs < 0:
        raise ExcerptorError("--jobs must be 0 (one per CPU) or more")
    settings: dict[str, Any] = {"max_chars": args.max_chars}
    if args.algorithm:
        settings["algorithm"] = args.algorithm
    if args.fillers:
        settings["fillers"] = list(args.fillers)
    try:
        Settings.of(**settings)  # refuse bad options before reading any input
    except (ExcerptorError, TypeError) as exc:
        raise ExcerptorError(str(exc)) from None
    return settings


def _run_jsonl(args: argparse.Namespace) -> int:
    from .errors import ExcerptorError

    try:
        settings = _settings_of(args)
        cache = _open_cache(args.no_cache)
    except ExcerptorError as exc:
        print(f"excerptor: {exc}", file=sys.stderr)
        return 2
    out = sys.stdout.buffer

    def write(answer: dict[str, Any]) -> None:
        out.write(json.dumps(answer, ensure_ascii=False).encode("utf-8") + b"\n")
        out.flush()

    serve(
        sys.stdin.buffer,
        write,
        settings=settings,
        only_missing=args.only_missing,
        jobs=args.jobs,
        cache=cache,
    )
    # Per-post errors are answers, not a failure of the command: the caller decides.
    return 0


# ------------------------------------------------------------------------ the Jekyll plugin


def plugin_source() -> bytes:
    """The Ruby plugin shipped with excerptor."""
    from importlib.resources import files

    return files("excerptor").joinpath("data", PLUGIN_NAME).read_bytes()


def install_plugin(site: str | Path, *, force: bool = False) -> tuple[Path, bool]:
    """Write the plugin to ``site/_plugins/excerptor.rb``; (path, whether it was written).

    Refuses (ExcerptorError) to replace a different file there unless ``force``.
    """
    from .errors import ExcerptorError

    site = Path(site)
    if not site.is_dir():
        raise ExcerptorError("not a directory", str(site))
    target = site / "_plugins" / PLUGIN_NAME
    source = plugin_source()
    if target.exists():
        if target.is_dir():
            raise ExcerptorError("is a directory", str(target))
        if target.read_bytes() == source:
            return target, False
        if not force:
            raise ExcerptorError(
                "exists and differs from excerptor's plugin (use --force to replace it)",
                str(target),
            )
    from .post import write_atomic

    target.parent.mkdir(exist_ok=True)
    write_atomic(target, source)
    return target, True


def _run_install(args: argparse.Namespace) -> int:
    from .errors import ExcerptorError

    try:
        target, written = install_plugin(args.site, force=args.force)
    except ExcerptorError as exc:
        print(f"excerptor: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"excerptor: {exc}", file=sys.stderr)
        return 1
    print(f"{'installed' if written else 'up to date:'} {target}")
    if not (Path(args.site) / "_config.yml").exists():
        print(f"excerptor: note: no _config.yml in {args.site}", file=sys.stderr)
    return 0


# ----------------------------------------------------------------------------------- the CLI


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``jsonl`` and ``jekyll`` sub-commands."""
    p = subparsers.add_parser(
        "jsonl",
        help="answer JSON lines of post bodies with excerpts and reading times (for build plugins)",
        description=(
            'Reads {"id", "content", "title"?, "excerpt"?, "reading_time"?} per line on stdin; '
            'writes {"id", "excerpt", "reading_time"} or {"id", "error"} per line, in order.'
        ),
    )
    p.add_argument("--max-chars", type=int, default=120, help="longest excerpt (default 120)")
    p.add_argument("--algorithm", default=None, help="summary algorithm (default lead_centrality)")
    add_filler_option(p)
    p.add_argument(
        "--only-missing",
        action="store_true",
        help="keep an excerpt or reading_time given on the input line",
    )
    p.add_argument(
        "--jobs", type=int, default=0, help="worker processes (0: one per CPU, 1: no pool)"
    )
    p.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    p.set_defaults(run=_run_jsonl)

    j = subparsers.add_parser("jekyll", help="Jekyll integration")
    jsub = j.add_subparsers(dest="jekyll_command", metavar="ACTION")
    inst = jsub.add_parser("install", help="write the build plugin to SITE/_plugins/excerptor.rb")
    inst.add_argument("site", nargs="?", default=".", help="the Jekyll site (default .)")
    inst.add_argument("--force", action="store_true", help="replace a different excerptor.rb")
    inst.set_defaults(run=_run_install)
    j.set_defaults(run=lambda args: (j.print_help(sys.stderr), 2)[1])
