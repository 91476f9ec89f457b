"""The command line: ``excerptor {analyze,rewrite,lint,report,jsonl,jekyll,corpus,cache} …``.

Each sub-command lives in the module that does its work; that module exposes
``register(subparsers)``, which adds its parser and sets ``run=callable(args) -> int``.
Those modules import only the standard library at top level, so that
``excerptor --version`` stays as fast as ``python -c pass``.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from collections.abc import Sequence

from . import __version__
from .options import Setup, add_setting_arguments, usage

# Modules that add sub-commands; missing ones are simply not offered.
_COMMAND_MODULES = (
    "excerptor.rewrite",
    "excerptor.lint",
    "excerptor.report",
    "excerptor.jekyll",
    "excerptor.corpus",
)


def _register_analyze(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "analyze",
        help="print the excerpt, summary, reading time and findings of one post as JSON",
        description="Analyze one post with the settings rewrite would use (the site's config "
        "around the file, then these options, then the post's front matter). A file without "
        "front matter is analyzed as a body.",
    )
    p.add_argument("path", help="a post file (with or without front matter), or - for stdin")
    add_setting_arguments(p)
    cache = p.add_argument_group("the cache (of the site's boilerplate pre-pass)")
    cache.add_argument("--no-cache", action="store_true", help="neither read nor write it")
    cache.add_argument("--cache-dir", default=None, metavar="DIR")
    p.set_defaults(run=_run_analyze)


def _run_analyze(args: argparse.Namespace) -> int:
    import dataclasses

    from .errors import ExcerptorError
    from .files import read_bytes
    from .process import ERROR, process_post

    try:
        # The cache serves the site's boilerplate pre-pass; the post itself is analyzed here.
        setup = Setup(args, [args.path], learn=args.path != "-")
    except ExcerptorError as exc:
        return usage("analyze", str(exc))
    try:
        data = sys.stdin.buffer.read() if args.path == "-" else read_bytes(args.path)
    except ExcerptorError as exc:
        print(f"excerptor: error: {exc}", file=sys.stderr)
        return 1
    outcome = process_post(data, setup.settings, args.path, bare=True)
    if outcome.status == ERROR:
        print(f"excerptor: error: {args.path}: {outcome.reason}", file=sys.stderr)
        return 1
    out = dataclasses.asdict(outcome.analysis) if outcome.analysis is not None else {}
    out["warnings"] = [dataclasses.asdict(f) for f in outcome.findings]  # lines of the file
    out["status"] = outcome.status
    if outcome.reason:
        out["reason"] = outcome.reason  # e.g. skipped: "excerptor: false"
    out["fields"] = outcome.fields
    json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


def _register_cache(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("cache", help="show or clear excerptor's cache")
    p.add_argument("action", choices=("info", "clear"), help="info: where and how big; clear")
    p.add_argument("--cache-dir", default=None, metavar="DIR", help="default: the user cache")
    p.set_defaults(run=_run_cache)


def _run_cache(args: argparse.Namespace) -> int:
    from .cache import Cache

    cache = Cache(args.cache_dir) if args.cache_dir else Cache.default()
    if args.action == "clear":
        print(f"removed {cache.clear()} entries from {cache.folder}")
    else:
        entries = cache.entries()
        size = sum(e[1] for e in entries)
        print(
            f"{cache.folder}: {len(entries)} entries, {size / 1e6:.1f} MB "
            f"(bound {cache.max_bytes / 1e6:.0f} MB)"
        )
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="excerptor",
        description="Excerpts and reading times for Japanese Jekyll and Hugo posts.",
    )
    parser.add_argument("--version", action="version", version=f"excerptor {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    _register_analyze(subparsers)
    _register_cache(subparsers)
    for name in _COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; the exit status (0 fine, 1 a post failed or was flagged, 2 usage)."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list == ["--version"]:  # the common probe: skip building every sub-parser
        print(f"excerptor {__version__}")
        return 0
    parser = build_parser()
    args = parser.parse_args(args_list)
    if not getattr(args, "run", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args.run(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`| head`): say nothing more, and keep Python from printing
        # a second BrokenPipeError when it flushes stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
