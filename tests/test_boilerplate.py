"""Site boilerplate learned per site (excerptor.boilerplate): what is learned, from which
posts, the setting that turns it off, and the cache that keeps the pre-pass cheap.
How every front end uses it is in test_consistency.py."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import pytest

import excerptor
from excerptor import boilerplate
from excerptor.cache import Cache
from excerptor.config import load_site
from excerptor.errors import ExcerptorError
from excerptor.japanese import normalize
from excerptor.options import Setup
from excerptor.settings import Settings, for_post, resolve, section

NOTICE = "※本記事にはプロモーションが含まれています。"
BODIES = (
    "古いラジオを分解しました。真空管が三本とも切れていました。",
    "新しい万年筆を買いました。ペン先は細字で、インクは青です。",
    "朝の散歩で川沿いを歩きました。鷺が二羽、浅瀬で魚を狙っていました。",
    "冷蔵庫の霜取りをしました。二時間で氷がすべて溶けました。",
)


def post(i: int, notice: str = NOTICE) -> str:
    return f"---\ntitle: 記事{i}\n---\n{notice}\n\n{BODIES[i]}\n"


def write_posts(folder: Path, n: int, notice: str = NOTICE) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        path = folder / f"2024-03-{i + 1:02d}-p{i}.md"
        path.write_text(post(i, notice), "utf-8")
        paths.append(path)
    return paths


def test_what_recurs_in_three_posts_is_learned() -> None:
    texts = [post(i) for i in range(4)]
    assert excerptor.site_boilerplate(texts) == {normalize(NOTICE)}
    assert excerptor.site_boilerplate(texts[:2]) == frozenset()  # two posts teach nothing
    assert excerptor.site_boilerplate([t.encode() for t in texts]) == {normalize(NOTICE)}


def test_paths_and_bodies_without_front_matter(tmp_path: Path) -> None:
    paths = write_posts(tmp_path, 3)
    assert excerptor.site_boilerplate(paths) == {normalize(NOTICE)}
    bodies = [f"{NOTICE}\n\n{b}" for b in BODIES[:3]]
    assert excerptor.site_boilerplate(bodies) == {normalize(NOTICE)}
    with pytest.raises(ExcerptorError, match="text, bytes or a path"):
        excerptor.site_boilerplate([3])


def test_a_wrapped_notice_is_the_sentence_the_pipeline_sees() -> None:
    # A notice that wraps after 、 is one sentence to the pipeline, and so to the learner.
    notice = "このブログでは、\n広告を掲載しています。"
    texts = [post(i, notice) for i in range(3)]
    assert boilerplate.post_sentences(texts[0])[0] == "このブログでは、広告を掲載しています。"
    learned = excerptor.site_boilerplate(texts)
    body = texts[0].split("---\n", 2)[2]
    assert "広告" in excerptor.excerpt(body)
    assert "広告" not in excerptor.excerpt(body, boilerplate=learned)


def test_learn_boilerplate_is_a_site_setting() -> None:
    assert Settings().learn_boilerplate is True
    assert resolve({"excerptor": {"learn_boilerplate": False}}).learn_boilerplate is False
    with pytest.raises(ExcerptorError, match="did you mean 'learn_boilerplate'"):
        section({"excerptor": {"learn_boilerplates": False}})
    with pytest.raises(ExcerptorError, match="learn_boilerplate must be true or false"):
        Settings.of(learn_boilerplate="no")
    # a post may not change it: what a site repeats is not one post's business
    with pytest.raises(ExcerptorError, match="unknown setting 'learn_boilerplate'"):
        for_post(Settings(), {"excerptor": {"learn_boilerplate": False}})
    # the library accepts the name (a single body has nothing to learn from)
    assert excerptor.excerpt(BODIES[0], learn_boilerplate=False) == excerptor.excerpt(BODIES[0])


def test_learned_sentences_join_the_given_ones() -> None:
    config = {"excerptor": {"boilerplate": ["いつもありがとうございます"]}}
    got = resolve(config, learned=["広告を含みます"])
    assert got.boilerplate == ("いつもありがとうございます", "広告を含みます")
    off = resolve(config, {"learn_boilerplate": False}, learned=["広告を含みます"])
    assert off.boilerplate == ("いつもありがとうございます",)


def _setup(cwd: Path, paths: list[str], monkeypatch: pytest.MonkeyPatch, **extra) -> Setup:
    monkeypatch.chdir(cwd)
    args = argparse.Namespace(jobs=1, no_cache=True, cache_dir=None, **extra)
    return Setup(args, paths)


def test_learned_from_the_sites_folders_not_from_the_paths_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    write_posts(site / "_posts", 3)
    (site / "_config.yml").write_text("title: t\n", "utf-8")
    (site / "draft.md").write_text(post(3), "utf-8")  # not in a folder of posts
    want = (normalize(NOTICE),)
    assert _setup(site, ["_posts/2024-03-01-p0.md"], monkeypatch).settings.boilerplate == want
    assert _setup(site, [], monkeypatch).settings.boilerplate == want
    assert _setup(site, ["draft.md"], monkeypatch).settings.boilerplate == want
    off = _setup(site, [], monkeypatch, learn_boilerplate=False)
    assert off.settings.boilerplate == ()
    # A loose file outside any site learns nothing, even from a folder of look-alikes.
    loose = tmp_path / "loose"
    write_posts(loose, 4)
    (loose / ".git").mkdir()
    assert _setup(loose, ["."], monkeypatch).settings.boilerplate == ()


def test_hugo_content_without_section_pages(tmp_path: Path) -> None:
    site = tmp_path / "hugo"
    site.mkdir()
    (site / "hugo.toml").write_text('title = "t"\n', "utf-8")
    write_posts(site / "content" / "posts", 2)
    # Section pages are not posts: two posts and three _index pages teach nothing.
    for name in ("content/_index.md", "content/posts/_index.md", "content/a/_index.md"):
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(post(3), "utf-8")
    assert boilerplate.learn_site(load_site(site), jobs=1) == frozenset()
    write_posts(site / "content" / "notes", 1)
    assert boilerplate.learn_site(load_site(site), jobs=1) == {normalize(NOTICE)}


def test_a_second_run_splits_no_post_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    write_posts(site / "_posts", 4)
    (site / "_config.yml").write_text("title: t\n", "utf-8")
    cache = Cache(tmp_path / "cache")
    first = boilerplate.learn_site(load_site(site), cache=cache, jobs=1)
    assert first == {normalize(NOTICE)} and cache.written == 4 + 1  # each body, and the site

    def fail(*args):
        raise AssertionError("learned again")

    calls = []
    monkeypatch.setattr(boilerplate, "body_keys", lambda d: calls.append(d) or [])
    with monkeypatch.context() as m:  # an unchanged site: one entry, no body read
        m.setattr(boilerplate, "_learn", fail)
        assert boilerplate.learn_site(load_site(site), cache=cache, jobs=1) == first
    # a changed post is split again, and only that one
    (site / "_posts" / "2024-03-01-p0.md").write_text(post(0, "別の挨拶です。"), "utf-8")
    assert boilerplate.learn_site(load_site(site), cache=cache, jobs=1) == {normalize(NOTICE)}
    assert len(calls) == 1
    # a rewritten front matter (a new excerpt) leaves the body's entry valid
    path = site / "_posts" / "2024-03-02-p1.md"
    path.write_text(path.read_text("utf-8").replace("---\n", "---\nexcerpt: 新しい要約\n", 1))
    assert boilerplate.learn_site(load_site(site), cache=cache, jobs=1) == {normalize(NOTICE)}
    assert len(calls) == 1


def test_the_pre_pass_runs_in_worker_processes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Enough posts for two workers: the same answer as in this process.
    folder = tmp_path / "site" / "_posts"
    folder.mkdir(parents=True)
    for i in range(40):
        (folder / f"p{i:02d}.md").write_text(post(i % 4), "utf-8")
    (tmp_path / "site" / "_config.yml").write_text("title: t\n", "utf-8")
    site = load_site(tmp_path / "site")
    want = boilerplate.learn_site(site, jobs=1)
    assert normalize(NOTICE) in want
    assert boilerplate.learn_site(site, jobs=2) == want
    # A post that kills its worker counts with no sentences; the others are learned.
    (folder / "p00.md").write_text(post(0, "KILL"), "utf-8")
    real = boilerplate.body_keys

    def deadly(body: str) -> list[str]:
        if "KILL" in body:
            os._exit(1)
        return real(body)

    monkeypatch.setattr(boilerplate, "body_keys", deadly)  # the workers are forked after this
    cache = Cache(tmp_path / "cache")
    assert boilerplate.learn_site(site, cache=cache, jobs=2) == want
    assert cache.written == 39 + 1  # the dead worker's post is not cached
