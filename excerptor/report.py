"""``excerptor report [PATH ...] -o report.html``: the whole site on one HTML page.

Each post goes through :func:`excerptor.process.process_post` (with the run loop, settings and
cache of ``rewrite`` and ``lint``: :func:`excerptor.runner.run`); nothing is written but the
report. The page is one self-contained file (no network): a summary, a histogram of reading
times before and after (inline SVG, drawn here), a sortable, filterable and paged table of
posts with the old and new excerpt and reading time, and the findings grouped by code.

Post text is untrusted: the template is autoescaped, and the table's rows travel as JSON in a
``<script type="application/json">`` with ``<``, ``>`` and ``&`` escaped, which the page's
script puts into the DOM as text only.

Only the standard library is imported at module level (cli builds its parser from here);
Jinja2 is imported when a report is rendered.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .options import Setup, add_run_arguments, add_setting_arguments, usage

#: The chart's last bin holds every value at or above it.
CHART_MAX_MINUTES = 30
#: Table rows on one page (the page's script pages the rest).
PAGE_SIZE = 50


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "report",
        help="write one HTML page showing what rewrite would change and what lint finds",
        description="Write one self-contained HTML page (no network) with what rewrite would "
        "change across a site and what lint finds: a summary, a chart of reading times before "
        "and after, a sortable and filterable table of posts (old and new excerpt and reading "
        "time) and the findings by code. Nothing else is written. With no PATH inside a "
        "Jekyll or Hugo site: its folders of posts. Exit 0 when written, 1 when a post could "
        "not be read (the report is still written), 2 on usage errors.",
    )
    p.add_argument("paths", nargs="*", metavar="PATH", help="post files or folders of posts")
    p.add_argument(
        "-o",
        "--output",
        default="report.html",
        metavar="FILE",
        help="the HTML file to write (default report.html)",
    )
    p.add_argument(
        "--dedupe",
        action="store_true",
        help="show what rewrite --dedupe would do (remove end markers and repeated blocks)",
    )
    add_setting_arguments(p)
    add_run_arguments(p, verbosity=False)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from .errors import ExcerptorError
    from .files import walk
    from .runner import run as run_all

    out = Path(args.output)
    if out.is_dir():
        return usage("report", f"--output {args.output}: is a folder")
    try:
        setup = Setup(args, args.paths)
        paths = setup.paths(args.paths)
    except ExcerptorError as exc:
        return usage("report", str(exc))
    found = walk(paths, follow_symlinks=args.follow_symlinks)
    outcomes = run_all(setup.tasks(found), setup.settings, jobs=setup.jobs, cache=setup.cache)
    data = collect(outcomes, setup.settings, base=out.resolve().parent, sources=paths)
    for row in data["rows"]:
        if row["s"] == "error":
            print(f"excerptor: {row['p']}: {row['r']}", file=sys.stderr)
    html = render(data)
    from .atomic import write_atomic

    try:
        write_atomic(str(out), html)
    except (OSError, ExcerptorError) as exc:
        print(f"excerptor report: error: cannot write {args.output}: {exc}", file=sys.stderr)
        return 1
    s = data["summary"]
    size = out.stat().st_size
    print(
        f"wrote {args.output} ({_size(size)}): {_n(s['posts'], 'post')}, {s['changed']} would "
        f"change ({_n(s['excerpts'], 'excerpt')}, {_n(s['reading_times'], 'reading time')}), "
        f"{_n(s['findings'], 'finding')} in {_n(s['flagged'], 'post')}, "
        f"{_n(s['errors'], 'error')}"
    )
    return 1 if s["errors"] else 0


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{n / 1e3:.0f} KB"


def collect(
    outcomes: Iterable[tuple[Any, Any]],
    settings: Any,
    *,
    base: Path | None = None,
    sources: Iterable[str] = (),
) -> dict[str, Any]:
    """The report's data from ``(task, outcome)`` pairs (as :func:`excerptor.runner.run` gives):
    ``rows`` (one per post, JSON-able), ``summary``, ``codes`` and ``chart``. ``base``: the
    folder the report is written to (row links are relative to it)."""
    from .process import CHANGED, ERROR, NOT_POSTS, SKIPPED

    ef, rf = settings.excerpt_field, settings.reading_time_field
    rows: list[dict[str, Any]] = []
    for task, outcome in outcomes:
        if outcome.status == SKIPPED and outcome.reason in NOT_POSTS:
            continue  # not a post (lint and rewrite do not count it either)
        row: dict[str, Any] = {
            "p": task.name,
            "h": _href(task.name, base),
            "t": outcome.title or "",
            "s": outcome.status,
        }
        if outcome.status in (ERROR, SKIPPED):
            row["r"] = outcome.reason
            rows.append(row)
            continue
        before = dict(outcome.fields)
        if outcome.updates:
            old = _front_matter(task.data)
            for name in outcome.updates:
                before[name] = old.get(name)
        after = outcome.fields
        row.update(
            e0=_text(before.get(ef)) if ef else "",
            e1=_text(after.get(ef)) if ef else "",
            ec=bool(ef) and ef in outcome.updates,
            m0=_minutes(before.get(rf)) if rf else None,
            m1=_minutes(after.get(rf)) if rf else None,
            mc=bool(rf) and rf in outcome.updates,
            f=[[f.code, f.line, list(f.lines), f.message] for f in outcome.findings],
        )
        if row["m0"] is None and rf and before.get(rf) not in (None, ""):
            row["m0s"] = _text(before.get(rf))  # a value that is not a number of minutes
        row["c"] = outcome.status == CHANGED
        rows.append(row)
    return {
        "rows": rows,
        "summary": _summary(rows),
        "codes": _codes(rows),
        "chart": chart([r.get("m0") for r in rows], [r.get("m1") for r in rows]),
        "settings": settings.to_dict(),
        "fields": {"excerpt": ef, "reading_time": rf},
        "sources": list(sources),
    }


def _href(name: str, base: Path | None) -> str:
    """A link to a post file: relative to the report's folder, else a file:// URL."""
    path = Path(name).resolve()
    if base is not None:
        try:
            return quote(Path(os.path.relpath(path, base)).as_posix())
        except ValueError:  # another drive (Windows)
            pass
    return path.as_uri()


def _front_matter(data: Any) -> dict[str, Any]:
    """The front matter of a post as it was (empty when it cannot be read).

    Only posts that process_post has read (with its bounded YAML loader) come here, so
    libyaml's safe loader may read them again: the pure-Python one would double the run's time
    on a warm cache."""
    import yaml

    from .errors import ExcerptorError
    from .files import decode
    from .handlers import HANDLERS

    try:
        text = decode(data)[0] if isinstance(data, (bytes, bytearray)) else data
        for handler in HANDLERS:
            if handler.detect(text):
                fm = handler.split(text)[0]
                if handler.format == "yaml" and hasattr(yaml, "CSafeLoader"):
                    meta = yaml.load(fm, Loader=yaml.CSafeLoader)  # noqa: S506 (a safe loader)
                else:
                    meta = handler.load(fm)
                return meta if isinstance(meta, dict) else {}
    except (ExcerptorError, yaml.YAMLError, TypeError, ValueError):
        pass
    return {}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


def _minutes(value: Any) -> int | None:
    from .process import _stated_minutes

    return _stated_minutes(value)


def _summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    posts = [r for r in rows if r["s"] != "skipped"]
    stated = Counter(r["m0"] for r in posts if r.get("m0") is not None)
    common, common_n = stated.most_common(1)[0] if stated else (None, 0)
    return {
        "posts": len(posts),  # as lint's "files": every post but those that opt out
        "skipped": len(rows) - len(posts),
        "errors": sum(r["s"] == "error" for r in rows),
        "changed": sum(bool(r.get("c")) for r in rows),
        "excerpts": sum(bool(r.get("ec")) for r in rows),
        "reading_times": sum(bool(r.get("mc")) for r in rows),
        "findings": sum(len(r.get("f", ())) for r in rows),
        "flagged": sum(bool(r.get("f")) for r in rows),
        "stated": sum(stated.values()),
        "common_minutes": common,
        "common_count": common_n,
    }


def _codes(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Finding codes, most frequent first: findings and posts of each."""
    findings: Counter[str] = Counter()
    posts: Counter[str] = Counter()
    for row in rows:
        codes = [f[0] for f in row.get("f", ())]
        findings.update(codes)
        posts.update(set(codes))
    return [
        {"code": code, "findings": n, "posts": posts[code]}
        for code, n in sorted(findings.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


def chart(
    before: Iterable[int | None],
    after: Iterable[int | None],
    *,
    width: int = 760,
    height: int = 240,
    top: int = CHART_MAX_MINUTES,
) -> dict[str, Any]:
    """A histogram of reading times before and after (minutes), as SVG geometry: one bin a
    minute from 1 to ``top``, the last bin holding ``top`` and more."""
    b = Counter(min(max(v, 0), top) for v in before if v is not None)
    a = Counter(min(max(v, 0), top) for v in after if v is not None)
    low = 0 if (b.get(0) or a.get(0)) else 1
    high = max([*b, *a, 5])
    bins = list(range(low, high + 1))
    peak = max([*b.values(), *a.values(), 1])
    left, bottom, pad_top = 40, 28, 10
    plot_w, plot_h = width - left - 10, height - bottom - pad_top
    slot = plot_w / len(bins)
    bar = max(slot * 0.4, 1.0)
    bars, labels = [], []
    for i, minutes in enumerate(bins):
        x = left + i * slot
        label = f"{minutes}+" if minutes == top else str(minutes)
        for j, (kind, counts) in enumerate((("before", b), ("after", a))):
            n = counts.get(minutes, 0)
            h = plot_h * n / peak
            bars.append(
                {
                    "kind": kind,
                    "x": round(x + slot * 0.1 + j * bar, 1),
                    "y": round(pad_top + plot_h - h, 1),
                    "w": round(bar, 1),
                    "h": round(h, 1),
                    "n": n,
                    "label": label,
                }
            )
        step = 1 if len(bins) <= 16 else 5
        if minutes % step == 0 or minutes == top or minutes == low:
            labels.append({"x": round(x + slot / 2, 1), "text": label})
    ticks = sorted({0, peak // 2, peak})
    return {
        "width": width,
        "height": height,
        "left": left,
        "base": pad_top + plot_h,
        "right": width - 10,
        "bars": bars,
        "labels": labels,
        "ticks": [{"y": round(pad_top + plot_h - plot_h * t / peak, 1), "n": t} for t in ticks],
        "peak": peak,
    }


def rows_json(rows: list[dict[str, Any]]) -> str:
    """The rows as JSON that is safe inside a ``<script>`` element (no ``<``, ``>``, ``&``)."""
    text = json.dumps(rows, ensure_ascii=False, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def render(data: dict[str, Any]) -> str:
    """The report page: one HTML document with its CSS and script inlined."""
    from importlib.resources import files

    import jinja2
    from markupsafe import Markup

    from . import __version__

    folder = files("excerptor") / "data"
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    template = env.from_string((folder / "report.html.j2").read_text(encoding="utf-8"))
    script = (folder / "report.js").read_text(encoding="utf-8")
    # The page's Content-Security-Policy lets only this script run (and nothing load).
    digest = base64.b64encode(hashlib.sha256(f"\n{script}\n".encode()).digest()).decode()
    return template.render(
        **data,
        page_size=PAGE_SIZE,
        version=__version__,
        rows_json=Markup(rows_json(data["rows"])),
        css=Markup((folder / "report.css").read_text(encoding="utf-8")),
        script=Markup(script),
        script_hash=digest,
    )
