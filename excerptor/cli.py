"""The command line: ``excerptor {analyze,rewrite,lint,jsonl,jekyll} …``.

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

# Modules that add sub-commands; missing ones are simply not offered.
_COMMAND_MODULES = ("excerptor.rewrite", "excerptor.lint", "excerptor.jekyll", "excerptor.corpus")


def _register_analyze(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "analyze", help="print the excerpt, summary and reading time of one post as JSON"
    )
    p.add_argument("path", help="a post file (with or without front matter), or - for stdin")
    p.add_argument("--max-chars", type=int, default=120)
    p.add_argument("--sentences", type=int, default=3)
    p.add_argument("--algorithm", default=None)
    p.set_defaults(run=_run_analyze)


def _run_analyze(args: argparse.Namespace) -> int:
    import dataclasses

    from .errors import ExcerptorError
    from .pipeline import analyze

    try:
        raw = sys.stdin.read() if args.path == "-" else _read_text(args.path)
        body, title = _split_body(raw)
        settings = {"max_chars": args.max_chars, "sentences": args.sentences, "title": title}
        if args.algorithm:
            settings["algorithm"] = args.algorithm
        result = analyze(body, **settings)
    except ExcerptorError as exc:
        print(f"excerptor: {exc}", file=sys.stderr)
        return 1
    out = dataclasses.asdict(result)
    json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


def _read_text(path: str) -> str:
    from .post import read_text

    return read_text(path)[0]


def _split_body(raw: str) -> tuple[str, str | None]:
    """Body and title of a post; text without front matter is all body."""
    try:
        from .post import read_post
    except ImportError:  # pragma: no cover - post module not built yet
        return raw, None
    try:
        post = read_post(raw)
    except Exception:
        return raw, None
    title = post.metadata.get("title") if isinstance(post.metadata, dict) else None
    return post.body, title if isinstance(title, str) else None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="excerptor",
        description="Excerpts and reading times for Japanese Jekyll and Hugo posts.",
    )
    parser.add_argument("--version", action="version", version=f"excerptor {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    _register_analyze(subparsers)
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
