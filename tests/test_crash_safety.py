"""`excerptor rewrite` killed with SIGKILL mid-run never leaves a damaged post.

A temporary site is built from the shared allforces posts (three renamed copies of each; the
body is cut after about BODY_CHARS characters, at a line end, so that the whole test fits in CI;
set EXCERPTOR_CRASH_BODY=0 for whole posts), or, where ../shared is absent, from the
repository's generated corpus (tests/generated_corpus.py). Posts excerptor refuses (bad front
matter) are left out, so that the final ``--check`` can exit 0.

Each of KILLS trials starts ``python -m excerptor rewrite --no-cache --jobs 2 -v`` on the posts
not rewritten yet (pre-commit style: explicit files) in its own process group, waits for a
seeded random number of "changed" lines (0 = a random moment of start-up), waits a random few
milliseconds more and SIGKILLs the whole group (pool workers included). After every kill each
post must be byte-identical to its old version, or a complete new version (fidelity: only the
excerpt/reading_time lines differ, the body is identical, every other key keeps its value and
order) that no later run changes. A run on the folder then finishes the job and removes the
temp files, and ``--check`` exits 0. Two concurrent runs end as one run does.
"""

from __future__ import annotations

import hashlib
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import SHARED, cli_env
from test_fidelity import unfaithful

from excerptor.errors import ExcerptorError
from excerptor.files import TEMP_PREFIX, TEMP_SUFFIX, decode
from excerptor.patcher import read_post
from excerptor.process import process_post
from excerptor.settings import Settings

SEED = int(os.environ.get("EXCERPTOR_CRASH_SEED", "20260401"))
KILLS = int(os.environ.get("EXCERPTOR_CRASH_KILLS", "20"))
COPIES = 3  # 400 posts x 3 = 1,200 files
BODY_CHARS = int(os.environ.get("EXCERPTOR_CRASH_BODY", "800"))
FIELDS = ("excerpt", "reading_time")
RUN_TIMEOUT = 600  # seconds: a hung run fails the test instead of hanging CI
_CLOSING = re.compile(r"^(?:---|\.\.\.|\+\+\+)[ \t]*\r?$\n?", re.MULTILINE)


def build_posts(folder: Path, copies: int = COPIES, limit: int | None = None) -> dict[str, bytes]:
    """Write renamed (and, by default, shortened) copies of the allforces posts, or of the
    generated corpus without ../shared; name -> bytes."""
    folder.mkdir(parents=True)
    out: dict[str, bytes] = {}
    for name, raw in _sources()[:limit]:
        path = Path(name)
        text, _ = decode(raw, name)
        try:
            read_post(text)
        except ExcerptorError:
            continue  # refused (e.g. a duplicate key): it would make --check exit 1
        if BODY_CHARS:
            m = _CLOSING.search(text, 4)
            assert m, path
            cut = text.find("\n", m.end() + BODY_CHARS)
            text = text if cut < 0 else text[: cut + 1]
        if process_post(text, Settings()).status != "changed":
            continue  # already up to date (or refused): the test follows posts a run changes
        data = text.encode("utf-8")
        for k in range(copies):
            name = f"{path.stem}-c{k}.md"
            (folder / name).write_bytes(data)
            out[name] = data
    return out


def _sources() -> list[tuple[str, bytes]]:
    folder = SHARED / "corpus" / "allforces" / "_posts"
    if folder.is_dir():
        return [(str(p), p.read_bytes()) for p in sorted(folder.glob("*.md"))]
    import generated_corpus

    return generated_corpus.posts(400)


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "excerptor", "rewrite", "--no-cache", "--jobs", "2", *args]


def start(cwd: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        command(*args),
        cwd=cwd,
        env=cli_env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group: killpg reaches the pool workers
    )


def kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def run_to_end(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        command(*args), cwd=cwd, env=cli_env(), capture_output=True, text=True, timeout=RUN_TIMEOUT
    )


def fidelity(old: bytes, new: bytes) -> str | None:
    """Why ``new`` is not a complete, faithful rewrite of ``old`` (None when it is)."""
    try:
        old_text, text = decode(old)[0], decode(new)[0]
        before = read_post(old_text)
        after = read_post(text)
        why = unfaithful(old_text, text, FIELDS)
    except ExcerptorError as exc:
        return f"does not parse: {exc}"
    if why:
        return why
    excerpt, minutes = after.metadata.get("excerpt"), after.metadata.get("reading_time")
    no_prose = excerpt is None and before.metadata.get("excerpt") is None  # left alone
    if not no_prose and (not isinstance(excerpt, str) or len(excerpt) > 120):
        return f"bad excerpt {excerpt!r}"
    if type(minutes) is not int or minutes < 1:
        return f"bad reading_time {minutes!r}"
    return None


def temp_files(folder: Path) -> list[str]:
    return sorted(
        p.name
        for p in folder.iterdir()
        if p.name.startswith(TEMP_PREFIX) and p.name.endswith(TEMP_SUFFIX)
    )


class Site:
    """The posts' old bytes and the one new version each may take."""

    def __init__(self, folder: Path, old: dict[str, bytes]) -> None:
        self.folder, self.old = folder, old
        self.new: dict[str, str] = {}  # name -> sha256 of its first new version
        self.checked: dict[str, float] = {}

    def check(self) -> list[str]:
        """Problems with the folder as it is now (checks files changed since the last call)."""
        problems = []
        names = {p.name for p in self.folder.iterdir()}
        strays = names - set(self.old) - set(temp_files(self.folder))
        if strays:
            problems.append(f"unexpected files {sorted(strays)[:5]}")
        for name, old in self.old.items():
            path = self.folder / name
            if name not in names:
                problems.append(f"{name}: missing")
                continue
            data = path.read_bytes()
            if data == old:
                if name in self.new:
                    problems.append(f"{name}: went back to its old version")
                continue
            digest = hashlib.sha256(data).hexdigest()
            if name in self.new:
                if self.new[name] != digest:
                    problems.append(f"{name}: rewritten twice, differently")
                continue
            why = fidelity(old, data)
            if why:
                problems.append(f"{name}: {why}")
            self.new[name] = digest
        return problems

    def pending(self) -> list[str]:
        return [f"_posts/{n}" for n in sorted(self.old) if n not in self.new]


def kill_after(proc: subprocess.Popen, changed_lines: int, extra: float) -> tuple[bool, int]:
    """SIGKILL ``proc``'s group after ``changed_lines`` "changed" lines (0: after ``extra``
    seconds) plus ``extra`` seconds; (killed before it ended, changed lines seen)."""
    watchdog = threading.Timer(RUN_TIMEOUT, kill_group, (proc,))
    watchdog.start()
    seen = 0
    try:
        assert proc.stderr is not None
        if changed_lines:
            for line in proc.stderr:
                if line.startswith("changed "):
                    seen += 1
                    if seen >= changed_lines:
                        break
        time.sleep(extra)
        alive = proc.poll() is None
        kill_group(proc)
        proc.wait()
        return alive, seen
    finally:
        watchdog.cancel()
        if proc.stderr is not None:
            proc.stderr.close()


def test_sigkill_never_corrupts_a_post(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    posts = tmp_path / "_posts"
    site = Site(posts, build_posts(posts))
    assert len(site.old) >= 1000
    rng = random.Random(SEED)
    killed = temps_seen = 0
    began = time.perf_counter()
    log = []
    for trial in range(KILLS):
        pending = site.pending()
        if not pending:
            break
        # A third of the kills land at a random moment of start-up, the rest mid-write.
        target = 0 if rng.random() < 1 / 3 else rng.randint(1, 60)
        extra = rng.uniform(0, 2.0) if target == 0 else rng.uniform(0, 0.05)
        proc = start(tmp_path, "-v", *pending)
        alive, seen = kill_after(proc, target, extra)
        killed += alive
        temps = temp_files(posts)
        temps_seen += len(temps)
        problems = site.check()
        log.append((trial, target, round(extra, 3), alive, seen, len(temps), len(problems)))
        assert not problems, f"trial {trial}: {problems[:10]}"
    assert killed >= KILLS // 2, f"only {killed} of {KILLS} runs were still running when killed"

    final = run_to_end(tmp_path, "_posts")
    assert final.returncode == 0, final.stderr[-2000:]
    assert temp_files(posts) == [], "the next run on the folder must remove stale temp files"
    assert not site.check()
    assert not site.pending(), "the run on the folder did not finish the job"
    check = run_to_end(tmp_path, "--check", "_posts")
    assert check.returncode == 0, check.stderr[-2000:]
    with capsys.disabled():
        print(
            f"\n[crash] {len(site.old)} posts, {len(log)} trials, {killed} killed mid-run, "
            f"{temps_seen} stale temp files seen (all removed by the next folder run), "
            f"0 corrupted, {time.perf_counter() - began:.0f} s"
        )
        for trial, target, extra, alive, seen, temps, bad in log:
            print(
                f"[crash]   trial {trial}: after {target} changed (+{extra:.3f} s) "
                f"alive={alive} seen={seen} temps={temps} bad={bad}"
            )


def test_two_concurrent_runs_end_like_one(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    old = build_posts(one / "_posts", copies=1, limit=150)
    build_posts(two / "_posts", copies=1, limit=150)
    single = run_to_end(one, "_posts")
    assert single.returncode == 0, single.stderr[-2000:]

    first = start(two, "-v", "_posts")
    # The second starts once the first is writing, so its stale-temp sweep meets live writes.
    assert first.stderr is not None
    for line in first.stderr:
        if line.startswith("changed "):
            break
    second = start(two, "-v", "_posts")
    outs = []
    for proc in (first, second):
        _, err = proc.communicate(timeout=RUN_TIMEOUT)
        outs.append((proc.returncode, [x for x in err.splitlines() if "error" in x]))
    assert temp_files(two / "_posts") == []
    site = Site(two / "_posts", old)
    assert not site.check()
    for name in old:
        assert (two / "_posts" / name).read_bytes() == (one / "_posts" / name).read_bytes(), name
    with capsys.disabled():
        print(f"\n[concurrent] {len(old)} posts; exit codes and errors: {outs}")


def _live_temp(folder: Path) -> tuple[Path, int]:
    """A temp file locked as write_atomic locks it mid-write; (path, fd to close)."""
    import fcntl

    tmp = folder / f"{TEMP_PREFIX}a.md-live{TEMP_SUFFIX}"
    tmp.write_bytes(b"half a post")
    fd = os.open(tmp, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)
    return tmp, fd


def test_stale_temp_sweep_spares_a_live_write(tmp_path: Path) -> None:
    from excerptor.atomic import cleanup_temp_files, remove_stale_temp

    stale = tmp_path / f"{TEMP_PREFIX}b.md-dead{TEMP_SUFFIX}"
    stale.write_bytes(b"left by a killed run")
    live, fd = _live_temp(tmp_path)
    try:
        assert cleanup_temp_files(str(tmp_path)) == [str(stale)]
        assert live.exists() and not remove_stale_temp(str(live))
    finally:
        os.close(fd)
    assert remove_stale_temp(str(live)) and not live.exists()


def test_rewrite_sweep_spares_a_concurrent_runs_live_write(tmp_path: Path) -> None:
    posts = tmp_path / "_posts"
    posts.mkdir()
    (posts / "a.md").write_bytes("---\ntitle: t\n---\n本文です。\n".encode())
    live, fd = _live_temp(posts)
    try:
        done = run_to_end(tmp_path, "_posts")
        assert done.returncode == 0, done.stderr
        assert live.exists(), "a concurrent run's in-flight temp file was deleted"
    finally:
        os.close(fd)
