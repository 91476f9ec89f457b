"""The long fuzz run: 10,000+ hypothesis examples per target of tests/test_fuzz.py.

    python benchmarks/fuzz.py [--examples 10000] [--seed 0] [--target analyze ...]

Targets and properties are those of tests/test_fuzz.py (front-matter patcher, markdown.parse,
split_sentences, analyze, post+analyze). Prints, per target, the examples run, the failures
found (the first, shrunk, with hypothesis's falsifying example) and the wall time.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from hypothesis import HealthCheck, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from test_fuzz import TARGETS  # noqa: E402


def run(name: str, examples: int, seed_value: int) -> tuple[int, list[str], float]:
    check, strategies = TARGETS[name]
    calls = 0

    def counted(args: tuple) -> None:
        nonlocal calls
        calls += 1
        check(*args)

    test = seed(seed_value)(
        settings(
            max_examples=examples,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )(given(st.tuples(*strategies))(counted))
    )
    failures: list[str] = []
    start = time.perf_counter()
    try:
        test()
    except Exception as exc:  # a property failed: report it, go on with the next target
        for one in getattr(exc, "exceptions", None) or [exc]:  # several distinct bugs
            notes = "\n    ".join(getattr(one, "__notes__", []))
            failures.append(f"{type(one).__name__}: {one}\n    {notes}")
    return calls, failures, time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--target", action="append", choices=sorted(TARGETS))
    args = parser.parse_args()
    rows = []
    for name in args.target or list(TARGETS):
        calls, failures, seconds = run(name, args.examples, args.seed)
        rows.append((name, calls, len(failures), f"{seconds:.0f}"))
        print(f"[fuzz] {name}: {calls} examples, {len(failures)} failures, {seconds:.0f} s")
        for failure in failures:
            print(f"[fuzz]   FAILURE {failure}")
        sys.stdout.flush()
    header = ("target", "examples run", "failures", "seconds")
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=True)]
    print()
    for row in [header, tuple("-" * w for w in widths), *rows]:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))
    return 1 if any(r[2] for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
