"""``excerptor corpus INPUT OUTPUT``: analyze a corpus of documents with Dask.

INPUT is JSON lines or Parquet (a file, a folder or a glob; local or any fsspec URL such as
``s3://bucket/news/*.parquet``); OUTPUT is a Parquet dataset of the id and the result columns
of :mod:`excerptor.dask`. With no ``--scheduler`` a LocalCluster of ``--workers`` processes
runs on this machine; with one, the cluster at that address does the work (OUTPUT must then
be storage every worker can reach). Exit status: 0 the job ran (rows that could not be
analyzed have an ``error``), 1 the job failed, 2 bad usage or input.

Only the standard library is imported at module level: cli builds its parser from here.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import warnings
from collections.abc import Iterator
from typing import Any

from .options import add_setting_arguments, options_of

SHOWN_ERRORS = 10  # rows whose error is printed; the rest are counted


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "corpus",
        help="analyze a JSONL or Parquet corpus on a Dask cluster, into a Parquet dataset",
        description="Analyze every document of a corpus (JSON lines or Parquet: a file, folder "
        "or glob, local or an fsspec URL such as s3://…) with Dask, and write a Parquet dataset "
        "of the id, excerpt, summary, reading_time, reading_time_without_repeats, findings and "
        "error. Needs the dask extra: pip install 'excerptor[dask]'.",
    )
    p.add_argument("input", metavar="INPUT", help="JSON lines or Parquet: file, folder or glob")
    p.add_argument("output", metavar="OUTPUT", help="the Parquet dataset (a folder) to write")
    cols = p.add_argument_group("columns")
    cols.add_argument("--id-column", default="id", metavar="NAME", help="(default id)")
    cols.add_argument("--text-column", default="body", metavar="NAME", help="(default body)")
    cols.add_argument(
        "--title-column",
        default="title",
        metavar="NAME",
        help="(default title, used when present; '' for none)",
    )
    cols.add_argument(
        "--site-column",
        default=None,
        metavar="NAME",
        help="the column naming each row's site: each site's boilerplate (sentences its rows "
        "repeat) is learned and left out of its excerpts (default: none, nothing learned)",
    )
    add_setting_arguments(p, fields=False)
    run_ = p.add_argument_group("running")
    run_.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="a Dask scheduler (tcp://host:8786); default: a local cluster",
    )
    run_.add_argument(
        "--workers",
        type=int,
        default=0,
        metavar="N",
        help="worker processes of the local cluster (default: one per core)",
    )
    run_.add_argument(
        "--partition-size",
        default="1MB",
        metavar="BYTES",
        help="JSON lines per task, in bytes of input (default 1MB; Parquet keeps its row groups)",
    )
    run_.add_argument(
        "--overwrite", action="store_true", help="replace OUTPUT if it exists and is not empty"
    )
    run_.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    p.set_defaults(run=run)


def settings_of(args: argparse.Namespace) -> dict[str, Any]:
    """The analysis settings given on the command line (the others keep their defaults)."""
    return {k: v for k, v in options_of(args).items() if v is not None}


def _fail(message: str, status: int = 2) -> int:
    print(f"excerptor: error: {message}", file=sys.stderr)
    return status


def _output_is_free(url: str, overwrite: bool) -> str | None:
    """None when OUTPUT may be written, else why not."""
    import fsspec

    fs, path = fsspec.core.url_to_fs(url)
    if not fs.exists(path):
        return None
    if not fs.isdir(path):
        return f"{url}: exists and is not a folder"
    if fs.ls(path) and not overwrite:
        return f"{url}: exists and is not empty (--overwrite replaces it)"
    return None


def run(args: argparse.Namespace) -> int:
    try:
        from . import dask as xdask  # says which extra to install when Dask is missing
    except ImportError as exc:
        return _fail(str(exc))
    from dask.utils import parse_bytes

    from .errors import ExcerptorError

    try:
        blocksize = parse_bytes(args.partition_size)
    except (ValueError, TypeError):
        return _fail(f"--partition-size: not a size: {args.partition_size!r}")
    if blocksize < 1:
        return _fail("--partition-size must be at least 1 byte")
    if args.workers < 0:
        return _fail("--workers must be 0 (one per core) or more")
    settings = settings_of(args)
    title = args.title_column or None
    try:
        why = _output_is_free(args.output, args.overwrite)
        if why:
            return _fail(why)
        frame = xdask.read_corpus(
            args.input,
            id=args.id_column,
            text=args.text_column,
            title=title,
            blocksize=blocksize,
            site=args.site_column,
        )
        result = xdask.analyze_frame(
            frame,
            text=args.text_column,
            title=title,
            id=args.id_column,
            site=args.site_column,
            **settings,
        )
        schema = xdask.parquet_schema(result)
    except ExcerptorError as exc:
        return _fail(str(exc))
    except TypeError as exc:  # an unknown setting
        return _fail(str(exc))
    except (OSError, ValueError) as exc:
        return _fail(f"{args.input}: {exc}")

    write = result.to_parquet(
        args.output,
        schema=schema,
        write_index=False,
        compute=False,
        overwrite=args.overwrite,
        name_function=xdask.part_name,
    )
    try:
        with _client(args) as client:
            return _compute(args, client, write)
    except OSError as exc:  # the scheduler cannot be reached, or no cluster can start
        where = f"--scheduler {args.scheduler}" if args.scheduler else "the local cluster"
        return _fail(f"{where}: {exc}", 1)


def _compute(args: argparse.Namespace, client: Any, write: Any) -> int:
    if not args.quiet:
        workers = len(client.scheduler_info()["workers"])
        where = args.scheduler or "a local cluster"
        print(f"{where}, {workers} workers; dashboard: {client.dashboard_link}", file=sys.stderr)
    future = client.compute(write)
    if not args.quiet and sys.stdout.isatty():  # Dask's bar draws on stdout
        from distributed import progress

        progress(future)
    try:
        future.result()
    except Exception as exc:
        return _fail(f"the job failed: {type(exc).__name__}: {exc}", 1)
    return _report(args, client)


def _report(args: argparse.Namespace, client: Any) -> int:
    """Count rows and errors in what was written, and print the first errors."""
    import dask.dataframe as dd

    written = dd.read_parquet(args.output, columns=[args.id_column, "error"])
    failed = written[written["error"].notnull()]
    rows, errors = client.compute([written.shape[0], failed.shape[0]], sync=True)
    if errors:
        for row in failed.head(SHOWN_ERRORS, npartitions=-1).itertuples(index=False):
            print(f"excerptor: error: {args.id_column} {row[0]}: {row[1]}", file=sys.stderr)
        if errors > SHOWN_ERRORS:
            print(
                f"excerptor: … and {errors - SHOWN_ERRORS} more (the error column)", file=sys.stderr
            )
    if not args.quiet:
        noun = "error" if errors == 1 else "errors"
        print(f"{rows} rows, {rows - errors} analyzed, {errors} {noun} -> {args.output}")
    return 0


@contextlib.contextmanager
def _client(args: argparse.Namespace) -> Iterator[Any]:
    """A Client of the cluster at --scheduler, or of a new local cluster closed with it."""
    import logging

    from distributed import Client, LocalCluster

    if args.scheduler:
        with Client(args.scheduler, timeout="20s") as client:
            yield client
        return
    workers = args.workers or os.cpu_count() or 1
    with warnings.catch_warnings():
        # The dashboard's address is printed; Dask's warning that 8787 was taken adds nothing.
        warnings.filterwarnings("ignore", message="Port .* is already in use", category=UserWarning)
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, silence_logs=logging.ERROR
        )
    with cluster, Client(cluster) as client:
        yield client
