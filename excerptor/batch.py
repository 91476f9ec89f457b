"""Many posts at once: a process pool (one fugashi Tagger per worker) and the cache.

    analyze_many(bodies, settings, jobs=0, cache=None) -> Iterator[Outcome]

* ``bodies``: an iterable of ``(body, per_post_settings)`` pairs, consumed lazily; at most a
  bounded window of posts is in flight, so a 2,500-post site is never held in memory whole.
* results come back in input order; ``jobs=0`` means os.cpu_count(), ``jobs=1`` runs in process
  (and so does a run that turns out to have only one post to analyze).
* an ``Outcome`` is either :class:`Result` or :class:`excerptor.errors.ExcerptorError`, never
  raised: bad input and unexpected exceptions alike fail that post only.
* ``cache``: :class:`excerptor.cache.Cache` or None. Hits are answered without starting the pool
  or importing the pipeline (fugashi, numpy, sumy), so a warm run costs only hashing.

Imports only the standard library at module level.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, Union

from .errors import ExcerptorError

MAX_POOL_RESTARTS = 3  # a worker that dies (segfault, OOM) costs the pool; after this, give up


@dataclass(frozen=True)
class Result:
    excerpt: str
    reading_time: int
    warnings: tuple[str, ...] = ()


Outcome = Union[Result, ExcerptorError]  # noqa: UP007 - a runtime alias, py3.10 compatible


# ------------------------------------------------------------------------ the work itself


def _init_worker() -> None:
    """Pool initializer: import the pipeline and build the Tagger once per worker."""
    from . import japanese, pipeline  # noqa: F401

    japanese.tagger()


def _analyze(body: str, settings: Mapping[str, Any]) -> tuple:
    """One post, as a picklable tuple: ("ok", excerpt, minutes, warnings) or ("error", message).

    Any exception becomes an error answer: a bug triggered by one post must not end a run.
    """
    try:
        from .pipeline import analyze

        a = analyze(body, **settings)
        warnings = tuple(f"{w.code}: {w.message}" for w in a.warnings)
        return ("ok", a.excerpt, int(a.reading_time), warnings)
    except ExcerptorError as exc:
        return ("error", exc.message)
    except TypeError as exc:  # an unknown setting name
        if "setting" in str(exc):
            return ("error", str(exc))
        return ("error", f"internal error ({type(exc).__name__}: {exc})")
    except RecursionError:
        return ("error", "post is nested too deeply to analyze")
    except Exception as exc:
        return ("error", f"internal error ({type(exc).__name__}: {exc})")


def _outcome(answer: tuple) -> Outcome:
    if answer[0] == "ok":
        return Result(answer[1], answer[2], tuple(answer[3]))
    return ExcerptorError(answer[1])


def _to_entry(result: Result) -> dict[str, Any]:
    return {
        "excerpt": result.excerpt,
        "reading_time": result.reading_time,
        "warnings": list(result.warnings),
    }


def _from_entry(entry: dict[str, Any] | None) -> Result | None:
    if entry is None:
        return None
    try:
        excerpt, minutes, warnings = entry["excerpt"], entry["reading_time"], entry["warnings"]
    except KeyError:
        return None
    if not isinstance(excerpt, str) or type(minutes) is not int or not isinstance(warnings, list):
        return None
    return Result(excerpt, minutes, tuple(str(w) for w in warnings))


# ------------------------------------------------------------------------------ the pool


class _Slot:
    """One input post, in order: answered already, waiting for the pool, or not yet sent."""

    __slots__ = ("body", "settings", "key", "outcome", "future")

    def __init__(self, body: str, settings: dict[str, Any], key: str | None) -> None:
        self.body = body
        self.settings = settings
        self.key = key
        self.outcome: Outcome | None = None
        self.future: Future | None = None


class _Runner:
    """Runs misses in process or in a lazily started pool, restarting it if a worker dies."""

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self.pool: Any = None
        self.restarts = 0

    def start(self) -> None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # fork is the fast start on Linux; spawn elsewhere (the initializer then imports).
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        self.pool = ProcessPoolExecutor(
            max_workers=self.jobs,
            mp_context=multiprocessing.get_context(method),
            initializer=_init_worker,
        )

    def submit(self, slot: _Slot) -> None:
        slot.future = self.pool.submit(_analyze, slot.body, slot.settings)

    def wait(self, slot: _Slot, pending: Iterable[_Slot]) -> Outcome:
        """The outcome of ``slot``; if the pool broke, the other ``pending`` slots are resent."""
        from concurrent.futures.process import BrokenProcessPool

        assert slot.future is not None
        try:
            return _outcome(slot.future.result())
        except BrokenProcessPool:
            # Which post killed the worker is unknown; blame the oldest one in flight and
            # give the rest a fresh pool.
            self.close()
            self.restarts += 1
            if self.restarts <= MAX_POOL_RESTARTS:
                self.start()
                for other in pending:
                    if other is not slot and other.future is not None:
                        self.submit(other)
            else:
                for other in pending:
                    if other is not slot and other.future is not None:
                        other.future = None
                        other.outcome = ExcerptorError("not analyzed: worker processes kept dying")
            return ExcerptorError("a worker process died while analyzing this post")
        except Exception as exc:  # e.g. a result that could not be pickled
            return ExcerptorError(f"internal error ({type(exc).__name__}: {exc})")

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None


def analyze_many(
    bodies: Iterable[tuple[str, Mapping[str, Any] | None]],
    settings: Mapping[str, Any] | None = None,
    jobs: int = 0,
    cache: Any = None,
    *,
    window: int | None = None,
) -> Iterator[Outcome]:
    """Analyze many post bodies; one outcome per input pair, in input order.

    ``settings`` apply to every post, ``per_post_settings`` (e.g. ``title``) on top of them.
    ``window`` bounds the posts read ahead of the oldest unanswered one (default ``8 × jobs``).
    """
    if jobs < 0:
        raise ValueError("jobs must be 0 (one per CPU) or more")
    jobs = jobs or os.cpu_count() or 1
    window = max(window or 8 * jobs, 2)
    base = dict(settings or {})
    runner = _Runner(jobs)
    queue: deque[_Slot] = deque()
    held: list[_Slot] = []  # misses not sent yet: the pool starts only for a second miss

    def finish(slot: _Slot) -> Outcome:
        if slot.outcome is None:
            if slot.future is not None:
                slot.outcome = runner.wait(slot, queue)
                slot.future = None
            else:  # in process: jobs=1, or a single miss
                slot.outcome = _outcome(_analyze(slot.body, slot.settings))
            if cache is not None and slot.key is not None and isinstance(slot.outcome, Result):
                cache.put(slot.key, _to_entry(slot.outcome))
        slot.body = ""  # free the text as soon as it is answered
        return slot.outcome

    try:
        for body, extra in bodies:
            merged = {**base, **(extra or {})}
            key = cache.key(body, merged) if cache is not None else None
            slot = _Slot(body, merged, key)
            if cache is not None:
                slot.outcome = _from_entry(cache.get(key))
            queue.append(slot)
            if slot.outcome is None and jobs > 1:
                if runner.pool is None:
                    held.append(slot)
                    if len(held) >= 2:
                        runner.start()
                        for h in held:
                            runner.submit(h)
                        held.clear()
                else:
                    runner.submit(slot)
            # Answer whatever is ready at the head; block only when the window is full.
            while queue:
                head = queue[0]
                full = len(queue) >= window
                if head.outcome is None and head.future is None and jobs > 1:
                    if not full:
                        break  # a lone held miss waits to see whether a second one comes
                    held.clear()  # the window filled with hits behind it: run it here
                elif not (
                    head.outcome is not None
                    or jobs == 1
                    or full
                    or (head.future is not None and head.future.done())
                ):
                    break
                yield finish(queue.popleft())
        held.clear()  # at most one miss was held: it runs in process
        while queue:
            yield finish(queue.popleft())
    finally:
        runner.close()
