"""Many posts at once: a process pool (one fugashi Tagger per worker) and the cache.

CONTRACT (implementation in progress, owned by the rewrite work):

    analyze_many(bodies, settings, jobs=0, cache=None) -> Iterator[Outcome]

* ``bodies``: an iterable of ``(body, per_post_settings)`` pairs, consumed lazily (streamed,
  bounded memory; a 2,500-post site is never loaded whole).
* results come back in input order; ``jobs=0`` means os.cpu_count(), ``jobs=1`` runs in process.
* an ``Outcome`` is either ``Result`` or ``excerptor.errors.ExcerptorError`` (never raised).
* ``cache``: ``excerptor.cache.Cache`` or None; keyed by body, settings and version.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Result:
    excerpt: str
    reading_time: int
    warnings: tuple[str, ...] = ()
