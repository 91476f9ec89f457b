"""Wall time of ``excerptor rewrite`` on a temp copy of ../shared/corpus/allforces.

Side by side in one run, each a fresh ``python -m excerptor rewrite`` process:

* cold, ``--jobs 1``  (empty cache)
* cold, ``--jobs 2``  (empty cache, fresh copy)
* warm               (rerun on the rewritten copy with the cache of the first run)
* touched            (every front matter touched: a cache miss, analyzed again)
* the walk of a folder of 50,000 non-post files

With ``--boilerplate``, only the cost of learning the site's boilerplate (the pre-pass): the
same rewrites (``--jobs 2``) with ``--learn-boilerplate`` and with ``--no-learn-boilerplate``,
side by side, cold (empty cache), warm (a rerun on the rewritten copy, with its cache) and
steady (one more rerun: nothing changed since the last run).

Usage: python benchmarks/rewrite.py [--limit N] [--boilerplate]   (N posts; default all)
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "allforces"


def copy_site(dest: Path, limit: int | None) -> Path:
    (dest / "_posts").mkdir(parents=True)
    shutil.copy(CORPUS / "_config.yml", dest / "_config.yml")
    posts = sorted((CORPUS / "_posts").glob("*.md"))[:limit]
    for p in posts:
        shutil.copy(p, dest / "_posts" / p.name)
        (dest / "_posts" / p.name).chmod(0o644)  # ../shared is read-only
    return dest


def rewrite(site: Path, cache: Path, *args: str) -> tuple[float, str]:
    env = dict(os.environ, EXCERPTOR_CACHE_DIR=str(cache), PYTHONPATH=str(ROOT))
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "excerptor", "rewrite", *args],
        cwd=site,
        env=env,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - start
    return elapsed, proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else ""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--boilerplate", action="store_true", help="the pre-pass's cost only")
    args = parser.parse_args()
    if not CORPUS.is_dir():
        print("../shared/corpus/allforces is absent; nothing to measure")
        return
    if args.boilerplate:
        boilerplate_cost(args.limit)
        return
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        a = copy_site(t / "a", args.limit)
        b = copy_site(t / "b", args.limit)
        n = len(list((a / "_posts").glob("*.md")))
        cold1, line1 = rewrite(a, t / "cache-a", "--jobs", "1")
        cold2, line2 = rewrite(b, t / "cache-b", "--jobs", "2")
        warm, line3 = rewrite(a, t / "cache-a", "--jobs", "2")
        for p in (a / "_posts").glob("*.md"):
            text = p.read_text("utf-8")
            p.write_text(text.replace("\nlayout:", "\nlayout:  ", 1), "utf-8")
        warm_body, line4 = rewrite(a, t / "cache-a", "--jobs", "2")
        check, line5 = rewrite(a, t / "cache-a", "--check")

        walk_dir = t / "many"
        walk_dir.mkdir()
        for i in range(50_000):
            (walk_dir / f"asset-{i}.png").touch()
        (walk_dir / "post.md").write_text("---\ntitle: x\n---\n\n本文です。\n", "utf-8")
        walk_t, line6 = rewrite(walk_dir, t / "cache-w", str(walk_dir))
        sys.path.insert(0, str(ROOT))
        from excerptor.files import walk

        start = time.perf_counter()
        found = walk([str(walk_dir)])
        walk_only = time.perf_counter() - start
        line7 = f"{len(found.files)} post found"

    print(f"posts: {n} (allforces), cpu: {os.cpu_count()}")
    rows = [
        ("cold --jobs 1", cold1, line1),
        ("cold --jobs 2", cold2, line2),
        ("warm (file cache)", warm, line3),
        ("every front matter touched", warm_body, line4),
        ("--check after rewrite", check, line5),
        ("50,000 non-post files + 1 post", walk_t, line6),
        ("  of which the walk (in process)", walk_only, line7),
    ]
    for name, secs, line in rows:
        print(f"{name:32} {secs:8.2f} s   {cold1 / secs:7.1f}x vs cold -j1   [{line}]")


def boilerplate_cost(limit: int | None) -> None:
    """Rewrites with and without the boilerplate pre-pass, interleaved, cold then warm; wall
    time, and CPU time of the command and its workers (steadier on a shared machine)."""
    import resource

    def cpu() -> float:
        r = resource.getrusage(resource.RUSAGE_CHILDREN)
        return r.ru_utime + r.ru_stime

    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        flags = {"on": "--learn-boilerplate", "off": "--no-learn-boilerplate"}
        sites = {k: copy_site(t / k, limit) for k in flags}
        n = len(list((sites["on"] / "_posts").glob("*.md")))
        times: dict[tuple[str, str], tuple[float, float, str]] = {}
        for phase in ("cold", "warm", "steady"):
            for k, flag in flags.items():
                before = cpu()
                wall, line = rewrite(sites[k], t / f"cache-{k}", "--jobs", "2", flag)
                times[(phase, k)] = (wall, cpu() - before, line)
    print(f"posts: {n} (allforces), cpu: {os.cpu_count()}, --jobs 2; wall s / CPU s")
    for phase in ("cold", "warm", "steady"):
        on, off = times[(phase, "on")], times[(phase, "off")]
        print(f"{phase:6} learn {on[0]:7.2f} / {on[1]:7.2f}   [{on[2]}]")
        print(
            f"{phase:6} none  {off[0]:7.2f} / {off[1]:7.2f}   [{off[2]}]   "
            f"ratio wall {on[0] / off[0]:.2f}, CPU {on[1] / off[1]:.2f}"
        )


if __name__ == "__main__":
    main()
