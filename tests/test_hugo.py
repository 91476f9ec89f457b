"""Hugo sites: detected by their config, settings under [params.excerptor], posts in content/,
section pages skipped, leaf bundles are posts, the default field is Hugo's own ``summary``; and
a real ``hugo`` build shows excerptor's summary on a list page."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import cli_env

from excerptor.config import find_site, load_site
from excerptor.patcher import read_post

ENV = cli_env(LANG="C.UTF-8")
HUGO = shutil.which("hugo")
CHATTY = (
    "いやー、久しぶりの更新です。\n\n"
    "週末に天然酵母でパンを焼きました。材料は強力粉三百グラムと水二百十グラムです。\n\n"
    "生地は冷蔵庫で一晩寝かせ、翌朝に二百二十度で二十五分焼きます。\n"
)
SECTION = '+++\ntitle = "記事一覧"\n+++\nセクションの説明です。\n'


def make_site(root: Path, config_name: str = "hugo.toml") -> Path:
    site = root / "site"
    (site / "content" / "posts" / "bundle").mkdir(parents=True)
    (site / "layouts" / "_default").mkdir(parents=True)
    config = (
        'baseURL = "https://example.org/"\ntitle = "テスト"\nlanguageCode = "ja"\n'
        "hasCJKLanguage = true\n[params.excerptor]\nmax_chars = 60\n"
    )
    if config_name == "config/_default":
        (site / "config" / "_default").mkdir(parents=True)
        (site / "config" / "_default" / "hugo.toml").write_text(config.split("[params")[0], "utf-8")
        (site / "config" / "_default" / "params.toml").write_text(
            "[excerptor]\nmax_chars = 60\n", "utf-8"
        )
    else:
        (site / config_name).write_text(config, "utf-8")
    (site / "content" / "posts" / "_index.md").write_text(SECTION, "utf-8")
    (site / "content" / "posts" / "bread.md").write_text(
        '---\ntitle: "パンを焼く"\ndate: 2024-06-09\n---\n' + CHATTY, "utf-8"
    )
    (site / "content" / "posts" / "bundle" / "index.md").write_text(
        '+++\ntitle = "束ねた記事"\ndate = 2024-06-10\n+++\n'
        "新しいキーボードを買いました。打鍵感が軽く、長時間の作業でも疲れにくいです。\n",
        "utf-8",
    )
    (site / "README.md").write_text("# not a post\n", "utf-8")
    (site / "layouts" / "_default" / "list.html").write_text(
        '<ul>{{ range .Pages }}<li class="s">{{ .Title }}|{{ .Summary }}</li>{{ end }}</ul>\n',
        "utf-8",
    )
    (site / "layouts" / "_default" / "single.html").write_text(
        "<h1>{{ .Title }}</h1>{{ .Content }}\n", "utf-8"
    )
    return site


def rewrite(site: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "excerptor", "rewrite", "--no-cache", "-v", *args],
        cwd=site,
        capture_output=True,
        text=True,
        env=ENV,
        timeout=300,
    )


def meta(path: Path) -> dict:
    return read_post(path.read_text("utf-8")).metadata


@pytest.mark.parametrize("config", ["hugo.toml", "config.toml", "config/_default"])
def test_hugo_site_is_detected(tmp_path: Path, config: str) -> None:
    site = make_site(tmp_path, config)
    assert find_site(site / "content" / "posts") == site
    found = load_site(site)
    assert found.kind == "hugo"
    assert found.post_dirs == (site / "content",)
    assert found.settings().max_chars == 60
    assert found.settings().excerpt_field == "summary"
    assert found.settings({"excerpt_field": "description"}).excerpt_field == "description"


def test_rewrite_with_no_path_takes_content(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    proc = rewrite(site)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.splitlines()[-1] == "2 files, 2 changed, 0 unchanged, 0 errors"
    bread = meta(site / "content" / "posts" / "bread.md")
    assert bread["summary"].startswith("週末に天然酵母で") and len(bread["summary"]) <= 60
    assert "excerpt" not in bread and bread["reading_time"] == 1
    assert "summary" in meta(site / "content" / "posts" / "bundle" / "index.md")
    assert (site / "content" / "posts" / "_index.md").read_text("utf-8") == SECTION
    # excerpt_field still wins over Hugo's default.
    proc = rewrite(site, "--excerpt-field", "description")
    assert proc.returncode == 0, proc.stderr
    assert meta(site / "content" / "posts" / "bread.md")["description"] == bread["summary"]
    # As pre-commit passes them: by name. The section page is still not a post.
    proc = rewrite(site, "content/posts/_index.md", "README.md")
    assert proc.returncode == 0, proc.stderr
    assert (site / "content" / "posts" / "_index.md").read_text("utf-8") == SECTION
    assert "skipped README.md: no front matter" in proc.stderr


@pytest.mark.skipif(HUGO is None, reason="hugo is not installed (apt-get install hugo)")
def test_real_hugo_build_shows_the_summary(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    assert rewrite(site).returncode == 0
    proc = subprocess.run(
        [HUGO, "--quiet"], cwd=site, capture_output=True, text=True, timeout=300, env=ENV
    )
    assert proc.returncode == 0, proc.stderr
    page = (site / "public" / "posts" / "index.html").read_text("utf-8")
    summary = meta(site / "content" / "posts" / "bread.md")["summary"]
    assert f"パンを焼く|{summary}</li>" in page
    assert "いやー" not in page  # Hugo's own summary would open with the chatter
