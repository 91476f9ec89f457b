"""Jekyll integration: ``excerptor jsonl`` (the build protocol) and ``excerptor jekyll install``.

``excerptor jsonl`` reads JSON lines on stdin. The first may carry the site's whole config
(the Jekyll plugin sends ``site.config`` as it is, so every setting reaches the build)::

    {"config": {... the site's config ...}, "root": "/path/to/site", "kind": "jekyll"}

Then one post a line, in one of three forms::

    {"id": 7, "path": "_posts/2024-01-01-a.md"}        a post file (read as rewrite reads it)
    {"id": 7, "text": "---\ntitle: …\n---\n本文…"}       a post file's text
    {"id": 7, "content": "本文…", "title"?: "…", "excerpt"?: "…", "reading_time"?: 3}

and writes one answer per post line on stdout, in the same order, flushed as each is ready::

    {"id": 7, "status": "changed", "fields": {"excerpt": "…", "reading_time": 3},
     "excerpt": "…", "reading_time": 3}                or        {"id": 7, "error": "…"}

``fields`` holds the value every managed field shows (computed, or kept by ``keep_existing``:
those are listed in ``kept``);
``excerpt`` / ``reading_time`` repeat them under the fixed names. Every post goes through
:func:`excerptor.process.process_post`, the function ``rewrite`` uses, with the same settings
resolver, pool and cache (:func:`excerptor.runner.run`). A post that fails gets an error line;
every other post still gets its answer. Blank lines are ignored. With ``--jobs 1`` each answer
is written before the next line is read.

``excerptor jekyll install [SITE]`` copies the Ruby plugin (package data ``data/excerptor.rb``)
to ``SITE/_plugins/excerptor.rb``; it runs ``excerptor jsonl`` once per build.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from .options import add_setting_arguments, options_of

PLUGIN_NAME = "excerptor.rb"


# --------------------------------------------------------------------------- the jsonl protocol


def _line_task(raw: bytes, lineno: int) -> Any:
    """A runner task for one post line; never raises (a bad line is an error outcome)."""
    from .process import ERROR, Outcome
    from .runner import Task

    def bad(ident: Any, message: str) -> Task:
        return Task(
            f"line {lineno}", outcome=Outcome(ERROR, f"line {lineno}: {message}"), ident=ident
        )

    try:
        obj = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        return bad(None, f"not UTF-8 (byte {exc.start})")
    except ValueError as exc:
        return bad(None, f"not valid JSON ({exc})")
    if not isinstance(obj, dict):
        return bad(None, "expected a JSON object")
    ident = obj.get("id")
    if "path" in obj:
        from .errors import ExcerptorError
        from .files import read_bytes

        path = obj["path"]
        if not isinstance(path, str):
            return bad(ident, "'path' is not a string")
        try:
            return Task(path, read_bytes(path), ident=ident)
        except ExcerptorError as exc:
            return bad(ident, str(exc))
    if "text" in obj:
        if not isinstance(obj["text"], str):
            return bad(ident, "'text' is not a string")
        return Task(f"line {lineno}", obj["text"], ident=ident)
    content = obj.get("content")
    if not isinstance(content, str):
        return bad(ident, f"'content' is {'missing' if content is None else 'not a string'}")
    try:
        return Task(f"line {lineno}", _as_post(obj, content), ident=ident)
    except ValueError as exc:
        return bad(ident, str(exc))


def _as_post(obj: dict[str, Any], content: str) -> str:
    """A post's text from a body and its front-matter values (``title``, ``excerpt``,
    ``reading_time``), so that it is processed exactly as a file would be."""
    from .handlers import yaml_quote

    lines = ["---"]
    for key in ("title", "excerpt"):
        value = obj.get(key)
        if value is not None and not isinstance(value, str):
            raise ValueError(f"'{key}' is not a string")
        if value:
            lines.append(f"{key}: {yaml_quote(value)}")
    minutes = obj.get("reading_time")
    if minutes is not None:
        if type(minutes) is not int or minutes < 0:
            raise ValueError("'reading_time' is not a whole number >= 0")
        lines.append(f"reading_time: {minutes}")
    return "\n".join(lines) + "\n---\n" + content


def answer(task: Any, outcome: Any, settings: Any) -> dict[str, Any]:
    """The protocol's answer for one post."""
    from .process import ERROR

    if outcome.status == ERROR:
        return {"id": task.ident, "error": outcome.reason}
    out: dict[str, Any] = {"id": task.ident, "status": outcome.status}
    if outcome.reason:
        out["reason"] = outcome.reason
    out["fields"] = dict(outcome.fields)
    if outcome.kept:
        out["kept"] = list(outcome.kept)
    for name, field in (
        ("excerpt", settings.excerpt_field),
        ("reading_time", settings.reading_time_field),
    ):
        if field and field in outcome.fields:
            out[name] = outcome.fields[field]
    return out


def _lines(stream: Iterable[bytes]) -> Iterator[tuple[int, bytes]]:
    for lineno, raw in enumerate(stream, start=1):
        if raw.strip():
            yield lineno, raw


def serve(
    lines: Iterable[bytes],
    write: Callable[[dict[str, Any]], None],
    *,
    options: dict[str, Any] | None = None,
    jobs: int | None = None,
    cache: Any = "default",
) -> int:
    """Answer every post line of ``lines`` through ``write``, in order; the number of errors.

    ``options`` are command-line settings (they win over a config line's); ``cache`` is a
    :class:`~excerptor.cache.Cache`, None for none, or "default" for the site's or the user's.
    """
    from .cache import Cache
    from .config import site_of
    from .errors import ExcerptorError
    from .runner import run
    from .settings import resolve

    numbered = _lines(lines)
    first = next(numbered, None)
    site = None
    if first is not None:
        try:
            head = json.loads(first[1])
        except ValueError:
            head = None
        if isinstance(head, dict) and "config" in head:
            config = head["config"]
            if not isinstance(config, dict):
                raise ExcerptorError("the config line's 'config' must be an object")
            root = head.get("root") or config.get("source") or "."
            site = site_of(root, config=config, kind=head.get("kind"))
            first = None
    site_options = site.options if site is not None else {}
    if jobs is None:
        jobs = site_options.get("jobs", 0)
    if cache == "default":
        cache = Cache(site.cache_dir) if site is not None and site.cache_dir else Cache.default()
    # The site's boilerplate is learned from its folders of posts, as rewrite learns it, not
    # from the posts sent: an answer does not depend on which posts a build sends.
    settings = (
        site.learned_settings(options, cache=cache, jobs=jobs)
        if site is not None
        else resolve(None, options)
    )

    def tasks() -> Iterator[Any]:
        if first is not None:
            yield _line_task(first[1], first[0])
        for lineno, raw in numbered:
            yield _line_task(raw, lineno)

    errors = 0
    for task, outcome in run(tasks(), settings, jobs=jobs, cache=cache):
        reply = answer(task, outcome, settings)
        errors += "error" in reply
        write(reply)
    return errors


def _run_jsonl(args: argparse.Namespace) -> int:
    from .errors import ExcerptorError
    from .settings import resolve

    options = options_of(args)
    try:
        resolve(None, options)  # refuse bad options before reading any input
        if args.jobs is not None and args.jobs < 0:
            raise ExcerptorError("--jobs must be 0 (one per CPU) or more")
    except ExcerptorError as exc:
        print(f"excerptor jsonl: error: {exc}", file=sys.stderr)
        return 2
    out = sys.stdout.buffer

    def write(reply: dict[str, Any]) -> None:
        out.write(json.dumps(reply, ensure_ascii=False).encode("utf-8") + b"\n")
        out.flush()

    cache: Any = "default"
    if args.no_cache:
        cache = None
    elif args.cache_dir:
        from .cache import Cache

        cache = Cache(args.cache_dir)
    try:
        serve(sys.stdin.buffer, write, options=options, jobs=args.jobs, cache=cache)
    except ExcerptorError as exc:  # a bad config line: nothing can be answered
        print(f"excerptor jsonl: error: {exc}", file=sys.stderr)
        return 2
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
    from .atomic import write_atomic

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
        help="answer JSON lines of posts with excerpts and reading times (for build plugins)",
        description=(
            'Reads an optional {"config": …} line, then {"id", "path" | "text" | "content"} '
            'per line on stdin; writes {"id", "status", "fields", "excerpt", "reading_time"} '
            'or {"id", "error"} per line, in order.'
        ),
    )
    add_setting_arguments(p)
    p.add_argument(
        "--jobs", type=int, default=None, help="worker processes (0: one per CPU, 1: no pool)"
    )
    p.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    p.add_argument("--cache-dir", default=None, metavar="DIR")
    p.set_defaults(run=_run_jsonl)

    j = subparsers.add_parser("jekyll", help="Jekyll integration")
    jsub = j.add_subparsers(dest="jekyll_command", metavar="ACTION")
    inst = jsub.add_parser("install", help="write the build plugin to SITE/_plugins/excerptor.rb")
    inst.add_argument("site", nargs="?", default=".", help="the Jekyll site (default .)")
    inst.add_argument("--force", action="store_true", help="replace a different excerptor.rb")
    inst.set_defaults(run=_run_install)
    j.set_defaults(run=lambda args: (j.print_help(sys.stderr), 2)[1])
