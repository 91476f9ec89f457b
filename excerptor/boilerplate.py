"""Site boilerplate: the sentences a site repeats across its posts (a site notice, an
affiliate disclosure, a sign-off), learned in a pre-pass so that no excerpt shows them.

    post_sentences(text) -> list[str]                  a post's candidate sentences (pure)
    body_keys(body) -> list[str]                       the same, normalized, each once
    site_boilerplate(posts) -> frozenset[str]          learned from post texts or files (library)
    learn_site(site, cache=None, jobs=0) -> frozenset  learned from a site's folders of posts

One post, one answer: batch front ends (``rewrite``, ``lint``, ``analyze``, ``report``,
``jsonl``) learn from the posts of the site :mod:`excerptor.config` finds (Jekyll's ``_posts``
and collections, Hugo's ``content/``), never from the files a command happens to name, so a
post gets the same excerpt whichever way it is reached. The learned sentences join the
``boilerplate`` setting through :func:`excerptor.settings.resolve`; ``learn_boilerplate: false``
turns learning off. Each post's sentences are cached by content hash, and the splitting of the
posts not in the cache runs in the run's worker processes (:func:`excerptor.runner.map_posts`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

from .defects import MIN_POSTS, MIN_SHARE, boilerplate
from .errors import ExcerptorError


def split_body(text: str) -> str:
    """The body of a post file's text: what follows its front matter, found by the delimiters
    alone (the front matter is not parsed); text without front matter is all body."""
    from .patcher import HANDLERS

    text = text.removeprefix("\ufeff")
    for handler in HANDLERS:
        if handler.detect(text):
            found = handler.FM_BOUNDARY.match(text)
            return text[found.end() :] if found else ""
    return text


def body_sentences(body: str) -> list[str]:
    """The sentences excerptor would consider for the excerpt of a post body: its prose
    blocks, split as the pipeline splits them."""
    from . import markdown as md
    from .pipeline import block_sentences

    return [
        sentence
        for block in md.parse(body).blocks
        if block.kind in md.PROSE_KINDS and block.text.strip()
        for sentence in block_sentences(block.text)
    ]


def post_sentences(text: str) -> list[str]:
    """:func:`body_sentences` of a post file's text (front matter optional)."""
    return body_sentences(split_body(text))


def body_keys(body: str) -> list[str]:
    """The normalized sentences of a post body, each once (what
    :func:`excerptor.defects.boilerplate` counts)."""
    from .japanese import normalize

    keys = {normalize(s) for s in body_sentences(body)}
    keys.discard("")
    return sorted(keys)


def _keys_or_none(body: str) -> list[str]:
    """:func:`body_keys`, or no sentences for a body the pipeline cannot read either (the
    run reports it as that post's error)."""
    try:
        return body_keys(body)
    except Exception:
        return []


def _text(data: bytes | str) -> str | None:
    from .files import decode

    if isinstance(data, str):
        return data
    try:
        return decode(bytes(data))[0]
    except ExcerptorError:
        return None  # the run itself reports it


def site_boilerplate(
    posts: Iterable[str | bytes | os.PathLike[str]],
    *,
    min_posts: int = MIN_POSTS,
    min_share: float = MIN_SHARE,
) -> frozenset[str]:
    """The boilerplate of one site, learned from all of its posts: each a post file's text
    (front matter optional), its bytes, or a path (:class:`os.PathLike`) to read. Pass the
    result to :func:`excerptor.analyze` (or any front end) as ``boilerplate=``.

    A sentence is boilerplate when it is in at least ``min_posts`` posts and in at least
    ``min_share`` of them (:func:`excerptor.defects.boilerplate`)."""
    from .files import read_bytes

    def keys(post: str | bytes | os.PathLike[str]) -> list[str]:
        if isinstance(post, os.PathLike):
            post = read_bytes(os.fspath(post))
        elif not isinstance(post, (str, bytes, bytearray)):
            raise ExcerptorError(f"a post must be text, bytes or a path, not {type(post).__name__}")
        text = _text(post)
        return body_keys(split_body(text)) if text is not None else []

    return boilerplate(map(keys, posts), min_posts=min_posts, min_share=min_share)


def site_posts(site: Any) -> list[bytes]:
    """The bytes of every post in ``site``'s folders of posts (files that open with front
    matter; unreadable files and Hugo section pages are left out), in path order."""
    from .files import has_front_matter, read_bytes, walk

    found = walk([str(d) for d in site.post_dirs if d.is_dir()])
    out = []
    for path, _ in sorted(found.files):
        if not site.is_post(path):
            continue
        try:
            data = read_bytes(path)
        except ExcerptorError:
            continue  # the run itself reports it
        if has_front_matter(data):
            out.append(data)
    return out


def learn_site(site: Any, *, cache: Any = None, jobs: int = 0) -> frozenset[str]:
    """The boilerplate of ``site`` (an :class:`excerptor.config.Site`), learned from its
    folders of posts.

    With a ``cache``: a site whose posts are byte for byte as last time is answered from one
    entry (no post is parsed, nothing beyond the standard library is imported); otherwise each
    body's sentences come from the cache when it has them (the key is the body, so that a run
    that rewrote front matter leaves them valid), and the others are split in ``jobs`` worker
    processes (0: one per CPU) and stored."""
    import hashlib

    posts = site_posts(site)
    whole = None
    if cache is not None:
        digest = hashlib.sha256()
        for data in posts:
            digest.update(hashlib.sha256(data).digest())
        whole = cache.key(digest.digest(), {"min_posts": MIN_POSTS, "min_share": MIN_SHARE}, "site")
        entry = cache.get(whole)
        if entry is not None and isinstance(entry.get("boilerplate"), list):
            return frozenset(entry["boilerplate"])
    learned = _learn(posts, cache, jobs)
    if cache is not None:
        cache.put(whole, {"boilerplate": sorted(learned)})
    return learned


def _learn(posts: list[bytes], cache: Any, jobs: int) -> frozenset[str]:
    from .runner import map_posts

    bodies = [split_body(text) for text in map(_text, posts) if text is not None]
    per_post: list[list[str] | None] = [None] * len(bodies)
    keys: list[str | None] = [None] * len(bodies)
    if cache is not None:
        for i, body in enumerate(bodies):
            keys[i] = cache.key(body, {}, kind="sentences")
            entry = cache.get(keys[i])
            if entry is not None and isinstance(entry.get("sentences"), list):
                per_post[i] = entry["sentences"]
    missing = [i for i, got in enumerate(per_post) if got is None]
    found_all = map_posts(_keys_or_none, [bodies[i] for i in missing], jobs=jobs)
    for i, found in zip(missing, found_all, strict=True):
        per_post[i] = found or []
        if cache is not None and found is not None:  # None: its worker died; not cached
            cache.put(keys[i], {"sentences": found})
    return boilerplate(keys_ or () for keys_ in per_post)
