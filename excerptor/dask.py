"""Corpora on Dask: analyze every document of a Dask DataFrame, on one machine or a cluster.

    analyze_frame(ddf, text="body", title="title", id=None, site=None, **settings) -> dask DataFrame
    read_corpus(url, id="id", text="body", title="title", site=None) -> dask DataFrame

With a ``site`` column, the boilerplate of each site (sentences repeated across its rows,
:mod:`excerptor.boilerplate`) is learned in a pre-pass on the cluster and left out of that
site's excerpts, as ``rewrite`` does for a site's folder of posts; ``learn_boilerplate=False``
turns it off. Without one nothing is learned: a corpus mixes sources, and a row whose site is
unknown is treated as a post outside any site (pass ``boilerplate=`` to give one explicitly).

Needs the ``dask`` extra (``pip install 'excerptor[dask]'``); nothing else in excerptor imports
this module. Each row is analyzed by :func:`excerptor.analyze` itself, so results are the same
as on one machine. What travels to the workers is a module-level function, column names and a
dict of plain settings: never a fugashi ``Tagger``, which cannot be pickled. Each worker
process makes its own on first use (:func:`excerptor.japanese.tagger`).

A row that cannot be analyzed (text null, not a string, over :data:`MAX_BYTES`, or refused by
the pipeline) gets a message in ``error`` and nulls in the other result columns; every other
row goes on.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping, Sequence
from typing import Any

try:
    import dask
    import dask.dataframe as dd
    import fsspec
    import pandas as pd
    import pyarrow as pa
except ImportError as exc:  # pragma: no cover - depends on the install
    raise ImportError(
        f"excerptor.dask needs the dask extra ({exc.name} is missing): "
        "pip install 'excerptor[dask]'"
    ) from exc

from .errors import ExcerptorError

__all__ = [
    "MAX_BYTES",
    "RESULT_COLUMNS",
    "RESULT_SCHEMA",
    "analyze_frame",
    "analyze_partition",
    "learn_sites",
    "parquet_schema",
    "part_name",
    "read_corpus",
]

MAX_BYTES = 10_000_000  # a text longer than this (UTF-8) is refused, as files are
RESULT_SCHEMA = pa.schema(
    [
        ("excerpt", pa.string()),
        ("summary", pa.list_(pa.string())),
        ("reading_time", pa.int64()),
        ("reading_time_without_repeats", pa.int64()),
        ("findings", pa.list_(pa.string())),  # the codes of excerptor's findings
        ("error", pa.string()),  # null when the row was analyzed
    ]
)
RESULT_COLUMNS = tuple(RESULT_SCHEMA.names)
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json")
PARQUET_SUFFIXES = (".parquet", ".pq")
COMPRESSIONS = (".gz", ".bz2", ".xz", ".zst")

# A worker started with several threads shares one Tagger among them; MeCab's is not
# thread-safe, and the pipeline holds the GIL anyway, so rows of one process go one at a time.
_ONE_AT_A_TIME = threading.Lock()


# ----------------------------------------------------------------------------- one row


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def analyze_document(text: Any, title: Any, settings: Mapping[str, Any]) -> tuple:
    """The result columns of one row, as a tuple in :data:`RESULT_COLUMNS` order; never raises."""
    error = None
    if isinstance(text, ExcerptorError):  # a row the reader could not read
        error = str(text)
    elif _missing(text):
        error = "text is missing (null)"
    elif not isinstance(text, str):
        error = f"text is not a string ({type(text).__name__})"
    elif len(text) > MAX_BYTES // 4 and len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        error = f"text is larger than {MAX_BYTES // 1_000_000} MB"
    elif _missing(title):
        title = None
    elif not isinstance(title, str):
        error = f"title is not a string ({type(title).__name__})"
    if error is None:
        try:
            from .pipeline import analyze

            with _ONE_AT_A_TIME:
                a = analyze(text, title=title, **settings)
            return (
                a.excerpt,
                list(a.summary),
                int(a.reading_time),
                int(a.reading_time_without_repeats),
                [w.code for w in a.warnings],
                None,
            )
        except ExcerptorError as exc:
            error = exc.message
        except RecursionError:
            error = "text is nested too deeply to analyze"
        except Exception as exc:  # a bug triggered by one row must not end the job
            error = f"internal error ({type(exc).__name__}: {exc})"
    return (None, None, None, None, None, error)


# ----------------------------------------------------------------------- one partition


def analyze_partition(
    part: pd.DataFrame,
    text: str,
    title: str | None,
    keep: Sequence[str] | None,
    settings: Mapping[str, Any],
    site: str | None = None,
    learned: Mapping[str, frozenset[str]] | None = None,
) -> pd.DataFrame:
    """``part``'s ``keep`` columns (all when None) and the result columns, row for row; a
    row of a site in ``learned`` (site -> its boilerplate) has that boilerplate added."""
    titles = part[title].tolist() if title is not None else [None] * len(part)
    sites = part[site].tolist() if site is not None else [None] * len(part)
    rows = [
        analyze_document(t, h, _with_boilerplate(settings, learned, s))
        for t, h, s in zip(part[text].tolist(), titles, sites, strict=True)
    ]
    cols = list(zip(*rows, strict=True)) if rows else [()] * len(RESULT_COLUMNS)
    out = part[list(keep)].copy() if keep is not None else part.copy()
    index = part.index
    for name, values, dtype in zip(
        RESULT_COLUMNS, cols, ("string", object, "Int64", "Int64", object, "string"), strict=True
    ):
        out[name] = pd.Series(list(values), index=index, dtype=dtype)
    return out


def _site_key(value: Any) -> str | None:
    return None if _missing(value) else str(value)


def _with_boilerplate(
    settings: Mapping[str, Any], learned: Mapping[str, frozenset[str]] | None, site: Any
) -> Mapping[str, Any]:
    extra = (learned or {}).get(_site_key(site))  # type: ignore[arg-type]
    if not extra:
        return settings
    return {**settings, "boilerplate": (*settings.get("boilerplate", ()), *extra)}


# ----------------------------------------------------------------- site boilerplate


def _sentence_pairs(part: pd.DataFrame, site: str, text: str) -> pd.DataFrame:
    """(site, normalized sentence) once per row and sentence, and (site, "") once per row:
    what :func:`learn_sites` counts. Rows without a site or a readable text give none."""
    from .boilerplate import body_keys

    sites: list[str] = []
    keys: list[str] = []
    for value, body in zip(part[site].tolist(), part[text].tolist(), strict=True):
        name = _site_key(value)
        if name is None or not isinstance(body, str) or len(body) > MAX_BYTES:
            continue
        try:
            with _ONE_AT_A_TIME:
                found = body_keys(body)
        except Exception:  # analyze_document reports the row
            continue
        sites += [name] * (len(found) + 1)
        keys += ["", *found]
    return pd.DataFrame(
        {"site": pd.Series(sites, dtype=object), "key": pd.Series(keys, dtype=object)}
    )


def _learned(counts: pd.Series) -> dict[str, frozenset[str]]:
    """site -> boilerplate, from the counts of (site, sentence) pairs ("" counts rows)."""
    from .defects import needed

    posts = {name: n for (name, key), n in counts.items() if key == ""}
    out: dict[str, set[str]] = {}
    for (name, key), n in counts.items():
        if key and n >= needed(posts.get(name, 0)):
            out.setdefault(name, set()).add(key)
    return {name: frozenset(keys) for name, keys in out.items()}


def learn_sites(ddf: dd.DataFrame, site: str, text: str = "body") -> Any:
    """A Dask ``Delayed`` of {site: boilerplate}: per value of the ``site`` column, the
    sentences that recur across its rows' ``text`` (the thresholds of
    :func:`excerptor.defects.boilerplate`). Sentences in fewer than
    :data:`~excerptor.defects.MIN_POSTS` rows are dropped on the workers, so only
    candidates reach the client."""
    from .defects import MIN_POSTS

    meta = _sentence_pairs(ddf._meta, site, text)
    pairs = ddf.map_partitions(_sentence_pairs, site, text, meta=meta, align_dataframes=False)
    counts = pairs.groupby(["site", "key"]).size()
    return dask.delayed(_learned)(counts[counts >= MIN_POSTS])


# ------------------------------------------------------------------------------ a frame


def _columns(
    columns: list,
    id: str | None,
    text: str,
    title: str | None,
    path: str | None = None,
    site: str | None = None,
) -> str | None:
    """The title column to use; ExcerptorError naming a column that is not there. The
    default title column, ``"title"``, is optional."""
    for name in (id, text, site, title):
        if name is not None and name not in columns:
            if name == title == "title":
                return None
            listed = ", ".join(map(str, columns))
            raise ExcerptorError(f"no column {name!r} (columns: {listed})", path)
    return title


def _settings(settings: Mapping[str, Any]) -> dict[str, Any]:
    """``settings`` checked once, here, before anything is sent to a worker."""
    from . import Settings

    if "title" in settings:
        raise TypeError("title is a column here: pass its name as title=")
    Settings.of(**settings)  # raises ExcerptorError / TypeError for bad settings
    return {k: tuple(v) if isinstance(v, list) else v for k, v in settings.items()}


def analyze_frame(
    ddf: dd.DataFrame,
    text: str = "body",
    title: str | None = "title",
    id: str | None = None,
    site: str | None = None,
    **settings: Any,
) -> dd.DataFrame:
    """``ddf`` with the result columns added (:data:`RESULT_COLUMNS`), lazily.

    ``text``: the column of post bodies (Markdown or plain text). ``title``: the column of
    titles (the default ``"title"`` is used only when the frame has it; None: no titles).
    ``id``: keep only this input column beside the results (default: keep every column).
    ``site``: the column naming each row's site; each site's boilerplate is learned from its
    rows (:func:`learn_sites`) unless ``learn_boilerplate=False``.
    ``settings``: those of :func:`excerptor.analyze` (``max_chars``, ``sentences``,
    ``algorithm``, reading speeds, ``fillers`` …), checked here before anything runs.
    """
    title = _columns(list(ddf.columns), id, text, title, site=site)
    plain = _settings(settings)
    keep = [id] if id is not None else None
    learned = None
    if site is not None and plain.get("learn_boilerplate", True):
        learned = learn_sites(ddf, site, text)
    meta = analyze_partition(ddf._meta, text, title, keep, plain, site, {})
    return ddf.map_partitions(
        analyze_partition,
        text,
        title,
        keep,
        plain,
        site,
        learned,
        meta=meta,
        align_dataframes=False,
    )


def part_name(i: int) -> str:
    """The file of partition ``i``: zero-padded, so that name order is input order."""
    return f"part.{i:06d}.parquet"


def parquet_schema(frame: dd.DataFrame) -> pa.Schema:
    """The Arrow schema to write ``frame`` (a result of :func:`analyze_frame`) with:
    ``frame.to_parquet(path, schema=parquet_schema(frame), write_index=False)``
    (add ``name_function=part_name`` to have files sort in input order).

    Dask infers a schema from typed columns only, and the lists of ``summary`` and
    ``findings`` are Python objects, so they are named here.
    """
    fields = []
    for name in frame.columns:
        if name in RESULT_COLUMNS:
            fields.append(RESULT_SCHEMA.field(name))
            continue
        inferred = pa.Schema.from_pandas(frame._meta[[name]], preserve_index=False).field(name)
        if pa.types.is_null(inferred.type):
            raise ExcerptorError(
                f"column {name!r} holds Python objects; give it a type first, "
                f"e.g. frame.astype({{{name!r}: 'string'}})"
            )
        fields.append(inferred)
    return pa.schema(fields)


# ---------------------------------------------------------------------------- reading


def input_files(url: str) -> tuple[str, list[str]]:
    """``("jsonl" | "parquet", [url, …])`` for a file, a folder or a glob, local or fsspec."""
    fs, path = fsspec.core.url_to_fs(url)
    if any(c in path for c in "*?["):
        paths = sorted(fs.glob(path))
    elif fs.isdir(path):
        paths = sorted(p for p in fs.find(path) if not p.rsplit("/", 1)[-1].startswith((".", "_")))
    elif fs.exists(path):
        paths = [path]
    else:
        raise ExcerptorError("no such file or folder", url)

    def kind(p: str) -> str | None:
        name = p.lower()
        for suffix in COMPRESSIONS:
            name = name.removesuffix(suffix)
        if name.endswith(JSONL_SUFFIXES):
            return "jsonl"
        if name.endswith(PARQUET_SUFFIXES):
            return "parquet"
        return None

    kinds = {p: kind(p) for p in paths}
    if len(paths) == 1 and kinds[paths[0]] is None:
        raise ExcerptorError("is neither JSON lines (.jsonl) nor Parquet (.parquet)", url)
    found = {k for k in kinds.values() if k}
    if not found:
        raise ExcerptorError("holds no .jsonl or .parquet file", url)
    if len(found) > 1:
        raise ExcerptorError("holds both JSON lines and Parquet files; name one kind", url)
    return found.pop(), [fs.unstrip_protocol(p) for p in paths if kinds[p]]


def _blocks(urls: list[str], blocksize: int) -> list[tuple[str, int, int | None]]:
    """(url, offset, length) byte ranges of about ``blocksize``; whole compressed files."""
    out = []
    for url in urls:
        fs, path = fsspec.core.url_to_fs(url)
        if url.lower().endswith(COMPRESSIONS):
            out.append((url, 0, None))
            continue
        size = fs.size(path) or 0
        out.extend((url, off, min(blocksize, size - off)) for off in range(0, size, blocksize))
        if size == 0:
            out.append((url, 0, 0))
    return out


def _field(record: dict, name: str | None) -> Any:
    return record.get(name) if name is not None else None


def read_jsonl_block(
    block: tuple[str, int, int | None],
    id: str,
    text: str,
    title: str | None,
    site: str | None = None,
) -> pd.DataFrame:
    """The rows of the JSON lines that start in a byte range (as :func:`dask.bytes.read_bytes`
    splits files). A line that is not a JSON object becomes a row whose text is the
    ExcerptorError saying so, and so gets an ``error`` in the output."""
    from fsspec.utils import read_block

    url, offset, length = block
    with fsspec.open(url, "rb", compression="infer") as fh:
        data = fh.read() if length is None else read_block(fh, offset, length, b"\n")
    ids: list[Any] = []
    texts: list[Any] = []
    titles: list[Any] = []
    sites: list[Any] = []
    pos = 0
    for raw in data.split(b"\n"):
        at = offset + pos
        pos += len(raw) + 1
        if not raw.strip():
            continue
        try:
            record = json.loads(raw)
        except (UnicodeDecodeError, ValueError):
            record = None
        if not isinstance(record, dict):
            ids.append(None)
            texts.append(ExcerptorError(f"a line (near byte {at}) is not a JSON object", url))
            titles.append(None)
            sites.append(None)
            continue
        key = record.get(id)
        ids.append(key if key is None or isinstance(key, str) else json.dumps(key))
        texts.append(record.get(text))
        titles.append(_field(record, title))
        value = _field(record, site)
        sites.append(value if value is None or isinstance(value, str) else json.dumps(value))
    return _jsonl_frame(ids, texts, titles, id, text, title, sites, site)


def _jsonl_frame(
    ids: list,
    texts: list,
    titles: list,
    id: str,
    text: str,
    title: str | None,
    sites: list | None = None,
    site: str | None = None,
):
    frame = pd.DataFrame({id: pd.Series(ids, dtype="string"), text: pd.Series(texts, dtype=object)})
    if title is not None:
        frame[title] = pd.Series(titles, dtype=object)
    if site is not None:
        frame[site] = pd.Series(sites or [], dtype="string")
    return frame


def _first_record(url: str) -> dict:
    with fsspec.open(url, "rt", compression="infer", encoding="utf-8", errors="replace") as fh:
        for line in fh:
            if line.strip():
                try:
                    record = json.loads(line)
                except ValueError:
                    break
                if isinstance(record, dict):
                    return record
                break
    raise ExcerptorError("the first line is not a JSON object", url)


def read_corpus(
    url: str,
    id: str = "id",
    text: str = "body",
    title: str | None = "title",
    blocksize: int = 1_000_000,
    site: str | None = None,
) -> dd.DataFrame:
    """The ``id``, ``text``, (if present) ``title`` and (if given) ``site`` columns of JSON
    lines or Parquet.

    JSON lines are split into partitions of about ``blocksize`` bytes; ids are read as
    strings (a number id 17 becomes "17"). Parquet keeps its types and row groups.
    ``title``: the default ``"title"`` is optional; a title column named otherwise must exist.
    """
    kind, urls = input_files(url)
    if kind == "parquet":
        ddf = dd.read_parquet(urls, blocksize=blocksize)
        columns = list(ddf.columns)
    else:
        columns = list(_first_record(urls[0]))
    title = _columns(columns, id, text, title, url, site)
    wanted = [id, text] + ([title] if title is not None else []) + ([site] if site else [])
    if kind == "parquet":
        return ddf[wanted]
    meta = _jsonl_frame([], [], [], id, text, title, [], site)
    # Text and title stay Python objects, so that a number where text should be is reported
    # as such instead of being turned into a string by Dask's pyarrow string conversion.
    with dask.config.set({"dataframe.convert-string": False}):
        return dd.from_map(
            read_jsonl_block,
            _blocks(urls, blocksize),
            id=id,
            text=text,
            title=title,
            site=site,
            meta=meta,
            label="read-jsonl",
            enforce_metadata=False,
        )
