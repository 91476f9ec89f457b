"""Each hostile input of tests/test_hardening.py alone: outcome, wall time and peak memory.

    python benchmarks/hostile.py [--timeout 300]

Every case runs ``excerptor rewrite --no-cache --jobs 1 -v`` (or, for the API cases, a
``python -c`` calling excerptor.analyze) in a subprocess, under a small wrapper process whose
``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss`` is that case's peak RSS. Prints a table.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from conftest import cli_env  # noqa: E402
from test_hardening import CASES, file_name, fm, outcomes, verify  # noqa: E402

# Runs argv with a timeout; prints {"rc", "seconds", "rss_mb", "stderr"} as JSON.
WRAPPER = """
import json, resource, subprocess, sys, time
timeout, argv = float(sys.argv[1]), sys.argv[2:]
t = time.perf_counter()
try:
    p = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
    rc, err = p.returncode, p.stderr
except subprocess.TimeoutExpired as e:
    rc, err = "timeout", (e.stderr or b"").decode("utf-8", "replace")
seconds = time.perf_counter() - t
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps({"rc": rc, "seconds": seconds, "rss_mb": rss, "stderr": err}))
"""


def measure(argv: list[str], cwd: Path, timeout: float) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", WRAPPER, str(timeout), *argv],
        cwd=cwd,
        env=cli_env(),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def rewrite_argv(*args: str) -> list[str]:
    return [sys.executable, "-m", "excerptor", "rewrite", "--no-cache", "--jobs", "1", "-v", *args]


def file_case(case, tmp: Path, timeout: float) -> tuple[str, dict]:
    site = tmp / file_name(case)[:-3]
    (site / "_posts").mkdir(parents=True)
    path = site / "_posts" / file_name(case)
    old = case.data()
    path.write_bytes(old)
    m = measure(rewrite_argv(f"_posts/{path.name}"), site, timeout)
    if m["rc"] == "timeout":
        return "TIMEOUT", m
    found = outcomes(m["stderr"]).get(path.name)
    try:
        verify(case, found, old, path.read_bytes())
        ok = "ok"
    except AssertionError as exc:
        ok = f"WRONG ({exc})"
    kind, message = found or ("?", "")
    return f"{ok}: {kind}{': ' + message if message else ''}", m


def symlink_case(tmp: Path, timeout: float) -> tuple[str, dict]:
    outside = tmp / "elsewhere.md"
    outside.write_bytes(fm("外のファイルです。\n"))
    posts = tmp / "symsite" / "_posts"
    posts.mkdir(parents=True)
    (posts / "link.md").symlink_to(outside)
    m = measure(rewrite_argv("_posts"), tmp / "symsite", timeout)
    same = outside.read_bytes() == fm("外のファイルです。\n")
    skipped = "symlink to a file outside" in m["stderr"]
    return ("ok: skipped, target untouched" if same and skipped else "WRONG"), m


def many_files_case(tmp: Path, timeout: float) -> tuple[str, dict]:
    posts = tmp / "many" / "_posts"
    posts.mkdir(parents=True)
    for i in range(25_000):
        (posts / f"img{i}.png").write_bytes(b"\x89PNG\r\n\x1a\n")
        (posts / f"note{i}.md").write_bytes(b"# just markdown\n")
    (posts / "real.md").write_bytes(fm("本物の記事です。\n"))
    m = measure(rewrite_argv("_posts"), tmp / "many", timeout)
    good = m["rc"] == 0 and "1 file, 1 changed" in m["stderr"]
    return ("ok: 1 post rewritten, 49,999 skipped" if good else "WRONG"), m


def analyze_case(expr: str, tmp: Path, timeout: float) -> tuple[str, dict]:
    code = (
        "import excerptor\n"
        f"a = excerptor.analyze({expr})\n"
        "assert len(a.excerpt) <= 120, a.excerpt\n"
        "import sys; print(len(a.excerpt), a.reading_time, file=sys.stderr)\n"
    )
    m = measure([sys.executable, "-c", code], tmp, timeout)
    if m["rc"] == "timeout":
        return "TIMEOUT", m
    last = m["stderr"].strip().splitlines()[-1:] or [""]
    return (f"ok: excerpt chars, minutes = {last[0]}" if m["rc"] == 0 else f"FAILED {last}"), m


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=300)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        runs = [(f"rewrite: {c.name}", lambda c=c: file_case(c, tmp, args.timeout)) for c in CASES]
        runs += [
            ("rewrite: symlink to a file outside", lambda: symlink_case(tmp, args.timeout)),
            ("rewrite: 50,000 non-post files", lambda: many_files_case(tmp, args.timeout)),
            (
                "analyze(): 20 MB string",
                lambda: analyze_case("'あいうえお。' * 1_200_000", tmp, args.timeout),
            ),
            (
                "analyze(): 200,000 chars, no punctuation",
                lambda: analyze_case("'あいうえおかきくけこ' * 20_000", tmp, args.timeout),
            ),
            (
                "analyze(): 10,000 one-char sentences",
                lambda: analyze_case("'あ。' * 10_000", tmp, 300),
            ),
        ]
        for label, fn in runs:
            outcome, m = fn()
            rows.append((label, outcome, f"{m['seconds']:.1f}", f"{m['rss_mb']:.0f}"))
            print(f"[hostile] {label}: {outcome} ({m['seconds']:.1f} s, {m['rss_mb']:.0f} MB)")
            sys.stdout.flush()
    header = ("case", "outcome", "seconds", "peak RSS MB")
    rows = [(a, b[:90], c, d) for a, b, c, d in rows]
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=True)]
    print()
    for row in [header, tuple("-" * w for w in widths), *rows]:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))
    return 0 if all(r[1].startswith("ok") for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
