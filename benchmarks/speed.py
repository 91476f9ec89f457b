"""excerptor's speed, as ratios measured side by side in one run (issue "Speed").

    python benchmarks/speed.py [--sections pipeline,scaling,memory,startup,rewrite]
                               [--posts 400] [--repeat 3] [--profile] [--quick]

Sections (all by default; each prints its figures and whether its goal is met):

pipeline  ``analyze(body)`` (what the CLI and ``rewrite`` do) and ``excerpt(body)`` +
          ``reading_time(body)`` per post over the bodies of ../shared/corpus/allforces/_posts,
          against fugashi's bare ``[w.surface for w in tagger(body)]`` on the same bodies with
          one reused unidic-lite Tagger (the floor).  Goal: >= 30 % of the floor's throughput.
          ``--profile`` adds a cProfile of ``analyze`` (top functions by own time).
scaling   summarization time vs sentences (50 … 1,600 livedoor news sentences), default
          algorithm and stock sumy LexRank, log-log exponents (goal <= 1.2), and on the seed
          post stock LexRank / default (goal >= 20×); helpers from benchmarks/scaling.py.  Also
          the whole ``analyze`` on bodies of n sentences, for its exponent.
memory    peak RSS of one process running ``analyze`` over allforces, and over 2,500 posts
          (the corpus repeated).  Goal: <= 400 MB per worker.
startup   ``excerptor --version`` and ``import excerptor`` vs ``python -c pass`` (min and
          median wall and CPU time of many runs; goal: within 0.15 s), the heavy modules either
          imports (none allowed), and ``excerptor rewrite`` on one post (goal <= 0.8 s wall).
rewrite   ``rewrite --jobs 2`` vs ``--jobs 1`` on a temp copy of allforces (goal >= 1.6×) and a
          warm-cache rerun vs a cold run (goal >= 50×): runs benchmarks/rewrite.py.

Absolute times on a shared 2-core machine are noise: every case is repeated round-robin and
the best time kept.  Sections that need ../shared skip with a message when it is absent.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
POSTS = SHARED / "corpus" / "allforces" / "_posts"
SEED = SHARED / "seed" / "000_8f79073e99891395.txt"
NEWS = SHARED / "corpus" / "livedoor_news.jsonl"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

#: Modules that ``import excerptor`` and ``excerptor --version`` must not load.
HEAVY = ("numpy", "scipy", "fugashi", "sumy", "nltk", "markdown_it", "yaml", "frontmatter")
SECTIONS = ("pipeline", "scaling", "memory", "startup", "rewrite")

GOALS = {
    "floor": 0.30,
    "exponent": 1.2,
    "seed": 20.0,
    "rss_mb": 400.0,
    "startup_s": 0.15,
    "rewrite_one_s": 0.8,
    "jobs": 1.6,
    "warm": 50.0,
}


def verdict(ok: bool) -> str:
    return "MET" if ok else "NOT MET"


def best_of(cases: list[tuple[str, Callable[[], object]]], repeat: int) -> list[float]:
    """Best time of each case, run round-robin so that drifting load hits all alike."""
    best = [float("inf")] * len(cases)
    for _ in range(repeat):
        for i, (_name, fn) in enumerate(cases):
            start = time.perf_counter()
            fn()
            best[i] = min(best[i], time.perf_counter() - start)
    return best


def allforces_bodies(limit: int | None = None) -> list[str]:
    from tokens import bodies  # benchmarks/tokens.py: front matter stripped the same way

    return bodies(limit if limit is not None else 10**9)


def heading(title: str) -> None:
    print(f"\n=== {title}", flush=True)


# ------------------------------------------------------------------------------ pipeline


def section_pipeline(args: argparse.Namespace) -> None:
    heading("pipeline vs fugashi's bare tokenization (single process)")
    if not POSTS.is_dir():
        print(f"skipped: {POSTS} is absent")
        return
    import fugashi

    import excerptor

    texts = allforces_bodies(args.posts)
    chars = sum(map(len, texts))
    tagger = fugashi.Tagger()

    def floor() -> None:
        for body in texts:
            [w.surface for w in tagger(body)]

    def analyze() -> None:
        for body in texts:
            excerptor.analyze(body)

    def two_calls() -> None:
        for body in texts:
            excerptor.excerpt(body)
            excerptor.reading_time(body)

    cases = [
        ("fugashi floor [w.surface for w in tagger(body)]", floor),
        ("excerptor.analyze(body)", analyze),
        ("excerptor.excerpt(body) + reading_time(body)", two_calls),
    ]
    for body in texts[:5]:  # warm up: imports, the taggers, the dictionary pages
        [w.surface for w in tagger(body)]
        excerptor.analyze(body)
    best = best_of(cases, args.repeat)
    base = best[0]
    print(f"{len(texts)} posts, {chars:,} characters of body; best of {args.repeat}")
    print(f"{'case':<50} {'seconds':>8} {'posts/s':>8} {'kchar/s':>8} {'of floor':>9}")
    for (name, _fn), t in zip(cases, best, strict=True):
        print(f"{name:<50} {t:8.2f} {len(texts) / t:8.1f} {chars / t / 1000:8.0f} {base / t:9.0%}")
    for name, t in zip(("analyze", "excerpt + reading_time"), best[1:], strict=True):
        ratio = base / t
        ok = verdict(ratio >= GOALS["floor"])
        print(f"goal >= {GOALS['floor']:.0%} of the floor, {name}: {ratio:.0%} {ok}")

    if args.profile:
        profiler = cProfile.Profile()
        profiler.runcall(analyze)
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("tottime").print_stats(25)
        stats.sort_stats("cumulative").print_stats(r"excerptor", 30)
        print(out.getvalue())


# ------------------------------------------------------------------------------- scaling


def section_scaling(args: argparse.Namespace) -> None:
    heading("summarization scaling: default algorithm vs stock sumy LexRank")
    if not NEWS.exists():
        print(f"skipped: {NEWS} is absent")
        return
    import re

    import scaling  # benchmarks/scaling.py

    from excerptor.summarizers import DEFAULT_ALGORITHM, Sentence, rank

    sizes = scaling.SIZES
    words = scaling.tokenizer()
    pool = scaling.news_sentences(max(sizes), words)
    rank([Sentence(t, w, 0, i) for i, (t, w) in enumerate(pool[:20])])  # import, warm up
    stock: dict[int, float] = {}
    ours: dict[int, float] = {}
    whole: dict[int, float] = {}
    import excerptor

    print(f"{'n':>6} {'stock lexrank':>14} {DEFAULT_ALGORITHM + ' rank()':>16} {'analyze()':>11}")
    for n in sizes:
        texts = [t for t, _ in pool[:n]]
        toks = [w for _, w in pool[:n]]
        sents = [Sentence(t, w, 0, i) for i, (t, w) in enumerate(pool[:n])]
        if n <= args.max_stock:
            stock[n] = scaling.best_time(
                scaling.stock_lexrank(texts, toks), 1 if n >= 800 else args.repeat
            )
        ours[n] = scaling.best_time(lambda sents=sents: rank(sents, DEFAULT_ALGORITHM), args.repeat)
        # The whole pipeline on a body of n sentences, three to a paragraph.
        body = "\n\n".join("".join(texts[i : i + 3]) for i in range(0, n, 3))
        whole[n] = scaling.best_time(lambda body=body: excerptor.analyze(body), args.repeat)
        st = f"{stock[n]:13.4f}s" if n in stock else f"{'-':>14}"
        print(f"{n:>6} {st} {ours[n]:15.4f}s {whole[n]:10.3f}s", flush=True)

    ks = sorted(stock)
    k_ours = scaling.slope(list(ours), list(ours.values()))
    k_whole = scaling.slope(list(whole), list(whole.values()))
    if len(ks) >= 2:
        k_stock = scaling.slope(ks, [stock[n] for n in ks])
        print(f"stock LexRank exponent k = {k_stock:.2f}")
    top = max(ks) if ks else None
    faster = f", ×{stock[top] / ours[top]:,.0f} faster than stock at n = {top}" if top else ""
    print(f"{DEFAULT_ALGORITHM} rank() exponent k = {k_ours:.2f}{faster}")
    print(f"whole analyze() exponent k = {k_whole:.2f}")
    ok = k_ours <= GOALS["exponent"]
    print(f"goal k <= {GOALS['exponent']}: {k_ours:.2f} {verdict(ok)}")

    if SEED.exists():
        import frontmatter

        body = re.sub(r"```.*?```", "", frontmatter.load(SEED).content, flags=re.S)
        texts = [t.strip(" #>*-") for t in scaling.split(body) if t.strip(" #>*-")]
        toks = [words(t) for t in texts]
        sents = [Sentence(t, w, 0, i) for i, (t, w) in enumerate(zip(texts, toks, strict=True))]
        t_stock = scaling.best_time(scaling.stock_lexrank(texts, toks), args.repeat)
        t_ours = scaling.best_time(lambda: rank(sents, DEFAULT_ALGORITHM), args.repeat)
        ratio = t_stock / t_ours
        print(
            f"seed post ({len(texts)} sentences): stock LexRank {t_stock * 1000:.1f} ms, "
            f"{DEFAULT_ALGORITHM} {t_ours * 1000:.1f} ms: ×{ratio:.0f}; goal >= "
            f"×{GOALS['seed']:.0f} {verdict(ratio >= GOALS['seed'])}"
        )
    else:
        print(f"seed post skipped: {SEED} is absent")


# -------------------------------------------------------------------------------- memory


def _memory_child(count: int) -> None:
    """Run analyze over ``count`` posts (allforces, repeated) and print peak RSS in KiB."""
    import excerptor

    texts = allforces_bodies()
    chars = 0
    start = time.perf_counter()
    for i in range(count):
        body = texts[i % len(texts)]
        excerptor.analyze(body)
        chars += len(body)
    took = time.perf_counter() - start
    print(f"{count} {chars} {took:.3f} {peak_rss_kib()}")


def peak_rss_kib() -> int:
    """This process's peak RSS in KiB: VmHWM, which exec resets (ru_maxrss keeps the high-water
    mark of the process that forked it, so a child of a big parent would look as big)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


def section_memory(args: argparse.Namespace) -> None:
    heading("peak RSS of one process (analyze, single process)")
    if not POSTS.is_dir():
        print(f"skipped: {POSTS} is absent")
        return
    counts = [len(list(POSTS.glob("*.md"))), 2500]
    if args.quick:
        counts = [min(counts[0], 100)]
    baseline = subprocess.run(
        [sys.executable, __file__, "--memory-child", "0"],
        capture_output=True,
        text=True,
        check=True,
    )
    print(f"this script, no post analyzed: {int(baseline.stdout.split()[3]) / 1024:.0f} MB")
    for count in counts:
        out = subprocess.run(
            [sys.executable, __file__, "--memory-child", str(count)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        n, chars, took, peak = int(out[0]), int(out[1]), float(out[2]), int(out[3])
        mb = peak / 1024
        print(
            f"{n:>5} posts ({chars / 1e6:.0f} M chars) in {took:.0f} s: peak RSS {mb:.0f} MB; "
            f"goal <= {GOALS['rss_mb']:.0f} MB {verdict(mb <= GOALS['rss_mb'])}"
        )


# ------------------------------------------------------------------------------- startup


def _run_many(cmd: list[str], repeat: int, env: dict[str, str] | None = None) -> dict[str, float]:
    walls, cpus = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(
            cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=True
        )
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return {
        "wall_min": min(walls),
        "wall_med": statistics.median(walls),
        "cpu_min": min(cpus),
        "cpu_med": statistics.median(cpus),
    }


def heavy_imports(code: str) -> list[str]:
    """The HEAVY modules (or their submodules) that ``python -X importtime -c code`` imports."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    found = set()
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            name = line.rsplit("|", 1)[1].strip()
            top = name.split(".")[0]
            if top in HEAVY:
                found.add(top)
    return sorted(found)


def excerptor_command() -> list[str]:
    """The ``excerptor`` console script next to this Python, else ``python -m excerptor``."""
    script = Path(sys.executable).with_name("excerptor")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "excerptor"]


def section_startup(args: argparse.Namespace) -> None:
    heading("start-up")
    exe = excerptor_command()
    if exe[0] != str(Path(sys.executable).with_name("excerptor")):
        print("(no console script installed here: `pip install -e .` adds it; timing python -m)")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    repeat = 10 if args.quick else args.startup_repeat
    cases = [
        ("python -c pass", [sys.executable, "-c", "pass"]),
        (f"{' '.join(Path(x).name for x in exe)} --version", [*exe, "--version"]),
        ("python -c 'import excerptor'", [sys.executable, "-c", "import excerptor"]),
    ]
    for _name, cmd in cases:  # warm the page cache and .pyc files
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    results = [_run_many(cmd, repeat, env) for _name, cmd in cases]
    base = results[0]
    print(f"{repeat} runs each; wall and CPU (user+sys) seconds")
    print(f"{'command':<34} {'wall min':>9} {'wall med':>9} {'cpu min':>8} {'cpu med':>8}")
    for (name, _cmd), r in zip(cases, results, strict=True):
        print(
            f"{name:<34} {r['wall_min']:9.3f} {r['wall_med']:9.3f} "
            f"{r['cpu_min']:8.3f} {r['cpu_med']:8.3f}"
        )
    for (name, _cmd), r in zip(cases[1:], results[1:], strict=True):
        extra = r["wall_min"] - base["wall_min"]
        extra_med = r["wall_med"] - base["wall_med"]
        extra_cpu = r["cpu_min"] - base["cpu_min"]
        print(
            f"{name}: +{extra:.3f} s wall (min), +{extra_med:.3f} s (median), +{extra_cpu:.3f} s "
            f"CPU over python -c pass; goal within {GOALS['startup_s']} s: "
            f"{verdict(extra <= GOALS['startup_s'])}"
        )
    version_code = (
        "import sys; sys.argv = ['excerptor', '--version']\n"
        "from excerptor.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass"
    )
    for label, code in (("import excerptor", "import excerptor"), ("--version", version_code)):
        heavy = heavy_imports(code)
        print(f"heavy modules imported by {label}: {', '.join(heavy) or 'none'}")

    if not POSTS.is_dir():
        print(f"rewrite on one post skipped: {POSTS} is absent")
        return
    post = sorted(POSTS.glob("*.md"))[0]
    walls = []
    with tempfile.TemporaryDirectory() as tmp:
        cache_env = dict(env, EXCERPTOR_CACHE_DIR=str(Path(tmp) / "cache"))
        for _ in range(3 if args.quick else 7):
            copy = Path(tmp) / post.name
            shutil.copyfile(post, copy)
            start = time.perf_counter()
            proc = subprocess.run(
                [*exe, "rewrite", "--no-cache", "-q", str(copy)],
                capture_output=True,
                text=True,
                env=cache_env,
            )
            walls.append(time.perf_counter() - start)
            if proc.returncode not in (0, 1):
                print(f"rewrite failed ({proc.returncode}): {proc.stderr.strip()[:300]}")
                return
    wall = min(walls)
    print(
        f"excerptor rewrite --no-cache on one post ({post.stat().st_size // 1024} KB): "
        f"{wall:.2f} s min, {statistics.median(walls):.2f} s median wall; goal <= "
        f"{GOALS['rewrite_one_s']} s {verdict(wall <= GOALS['rewrite_one_s'])}"
    )


# ------------------------------------------------------------------------------- rewrite


def section_rewrite(args: argparse.Namespace) -> None:
    heading("rewrite: --jobs 2 vs --jobs 1, warm cache vs cold")
    if not POSTS.is_dir():
        print(f"skipped: {POSTS} is absent")
        return
    script = ROOT / "benchmarks" / "rewrite.py"
    print(f"running {script.relative_to(ROOT)}:", flush=True)
    limit = ["--limit", str(args.posts)] if args.posts else []
    subprocess.run([sys.executable, str(script), *limit], cwd=ROOT, check=False)


# ---------------------------------------------------------------------------------- main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sections", default=",".join(SECTIONS), help="comma-separated")
    parser.add_argument("--posts", type=int, default=None, help="allforces posts (default all)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--startup-repeat", type=int, default=40)
    parser.add_argument("--max-stock", type=int, default=1600, help="largest n for stock sumy")
    parser.add_argument("--profile", action="store_true", help="cProfile analyze over the posts")
    parser.add_argument("--quick", action="store_true", help="fewer posts and repetitions")
    parser.add_argument("--memory-child", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child is not None:
        _memory_child(args.memory_child)
        return 0
    if args.quick:
        args.posts = args.posts or 40
        args.repeat = min(args.repeat, 2)
        args.max_stock = min(args.max_stock, 400)
    chosen = [s.strip() for s in args.sections.split(",") if s.strip()]
    unknown = sorted(set(chosen) - set(SECTIONS))
    if unknown:
        parser.error(f"unknown section(s): {', '.join(unknown)}; choose from {', '.join(SECTIONS)}")
    if not SHARED.is_dir():
        print(f"../shared is absent ({SHARED}): the data sections are skipped")
    for name in SECTIONS:
        if name in chosen:
            globals()[f"section_{name}"](args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
