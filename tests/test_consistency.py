"""One post, one answer: every front end gives the same excerpt and reading time.

A matrix of site settings (separator, reading speeds, max_chars, sentences, fillers,
keep_existing) × posts (plain, hand-written excerpt, chatty excerpt, per-post and per-field
opt-outs, a per-post setting): the library, ``rewrite``, ``analyze``, ``lint``'s reading-time
check, ``jsonl`` and the Jekyll plugin in a real ``jekyll build`` must agree.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import cli_env

import excerptor
from excerptor.patcher import read_post
from excerptor.settings import resolve

ENV = {k: v for k, v in cli_env(LANG="C.UTF-8").items() if k != "EXCERPTOR_COMMAND"}
JEKYLL = shutil.which("jekyll")

BODY = (
    "いやー、今日も暑かったですね。\n\n"
    "先週、キッチンタイマーを自作しました。市販品は音が小さく、揚げ物の途中で鳴っても"
    "気づかないことがありました。\n\n"
    "<!--break-->\n\n"
    "そこで音量を三段階で切り替えられるものを作りました。部品代は千二百円ほどです。"
    "マイコンは手元にあったものを使い、ケースは百円ショップの小物入れを加工しました。\n\n"
    "## 作り方\n\n"
    "回路は単純で、ブザーとスイッチを三つ付けただけです。"
    "ソフトウェアは割り込みで一秒ごとに残り時間を減らします。"
    "電池は単四を二本使い、一日三回使って一か月ほど持ちます。\n"
)
# name -> (front matter lines, body)
POSTS: dict[str, tuple[str, str]] = {
    "plain": ("title: タイマーを作った\n", BODY),
    "handwritten": (
        'title: 手書きの要約\nexcerpt: "音量を変えられるタイマーを自作した記録。"\n'
        "reading_time: 20\n",
        BODY,
    ),
    "chatty": ('title: 暑い日\nexcerpt: "いやー、今日も暑かったですね！"\n', BODY),
    "no-excerpt": ("title: 部分オプトアウト\nexcerptor:\n  excerpt: false\n", BODY),
    "opted-out": ("title: オプトアウト\nexcerptor: false\nreading_time: 7\n", BODY),
    "own-setting": ("title: 短く\nexcerptor:\n  max_chars: 40\n", BODY),
}
CONFIGS: dict[str, dict[str, Any]] = {
    "defaults": {},
    "separator-speeds": {
        "excerpt_separator": "<!--break-->",
        "excerptor": {"max_chars": 70, "cjk_chars_per_minute": 60},
    },
    "sentences-fillers-none": {
        "excerptor": {
            "sentences": 2,
            "fillers": ["re:^部品代は"],
            "keep_existing": "none",
            "words_per_minute": 100,
            "cjk_chars_per_minute": 100,
        }
    },
    "keep-all": {"excerptor": {"keep_existing": "all", "max_chars": 90}},
}
# (post, field) kept as written, under these keep_existing modes
KEPT = {
    ("handwritten", "excerpt"): {"good", "all"},
    ("handwritten", "reading_time"): {"all"},
    ("chatty", "excerpt"): {"all"},
}


def expected(config: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """What each post shows, from the library (``excerptor.analyze``) and the documented
    rules: opt-outs leave a field alone, keep_existing keeps what ``KEPT`` lists."""
    settings = resolve(config)
    out: dict[str, dict[str, Any]] = {}
    for name, (front, body) in POSTS.items():
        meta = yaml.safe_load(front)
        own = meta.get("excerptor")
        if own is False:
            out[name] = {}
            continue
        extra = {k: v for k, v in (own or {}).items() if k not in ("excerpt", "reading_time")}
        separator = config.get("excerpt_separator")
        result = excerptor.analyze(
            body,
            meta["title"],
            max_chars=extra.get("max_chars", settings.max_chars),
            sentences=settings.sentences,
            fillers=list(settings.fillers),
            cjk_chars_per_minute=settings.cjk_chars_per_minute,
            words_per_minute=settings.words_per_minute,
            excerpt_separator=separator,
        )
        shown = {}
        for field, value in (("excerpt", result.excerpt), ("reading_time", result.reading_time)):
            if (own or {}).get(field) is False:
                continue
            keep = settings.keep_existing in KEPT.get((name, field), ())
            shown[field] = meta[field] if keep else value
        out[name] = shown
    return out


def make_site(root: Path, config: dict[str, Any]) -> Path:
    site = root / "site"
    (site / "_posts").mkdir(parents=True)
    (site / "_layouts").mkdir()
    (site / "_layouts" / "post.html").write_text(
        '<div id="e">{{ page.excerpt }}</div><div id="r">{{ page.reading_time }}</div>\n',
        "utf-8",
    )
    command = [sys.executable, "-m", "excerptor", "jsonl", "--no-cache"]
    full = {"title": "t", "defaults": [{"scope": {"path": ""}, "values": {"layout": "post"}}]}
    full.update(config)
    full["excerptor"] = {**config.get("excerptor", {}), "command": command}
    (site / "_config.yml").write_text(json.dumps(full, ensure_ascii=False), "utf-8")
    for i, (name, (front, body)) in enumerate(POSTS.items()):
        (site / "_posts" / f"2024-01-{i + 1:02d}-{name}.md").write_text(
            f"---\n{front}---\n{body}", "utf-8"
        )
    return site


def run(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "excerptor", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        env=ENV,
        timeout=300,
    )


def name_of(path: Path) -> str:
    return path.stem.split("-", 3)[3]


def managed(meta: dict[str, Any], want: dict[str, Any]) -> dict[str, Any]:
    return {k: meta.get(k) for k in want}


@pytest.fixture(params=sorted(CONFIGS))
def case(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[dict, Path, dict]:
    config = CONFIGS[request.param]
    return config, make_site(tmp_path, config), expected(config)


def test_front_ends_agree(case: tuple[dict, Path, dict]) -> None:
    config, site, want = case
    posts = sorted((site / "_posts").glob("*.md"))
    originals = {p: p.read_bytes() for p in posts}

    # excerptor analyze FILE: the site's config is found from the file.
    for path in posts:
        proc = run("analyze", str(path), cwd=site.parent)
        assert proc.returncode == 0, proc.stderr
        assert json.loads(proc.stdout)["fields"] == want[name_of(path)], path.name

    # excerptor jsonl, as the plugin calls it: the site's whole config, then paths.
    head = {"config": yaml.safe_load((site / "_config.yml").read_text("utf-8")), "root": str(site)}
    lines = [json.dumps(head, ensure_ascii=False)] + [
        json.dumps({"id": i, "path": str(p)}) for i, p in enumerate(posts)
    ]
    proc = run("jsonl", "--no-cache", cwd=site, stdin="\n".join(lines) + "\n")
    assert proc.returncode == 0, proc.stderr
    answers = [json.loads(line) for line in proc.stdout.splitlines()]
    for path, answer in zip(posts, answers, strict=True):
        assert answer.get("fields", {}) == want[name_of(path)], path.name

    # lint's reading-time check names the same minutes (where the time is not kept as set).
    mode = resolve(config).keep_existing
    kept = {post for (post, field), modes in KEPT.items() if mode in modes}
    proc = run("lint", "--json", "--no-cache", cwd=site)
    for problem in json.loads(proc.stdout)["problems"]:
        name = name_of(Path(problem["path"]))
        if problem["code"] == "reading-time-mismatch" and name not in kept:
            minutes = int(re.search(r"takes (\d+) min", problem["message"]).group(1))
            assert minutes == want[name]["reading_time"]

    # excerptor rewrite (no PATH: the site's _posts) writes exactly those values.
    proc = run("rewrite", "--no-cache", cwd=site)
    assert proc.returncode == 0, proc.stderr
    for path in posts:
        meta = read_post(path.read_text("utf-8")).metadata
        name = name_of(path)
        if not want[name]:
            assert path.read_bytes() == originals[path]
        assert managed(meta, want[name]) == want[name], path.name
    proc = run("lint", "--json", "--no-cache", cwd=site)
    stale = {
        name_of(Path(p["path"]))
        for p in json.loads(proc.stdout)["problems"]
        if p["code"] in ("reading-time-mismatch", "excerpt-defect")
    }
    assert stale <= kept  # only values the site chose to keep can still be stale
    proc = run("rewrite", "--check", "--no-cache", cwd=site)
    assert proc.returncode == 0, proc.stderr  # a second run changes nothing

    # The Jekyll plugin in a real build, on the posts as they were.
    if JEKYLL is None:
        pytest.skip("jekyll is not installed")
    for path, data in originals.items():
        path.write_bytes(data)
    install = run("jekyll", "install", str(site), cwd=site)
    assert install.returncode == 0, install.stderr
    proc = subprocess.run(
        [JEKYLL, "build"], cwd=site, capture_output=True, text=True, env=ENV, timeout=300
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    for path in posts:
        page = next((site / "_site").rglob(f"{name_of(path)}.html")).read_text("utf-8")
        shown = {
            "excerpt": re.search(r'<div id="e">(.*?)</div>', page, re.S).group(1),
            "reading_time": re.search(r'<div id="r">(.*?)</div>', page, re.S).group(1),
        }
        for field, value in want[name_of(path)].items():
            text = html.escape(value, quote=False) if field == "excerpt" else str(value)
            if (name_of(path), field) in KEPT:  # the front matter's own value, as written
                text = str(value)
            assert shown[field].strip() == text, (path.name, field)


def test_every_setting_reaches_a_jekyll_build(tmp_path: Path) -> None:
    """Each field of Settings set to a non-default value in _config.yml arrives, as the plugin
    sends it, at the settings excerptor resolves."""
    from dataclasses import fields

    from excerptor.settings import Settings

    if JEKYLL is None:
        pytest.skip("jekyll is not installed")
    values = {
        "max_chars": 77,
        "sentences": 4,
        "algorithm": "textrank",
        "include_headings": True,
        "skip_fillers": False,
        "fillers": ["毎度おなじみ"],
        "excerpt_separator": "<!-- cut -->",
        "cjk_chars_per_minute": 444.0,
        "words_per_minute": 222.0,
        "code_lines_per_minute": 11.0,
        "image_seconds": 9.0,
        "image_seconds_step": 2.0,
        "image_seconds_floor": 4.0,
        "excerpt_field": "description",
        "reading_time_field": "minutes",
        "keep_existing": "none",
        "dedupe": True,
        "boilerplate": ["いつもご覧いただきありがとうございます"],
        "learn_boilerplate": False,
    }
    assert set(values) == {f.name for f in fields(Settings)}, "a new setting needs a value here"
    site = make_site(tmp_path, {"excerptor": values})
    record = tmp_path / "sent.jsonl"
    spy = tmp_path / "spy.py"
    spy.write_text(
        "import sys, subprocess\n"
        f"data = sys.stdin.buffer.read()\nopen({str(record)!r}, 'wb').write(data)\n"
        "sys.exit(subprocess.run([sys.executable, '-m', 'excerptor', 'jsonl', '--no-cache'],"
        " input=data).returncode)\n",
        "utf-8",
    )
    config = yaml.safe_load((site / "_config.yml").read_text("utf-8"))
    config["excerptor"]["command"] = [sys.executable, str(spy)]
    (site / "_config.yml").write_text(json.dumps(config, ensure_ascii=False), "utf-8")
    assert run("jekyll", "install", str(site), cwd=site).returncode == 0
    proc = subprocess.run(
        [JEKYLL, "build"], cwd=site, capture_output=True, text=True, env=ENV, timeout=300
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    head = json.loads(record.read_text("utf-8").splitlines()[0])
    got = resolve(head["config"])
    for name, value in values.items():
        want = tuple(value) if isinstance(value, list) else value
        assert getattr(got, name) == want, name
    page = next((site / "_site").rglob("plain.html")).read_text("utf-8")
    assert "約" not in page and "minutes" not in page  # custom fields: the layout shows none


# --- site boilerplate: learned from the site's posts, whichever posts a run names ----------

NOTICE = "このブログはアフィリエイト広告を利用しています。"
TOPICS = (
    "先週、古いフィルムカメラを修理に出しました。シャッターの幕が破れていて、交換に三週間かかりました。",
    "ベランダでミニトマトを育てています。今年は支柱を二本にしたので、台風でも倒れませんでした。",
    "自作キーボードの配列を変えました。親指で数字を打てるようにしたら、表計算の入力が速くなりました。",
    "近所の図書館が改装されました。閲覧席に電源が付き、二時間まで予約できるようになりました。",
    "週末に天然酵母でパンを焼きました。粉は強力粉三百グラムで、発酵には室温で五時間かけました。",
)


def boiler_site(root: Path, posts: int, excerptor: dict[str, Any] | None = None) -> Path:
    """A Jekyll site whose posts all open with the same notice (ranked first when it counts)."""
    site = root / "site"
    (site / "_posts").mkdir(parents=True)
    config = {"title": "t", **({"excerptor": excerptor} if excerptor else {})}
    (site / "_config.yml").write_text(json.dumps(config, ensure_ascii=False), "utf-8")
    for i in range(posts):
        (site / "_posts" / f"2024-02-{i + 1:02d}-p{i}.md").write_text(
            f"---\ntitle: 記録{i}\n---\n{NOTICE}\n\n{TOPICS[i]}\n", "utf-8"
        )
    return site


def excerpt_of(path: Path) -> str:
    return read_post(path.read_text("utf-8")).metadata["excerpt"]


def jsonl_excerpts(site: Path, *options: str) -> list[str]:
    head = {"config": yaml.safe_load((site / "_config.yml").read_text("utf-8")), "root": str(site)}
    posts = sorted((site / "_posts").glob("*.md"))
    lines = [json.dumps(head, ensure_ascii=False)]
    lines += [json.dumps({"id": i, "path": str(p)}) for i, p in enumerate(posts)]
    proc = run("jsonl", "--no-cache", *options, cwd=site, stdin="\n".join(lines) + "\n")
    assert proc.returncode == 0, proc.stderr
    return [json.loads(line)["excerpt"] for line in proc.stdout.splitlines()]


def test_site_boilerplate_is_learned_the_same_by_every_front_end(tmp_path: Path) -> None:
    site = boiler_site(tmp_path / "a", 5)
    first = site / "_posts" / "2024-02-01-p0.md"
    post = read_post(first.read_text("utf-8"))
    learned = excerptor.site_boilerplate(sorted((site / "_posts").glob("*.md")))
    want = excerptor.excerpt(post.body, title="記録0", boilerplate=learned)
    assert NOTICE not in want and want  # the library, told the site's boilerplate
    without = excerptor.excerpt(post.body, title="記録0")
    assert without.startswith(NOTICE)  # the notice is the best sentence otherwise

    # jsonl as the Jekyll plugin calls it: the site's config, then every post's path.
    assert jsonl_excerpts(site)[0] == want
    # analyze FILE finds the site from the file.
    proc = run("analyze", "--no-cache", str(first), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["excerpt"] == want
    # rewrite of one file learns from the whole site, not from the one file named.
    one = boiler_site(tmp_path / "b", 5)
    proc = run("rewrite", "--no-cache", "_posts/2024-02-01-p0.md", cwd=one)
    assert proc.returncode == 0, proc.stderr
    assert excerpt_of(one / "_posts" / "2024-02-01-p0.md") == want
    # rewrite of the folder.
    proc = run("rewrite", "--no-cache", "_posts", cwd=site)
    assert proc.returncode == 0, proc.stderr
    assert excerpt_of(first) == want
    for path in (site / "_posts").glob("*.md"):
        assert NOTICE not in excerpt_of(path)
    proc = run("rewrite", "--check", "--no-cache", cwd=site)
    assert proc.returncode == 0, proc.stdout + proc.stderr  # a second run changes nothing


def test_turning_learning_off_brings_the_notice_back(tmp_path: Path) -> None:
    # The site's config, the command line and jsonl's options: one name.
    site = boiler_site(tmp_path / "a", 5, {"learn_boilerplate": False})
    assert all(e.startswith(NOTICE) for e in jsonl_excerpts(site))
    proc = run("rewrite", "--no-cache", cwd=site)
    assert proc.returncode == 0, proc.stderr
    assert excerpt_of(site / "_posts" / "2024-02-01-p0.md").startswith(NOTICE)

    site = boiler_site(tmp_path / "b", 5)
    assert all(e.startswith(NOTICE) for e in jsonl_excerpts(site, "--no-learn-boilerplate"))
    proc = run(
        "rewrite", "--no-cache", "--no-learn-boilerplate", "_posts/2024-02-03-p2.md", cwd=site
    )
    assert proc.returncode == 0, proc.stderr
    assert excerpt_of(site / "_posts" / "2024-02-03-p2.md").startswith(NOTICE)
    # ... and on again: the notice, written by the run before, is itself a defect.
    proc = run("rewrite", "--no-cache", "-v", "_posts/2024-02-03-p2.md", cwd=site)
    assert proc.returncode == 0, proc.stderr
    assert "defects: boilerplate" in proc.stderr
    assert NOTICE not in excerpt_of(site / "_posts" / "2024-02-03-p2.md")


def test_two_posts_teach_nothing(tmp_path: Path) -> None:
    site = boiler_site(tmp_path, 2)
    assert all(e.startswith(NOTICE) for e in jsonl_excerpts(site))
    proc = run("rewrite", "--no-cache", "_posts", cwd=site)
    assert proc.returncode == 0, proc.stderr
    for path in (site / "_posts").glob("*.md"):
        assert excerpt_of(path).startswith(NOTICE)


def test_a_jekyll_build_leaves_the_notice_out(tmp_path: Path) -> None:
    if JEKYLL is None:
        pytest.skip("jekyll is not installed")
    command = [sys.executable, "-m", "excerptor", "jsonl", "--no-cache"]
    site = boiler_site(tmp_path, 5, {"command": command})
    config = json.loads((site / "_config.yml").read_text("utf-8"))
    config["defaults"] = [{"scope": {"path": ""}, "values": {"layout": "post"}}]
    (site / "_config.yml").write_text(json.dumps(config, ensure_ascii=False), "utf-8")
    (site / "_layouts").mkdir()
    (site / "_layouts" / "post.html").write_text('<div id="e">{{ page.excerpt }}</div>\n', "utf-8")
    first = site / "_posts" / "2024-02-01-p0.md"
    body = read_post(first.read_text("utf-8")).body
    learned = excerptor.site_boilerplate(sorted((site / "_posts").glob("*.md")))
    want = excerptor.excerpt(body, title="記録0", boilerplate=learned)
    assert run("jekyll", "install", str(site), cwd=site).returncode == 0
    proc = subprocess.run(
        [JEKYLL, "build"], cwd=site, capture_output=True, text=True, env=ENV, timeout=300
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    page = next((site / "_site").rglob("p0.html")).read_text("utf-8")
    shown = re.search(r'<div id="e">(.*?)</div>', page, re.S).group(1).strip()
    assert shown == html.escape(want, quote=False) and NOTICE not in shown
