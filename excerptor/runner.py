"""The one run loop: many posts through :func:`excerptor.process.process_post`, in order, with
a process pool and the cache. ``rewrite``, ``lint``, ``report`` and ``jsonl`` use it.

    run(tasks, settings, jobs=0, cache=None) -> Iterator[(Task, Outcome)]

* ``tasks`` are consumed lazily; at most a window of posts (8 per worker) is in flight, so a
  2,500-post site is never held in memory whole, and outcomes come back in input order.
* cache hits are answered without starting the pool or importing the pipeline (fugashi,
  numpy), so a warm run costs only reading and hashing. The pool starts at the second miss:
  a run with one post to analyze runs it in this process.
* a worker that dies (segfault, OOM) fails the post it had; the pool is restarted (up to
  :data:`MAX_POOL_RESTARTS` times) and the other posts in flight are sent again.

Imports only the standard library at module level.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

from .errors import ExcerptorError

MAX_POOL_RESTARTS = 3
MIN_PER_WORKER = 16  # posts a worker of map_posts must have to be worth starting


@dataclass(frozen=True)
class Task:
    """One post to process: its name (a path, or an id), its bytes or text, or an outcome
    already known (a file that could not be read)."""

    name: str
    data: bytes | str | None = None
    outcome: Any = None  # excerptor.process.Outcome, when known without processing
    bare: bool = False  # text without front matter is a body (see process_post)
    ident: Any = None  # the caller's id (jsonl)


def cache_key(cache: Any, data: bytes | str | None, settings: Any, bare: bool = False) -> str:
    """The cache key of a post's outcome under ``settings``."""
    return cache.key(data or b"", {**settings.to_dict(), "bare": bare})


def _init_worker() -> None:
    """Pool initializer: import the pipeline and build the Tagger once per worker."""
    from . import japanese, pipeline  # noqa: F401

    japanese.tagger()


def _work(task: Task, settings: Any) -> Any:
    """process_post in a worker; a bug triggered by one post fails that post only."""
    from .process import ERROR, Outcome, process_post

    try:
        return process_post(task.data, settings, task.name, bare=task.bare)
    except Exception as exc:
        return Outcome(ERROR, f"internal error ({type(exc).__name__}: {exc})")


def error_outcome(message: str) -> Any:
    """An error outcome (process is imported only when one is needed)."""
    from .process import ERROR, Outcome

    return Outcome(ERROR, message)


def _executor(jobs: int) -> Any:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # fork is the fast start on Linux; spawn elsewhere (the initializer then imports).
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    return ProcessPoolExecutor(
        max_workers=jobs, mp_context=multiprocessing.get_context(method), initializer=_init_worker
    )


def map_posts(
    func: Callable[[Any], Any], items: list[Any], *, jobs: int = 0, default: Any = None
) -> list[Any]:
    """``[func(item) for item in items]``, in ``jobs`` worker processes (0: one per CPU) when
    there is more than a little work; ``func`` must be a module-level function. A worker that
    dies fails the oldest item it may have had (its result is ``default``); the pool is
    restarted for the others, up to :data:`MAX_POOL_RESTARTS` times. A pre-pass over a site's
    posts (learning its boilerplate) uses it."""
    from concurrent.futures.process import BrokenProcessPool

    if type(jobs) is not int or jobs < 0:
        raise ExcerptorError("jobs must be 0 (one per CPU) or more")
    jobs = min(jobs or os.cpu_count() or 1, max(len(items) // MIN_PER_WORKER, 1))
    if jobs == 1:
        return [func(item) for item in items]
    pending = object()
    results = [pending] * len(items)
    todo = list(range(len(items)))
    for _ in range(MAX_POOL_RESTARTS + 1):
        executor = _executor(jobs)
        try:
            futures = [(i, executor.submit(func, items[i])) for i in todo]
            for i, future in futures:
                try:
                    results[i] = future.result()
                except BrokenProcessPool:
                    pass
        finally:
            executor.shutdown(wait=True, cancel_futures=True)
        todo = [i for i in todo if results[i] is pending]
        if not todo:
            break
        results[todo.pop(0)] = default  # which item killed the worker is unknown
    for i in todo:
        results[i] = default
    return results


class _Pool:
    """A lazily started process pool that restarts when a worker dies."""

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self.executor: Any = None
        self.restarts = 0

    def submit(self, task: Task, settings: Any) -> Future:
        if self.executor is None:
            self.executor = _executor(self.jobs)
        return self.executor.submit(_work, task, settings)

    def close(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
            self.executor = None


@dataclass
class _Slot:
    task: Task
    key: str | None
    outcome: Any = None
    future: Future | None = None


def run(
    tasks: Iterable[Task],
    settings: Any,
    *,
    jobs: int = 0,
    cache: Any = None,
    window: int | None = None,
) -> Iterator[tuple[Task, Any]]:
    """Process ``tasks`` under ``settings``; one ``(task, outcome)`` per task, in order."""
    if type(jobs) is not int or jobs < 0:
        raise ExcerptorError("jobs must be 0 (one per CPU) or more")
    jobs = jobs or os.cpu_count() or 1
    window = max(window or 8 * jobs, 2)
    pool = _Pool(jobs)
    queue: deque[_Slot] = deque()
    held: _Slot | None = None  # the first miss waits: with no second one, it runs here

    def send(slot: _Slot) -> None:
        slot.future = pool.submit(slot.task, settings)

    def finish(slot: _Slot) -> tuple[Task, Any]:
        if slot.outcome is None:
            slot.outcome = _wait(slot) if slot.future is not None else _work(slot.task, settings)
            if cache is not None and slot.key is not None:
                cache.put(slot.key, slot.outcome.to_json())
        return slot.task, slot.outcome

    def _wait(slot: _Slot) -> Any:
        from concurrent.futures.process import BrokenProcessPool

        try:
            return slot.future.result()
        except BrokenProcessPool:
            # Which post killed the worker is unknown: blame the oldest one in flight, and
            # give the others a fresh pool.
            pool.close()
            pool.restarts += 1
            for other in queue:
                if other.future is not None and other.outcome is None:
                    if pool.restarts <= MAX_POOL_RESTARTS:
                        send(other)
                    else:
                        other.future, other.key = None, None  # not cached: it may work later
                        other.outcome = error_outcome("not processed: worker processes kept dying")
            slot.key = None
            return error_outcome("a worker process died while processing this post")
        finally:
            slot.future = None

    try:
        for task in tasks:
            slot = _Slot(task, None, task.outcome)
            if slot.outcome is None and cache is not None:
                slot.key = cache_key(cache, task.data, settings, task.bare)
                entry = cache.get(slot.key)
                if entry is not None:
                    slot.outcome = _from_entry(entry)
                    slot.key = None if slot.outcome is not None else slot.key
            queue.append(slot)
            if slot.outcome is None and jobs > 1:
                if pool.executor is not None:
                    send(slot)
                elif held is None or held.outcome is not None:
                    held = slot
                else:
                    send(held)
                    send(slot)
            while queue and _ready(queue[0], held, len(queue) >= window, jobs):
                yield finish(queue.popleft())
        while queue:
            yield finish(queue.popleft())
    finally:
        pool.close()
        if cache is not None and cache.written:
            cache.prune()


def _ready(head: _Slot, held: _Slot | None, full: bool, jobs: int) -> bool:
    """Whether the oldest slot can be answered now without waiting for input to come."""
    if head.outcome is not None or jobs == 1 or full:
        return True
    if head is held and head.future is None:
        return False  # wait to see whether a second miss comes (then the pool starts)
    return head.future is not None and head.future.done()


def _from_entry(entry: dict[str, Any]) -> Any:
    from .process import Outcome

    try:
        return Outcome.from_json(entry)
    except (KeyError, TypeError, ValueError):
        return None  # a damaged or older entry is a miss
