"""What the excerptor plugin costs a Jekyll build, and ``excerptor jsonl`` over 5,000 posts.

Builds, side by side in one run, with ``jekyll build --disable-disk-cache`` (so only excerptor's
cache differs between runs):

* examples/jekyll-site (3 posts), and
* a site made of the 400 posts of ../shared/corpus/allforces/_posts with a minimal config
  (that site's own _config.yml needs gems Debian lacks): minima, jekyll-feed, jekyll-seo-tag
  and the example site's layouts;

each without the plugin, with the plugin and an empty cache ("cold"), and with the plugin and a
warm cache ("cached"). The plugin runs with ``keep_existing: false``, because the corpus posts
carry hand-written excerpts and reading times that it would otherwise keep.

Then ``excerptor jsonl`` over 5,000 posts (the corpus repeated; each copy gets one extra
sentence so that no two bodies are equal), cold and cached, with wall time.

    python benchmarks/jekyll.py [--repeat 3] [--posts 5000] [--jobs 0]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "jekyll-site"
CORPUS = REPO.parent / "shared" / "corpus" / "allforces" / "_posts"
FRONT_MATTER = re.compile(r"\A(---\s*\n.*?\n?)^((---|\.\.\.)\s*$\n?)", re.S | re.M)

CORPUS_CONFIG = """\
title: corpus benchmark
lang: ja
url: "https://example.com"
timezone: Asia/Tokyo
future: true
theme: minima
plugins: [jekyll-feed, jekyll-seo-tag]
show_excerpts: true
markdown: kramdown
kramdown:
  input: GFM
"""


def env_for(cache_home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "EXCERPTOR_COMMAND"}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")])
    env["EXCERPTOR_CACHE_DIR"] = str(cache_home)  # ours to clear
    env["LANG"] = env["LC_ALL"] = "C.UTF-8"
    return env


def make_example_site(root: Path) -> Path:
    site = root / "example"
    shutil.copytree(EXAMPLE, site, ignore=shutil.ignore_patterns("_site", ".jekyll-cache"))
    return site


def make_corpus_site(root: Path) -> Path | None:
    if not CORPUS.is_dir():
        return None
    site = root / "corpus"
    site.mkdir()
    for name in ("_layouts", "_includes"):
        shutil.copytree(EXAMPLE / name, site / name)
    shutil.copy(EXAMPLE / "index.md", site / "index.md")
    shutil.copytree(CORPUS, site / "_posts")
    # The posts include the original theme's snippets (ads etc.): empty stand-ins.
    for path in (site / "_posts").glob("*.md"):
        for name in re.findall(r"{%-?\s*include\s+([\w./-]+)", path.read_text(encoding="utf-8")):
            stub = site / "_includes" / name
            if not stub.exists():
                stub.parent.mkdir(parents=True, exist_ok=True)
                stub.write_text("", encoding="utf-8")
    (site / "_config.yml").write_text(CORPUS_CONFIG, encoding="utf-8")
    return site


def set_plugin(site: Path, on: bool, jobs: int) -> None:
    plugin = site / "_plugins" / "excerptor.rb"
    if on:
        subprocess.run(
            [sys.executable, "-m", "excerptor", "jekyll", "install", "--force", str(site)],
            check=True,
            capture_output=True,
            env=env_for(site),
        )
    elif plugin.exists():
        plugin.unlink()
    command = json.dumps([sys.executable, "-m", "excerptor", "jsonl"])
    (site / "_bench.yml").write_text(
        f"excerptor:\n  command: {command}\n  keep_existing: false\n  jobs: {jobs}\n",
        encoding="utf-8",
    )


def clear_caches(site: Path, cache_home: Path) -> None:
    for path in (site / ".excerptor-cache", site / ".jekyll-cache", cache_home):
        shutil.rmtree(path, ignore_errors=True)
    cache_home.mkdir(parents=True, exist_ok=True)


def build(site: Path, cache_home: Path) -> float:
    started = time.perf_counter()
    proc = subprocess.run(
        ["jekyll", "build", "--disable-disk-cache", "--config", "_config.yml,_bench.yml"],
        cwd=site,
        capture_output=True,
        text=True,
        env=env_for(cache_home),
    )
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"jekyll build failed in {site}:\n{proc.stdout[-2000:]}{proc.stderr}")
    return elapsed


def bench_site(site: Path, repeat: int, jobs: int) -> dict[str, float]:
    cache_home = site.parent / f"{site.name}-xdg-cache"
    times: dict[str, list[float]] = {"none": [], "cold": [], "cached": []}
    for _ in range(repeat):
        set_plugin(site, False, jobs)
        clear_caches(site, cache_home)
        times["none"].append(build(site, cache_home))
        set_plugin(site, True, jobs)
        clear_caches(site, cache_home)
        times["cold"].append(build(site, cache_home))
        times["cached"].append(build(site, cache_home))
    return {k: statistics.median(v) for k, v in times.items()}


def corpus_bodies() -> list[str]:
    bodies = []
    for path in sorted(CORPUS.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        match = FRONT_MATTER.match(text)
        bodies.append(text[match.end() :] if match else text)
    return bodies


def bench_jsonl(n: int, jobs: int, root: Path) -> list[tuple[str, float, int]]:
    bodies = corpus_bodies()
    lines = []
    for i in range(n):
        copy, k = divmod(i, len(bodies))
        body = bodies[k] + (f"\n\n（この記事の{copy}回目の再掲です。）\n" if copy else "")
        lines.append(json.dumps({"id": i, "content": body}, ensure_ascii=False))
    data = ("\n".join(lines) + "\n").encode("utf-8")
    cache_home = root / "jsonl-xdg-cache"
    workdir = root / "jsonl"
    workdir.mkdir()
    clear_caches(workdir, cache_home)
    out = []
    for label in ("cold", "cached"):
        started = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-m", "excerptor", "jsonl", "--jobs", str(jobs)],
            input=data,
            capture_output=True,
            cwd=workdir,
            env=env_for(cache_home),
        )
        elapsed = time.perf_counter() - started
        answers = [json.loads(line) for line in proc.stdout.splitlines()]
        if proc.returncode != 0 or len(answers) != n:
            raise SystemExit(f"jsonl failed: rc={proc.returncode} {proc.stderr[-2000:]!r}")
        errors = sum("error" in a for a in answers)
        out.append((label, elapsed, errors))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="builds of the small site")
    parser.add_argument("--corpus-repeat", type=int, default=1, help="builds of the 400 posts")
    parser.add_argument("--posts", type=int, default=5000, help="posts for the jsonl run (0: skip)")
    parser.add_argument("--jobs", type=int, default=0, help="excerptor worker processes")
    parser.add_argument("--no-corpus-site", action="store_true", help="build the small site only")
    args = parser.parse_args()
    if shutil.which("jekyll") is None:
        print("jekyll is not installed: skipping the build benchmarks", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="excerptor-bench-") as tmp:
        root = Path(tmp)
        rows = []
        if shutil.which("jekyll"):
            sites = [(make_example_site(root), args.repeat)]
            corpus_site = None if args.no_corpus_site else make_corpus_site(root)
            if corpus_site is None and not args.no_corpus_site:
                print(f"{CORPUS} is absent: skipping the corpus site", file=sys.stderr)
            elif corpus_site is not None:
                sites.append((corpus_site, args.corpus_repeat))
            for site, repeat in sites:
                posts = len(list((site / "_posts").glob("*.md")))
                rows.append((site.name, posts, bench_site(site, repeat, args.jobs)))
            print(f"jekyll build (median; cpus={os.cpu_count()}, jobs={args.jobs or 'all'})")
            print(
                f"{'site':<8} {'posts':>5} {'no plugin':>10} {'cold':>8} {'cached':>8}"
                f" {'cold/none':>10} {'cached/none':>12}"
            )
            for name, posts, t in rows:
                print(
                    f"{name:<8} {posts:>5} {t['none']:>9.2f}s {t['cold']:>7.2f}s"
                    f" {t['cached']:>7.2f}s {t['cold'] / t['none']:>9.2f}x"
                    f" {t['cached'] / t['none']:>11.2f}x"
                )
        if args.posts and CORPUS.is_dir():
            print(f"\nexcerptor jsonl over {args.posts} posts (jobs={args.jobs or 'all'})")
            results = bench_jsonl(args.posts, args.jobs, root)
            cold = results[0][1]
            for label, elapsed, errors in results:
                print(
                    f"{label:<7} {elapsed:8.2f}s wall  {args.posts / elapsed:8.1f} posts/s"
                    f"  {elapsed / cold:5.2f}x of cold  errors={errors}"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
