"""``excerptor corpus`` (Dask) on the livedoor news corpus: scaling, overhead, memory, rows.

Side by side in one run, each a fresh command as a user would type it, on the 7,367 articles
of ../shared/corpus/livedoor_news.jsonl (fields id, title, text):

* ``excerptor corpus --workers 1`` against ``--workers 2``          (goal: ≥ 1.7×)
* ``excerptor corpus --workers 2`` against ``excerptor jsonl --jobs 2 --no-cache`` on the same
  texts (``{"id", "content", "title"}`` lines on stdin)              (goal: overhead ≤ 15 %)
* the peak RSS of each worker process (psutil, sampled every 0.1 s)  (goal: ≤ 400 MB)
* 1×, 3× and 10× the corpus (the articles repeated, ids made unique), ``--workers 2``: time
  per row should stay the same                                       (goal: linear)
* the fixed cost: ``excerptor corpus --workers 2`` on a one-row file (cluster start and stop)

Usage: python benchmarks/dask.py [--sizes 1,3,10] [--limit N] [--rows-only]
(N articles instead of all, e.g. to try the 10× run on a subset; --rows-only: only the
1×, 3×, 10× rows.)
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
# This file is named dask.py: keep its folder off sys.path so `import dask` finds Dask.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402

ROOT = HERE.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "livedoor_news.jsonl"
MB = 1024 * 1024


class PeakRSS:
    """Peak RSS and USS of every descendant process of ``pid``, sampled in a thread (USS,
    which reads /proc/PID/smaps, every tenth sample). RSS counts the pages of MeCab's
    memory-mapped dictionary that a process has touched, though all processes share them;
    USS is what the process alone holds."""

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        import psutil

        self.root = psutil.Process(pid)
        self.interval = interval
        self.peak: dict[int, tuple[str, int]] = {}
        self.peak_uss: dict[int, int] = {}
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        import psutil

        n = 0
        while not self.done.is_set():
            try:
                procs = self.root.children(recursive=True)
            except psutil.Error:
                break
            for p in procs:
                try:
                    rss = p.memory_info().rss
                    cmd = " ".join(p.cmdline()[1:4])
                    if n % 10 == 0:
                        uss = p.memory_full_info().uss
                        self.peak_uss[p.pid] = max(uss, self.peak_uss.get(p.pid, 0))
                except psutil.Error:
                    continue
                if rss > self.peak.get(p.pid, ("", 0))[1]:
                    self.peak[p.pid] = (cmd, rss)
            n += 1
            time.sleep(self.interval)

    def stop(self) -> list[tuple[int, int]]:
        """(peak RSS, peak USS) of each process, largest first: the workers come first
        (the client, the resource tracker and the pool's parent hold less)."""
        self.done.set()
        self.thread.join()
        peaks = [(rss, self.peak_uss.get(pid, 0)) for pid, (_, rss) in self.peak.items()]
        return sorted(peaks, reverse=True)


def timed(cmd: list[str], stdin_path: Path | None = None) -> tuple[float, str, list]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    stdin = stdin_path.open("rb") if stdin_path else subprocess.DEVNULL
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT
    )
    sampler = PeakRSS(proc.pid)
    out, err = proc.communicate()
    elapsed = time.perf_counter() - start
    peak = sampler.stop()
    if stdin_path:
        stdin.close()
    if proc.returncode != 0:
        sys.exit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{err.decode()[-2000:]}")
    last = out.decode().strip().splitlines()
    return elapsed, last[-1] if last else "", peak


def corpus(src: Path, out: Path, workers: int) -> tuple[float, str, list]:
    cmd = [sys.executable, "-m", "excerptor", "corpus", str(src), str(out)]
    return timed(cmd + ["--text-column", "text", "--workers", str(workers), "--overwrite"])


def write_inputs(rows: list[dict], tmp: Path, times: int) -> tuple[Path, Path]:
    """The corpus repeated ``times`` (ids made unique), as corpus input and as jsonl input."""
    src, lines = tmp / f"corpus-{times}x.jsonl", tmp / f"jsonl-{times}x.jsonl"
    with src.open("w", encoding="utf-8") as a, lines.open("w", encoding="utf-8") as b:
        for k in range(times):
            for r in rows:
                rid = f"{r['id']}#{k}"
                a.write(json.dumps({"id": rid, "title": r["title"], "text": r["text"]}) + "\n")
                b.write(json.dumps({"id": rid, "content": r["text"], "title": r["title"]}) + "\n")
    return src, lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1,3,10", help="corpus repeats to time (default 1,3,10)")
    parser.add_argument("--limit", type=int, default=None, help="articles to use (default all)")
    parser.add_argument(
        "--rows-only", action="store_true", help="only the 1×, 3×, 10× rows (no 1 worker, jsonl)"
    )
    args = parser.parse_args()
    if not CORPUS.is_file():
        print(f"{CORPUS} is absent; nothing to measure")
        return
    with CORPUS.open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()][: args.limit]
    chars = sum(len(r["text"]) for r in rows)
    print(f"{len(rows)} articles, {chars / 1e6:.1f} M characters of text, {os.cpu_count()} cores")
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as tmp_:
        tmp = Path(tmp_)
        src1, lines1 = write_inputs(rows, tmp, 1)
        one = tmp / "one.jsonl"
        one.write_text(src1.open(encoding="utf-8").readline(), encoding="utf-8")

        t2, line2, peak2 = corpus(src1, tmp / "out-w2", 2)
        print(f"corpus --workers 2: {line2}")
        if not args.rows_only:
            fixed, _, _ = corpus(one, tmp / "out-one", 2)
            t1, line1, _ = corpus(src1, tmp / "out-w1", 1)
            jsonl_cmd = [sys.executable, "-m", "excerptor", "jsonl", "--jobs", "2", "--no-cache"]
            tj, _, peakj = timed(jsonl_cmd, lines1)
            print(f"corpus --workers 1: {line1}")

        results = [("1×, --workers 2", len(rows), t2)]
        for times in sizes:
            if times == 1:
                continue
            src, _ = write_inputs(rows, tmp, times)
            t, line, _ = corpus(src, tmp / f"out-{times}x", 2)
            print(f"corpus {times}×: {line}")
            results.append((f"{times}×, --workers 2", len(rows) * times, t))
            src.unlink()

    def mem(peaks: list[tuple[int, int]]) -> str:
        rss = " / ".join(f"{r / MB:.0f}" for r, _ in peaks[:2])
        return f"RSS {rss} MB, USS {' / '.join(f'{u / MB:.0f}' for _, u in peaks[:2])} MB"

    print()
    print("| what | measured | goal |")
    print("|---|---|---|")
    if not args.rows_only:
        print(
            f"| `corpus --workers 2` against `--workers 1` | {t2:.1f} s against {t1:.1f} s: "
            f"**×{t1 / t2:.2f}** | ≥ ×1.7 |"
        )
        print(
            f"| `corpus --workers 2` against `jsonl --jobs 2 --no-cache` | {t2:.1f} s against "
            f"{tj:.1f} s: **{(t2 / tj - 1) * 100:+.0f} %** | ≤ +15 % |"
        )
        print(
            f"| fixed cost: `corpus --workers 2` on one row (cluster start, write, stop) | "
            f"{fixed:.1f} s | |"
        )
        print(
            f"| peak memory per worker, `corpus --workers 2` | {mem(peak2)} "
            f"(`jsonl --jobs 2`: {mem(peakj)}) | RSS ≤ 400 MB |"
        )
    else:
        print(f"| peak memory per worker, `corpus --workers 2` | {mem(peak2)} | RSS ≤ 400 MB |")
    base = t2 / len(rows)
    for name, n, t in results:
        print(
            f"| {name}: {n:,} rows | {t:.1f} s, {n / t:.0f} rows/s, "
            f"time per row ×{t / n / base:.2f} of 1× | linear |"
        )


if __name__ == "__main__":
    main()
