"""The Jekyll plugin, end to end: a real ``jekyll build`` of examples/jekyll-site.

Needs Debian's ``jekyll ruby-jekyll-feed ruby-jekyll-seo-tag jekyll-theme-minima`` (or the same
gems installed another way); skipped where ``jekyll`` is not on PATH.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, cli_env

import excerptor
from excerptor.jekyll import install_plugin, plugin_source

pytestmark = pytest.mark.jekyll

EXAMPLE = ROOT / "examples" / "jekyll-site"
# Subprocesses (jekyll, and the command it runs) use this checkout's excerptor, installed or not.
ENV = {
    k: v for k, v in cli_env(LANG="C.UTF-8", LC_ALL="C.UTF-8").items() if k != "EXCERPTOR_COMMAND"
}
JEKYLL = shutil.which("jekyll")
needs_jekyll = pytest.mark.skipif(
    JEKYLL is None,
    reason="jekyll is not installed (apt-get install jekyll ruby-jekyll-feed "
    "ruby-jekyll-seo-tag jekyll-theme-minima)",
)
# Jekyll's own front matter pattern (Jekyll::Document::YAML_FRONT_MATTER_REGEXP).
# A site filler (excerptor.fillers in _config.yml) that changes one example post's excerpt:
# the plugin must pass it on to the command.
FILLER = "re:^部品代は"
FRONT_MATTER = re.compile(r"\A(---\s*\n.*?\n?)^((---|\.\.\.)\s*$\n?)", re.S | re.M)


def make_site(root: Path, command: list[str] | None = None) -> Path:
    """A copy of the example site with the plugin installed and the command pinned."""
    site = root / "site"
    shutil.copytree(EXAMPLE, site, ignore=shutil.ignore_patterns("_site", ".jekyll-cache"))
    proc = subprocess.run(
        [sys.executable, "-m", "excerptor", "jekyll", "install", str(site)],
        capture_output=True,
        text=True,
        env=ENV,
    )
    assert proc.returncode == 0, proc.stderr
    # The interpreter running pytest, so the build uses this checkout's excerptor.
    command = command or [sys.executable, "-m", "excerptor", "jsonl"]
    quoted = ", ".join('"' + arg.replace("\\", "\\\\").replace('"', '\\"') + '"' for arg in command)
    (site / "_test.yml").write_text(
        f"excerptor:\n  command: [{quoted}]\n  cache_dir: .excerptor-cache\n"
        f"  fillers: [{json.dumps(FILLER, ensure_ascii=False)}]\n",
        encoding="utf-8",
    )
    return site


def build(site: Path, timeout: float = 240) -> subprocess.CompletedProcess:
    return subprocess.run(
        [JEKYLL or "jekyll", "build", "--config", "_config.yml,_test.yml"],
        cwd=site,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=ENV,
    )


def post_expectations(site: Path) -> list[dict]:
    """What each post page should show: the library's results for the same body."""
    out = []
    for path in sorted((site / "_posts").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        match = FRONT_MATTER.match(text)
        assert match, path
        body = text[match.end() :]
        title = re.search(r"^title:\s*(.+)$", match.group(1), re.M).group(1).strip()
        result = excerptor.analyze(body, max_chars=120, title=title, fillers=[FILLER])
        year, month, day, slug = path.stem.split("-", 3)
        out.append(
            {
                "page": site / "_site" / year / month / day / f"{slug}.html",
                "excerpt": html.escape(" ".join(result.excerpt.split()), quote=True),
                "minutes": result.reading_time,
            }
        )
    assert len(out) == 3
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if JEKYLL is None:
        pytest.skip("jekyll is not installed")
    site = make_site(tmp_path_factory.mktemp("jekyll"))
    proc = build(site)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "Excerptor:" in proc.stdout
    assert any((site / ".excerptor-cache").rglob("*.json")), "cache_dir was not used"
    return site


def meta(page: str, attr: str, name: str) -> str:
    match = re.search(rf'<meta {attr}="{name}" content="([^"]*)"', page)
    assert match, f"no {name} meta"
    return match.group(1)


@needs_jekyll
def test_post_pages_show_excerpt_and_reading_time(built: Path) -> None:
    for post in post_expectations(built):
        page = post["page"].read_text(encoding="utf-8")
        assert post["excerpt"], post
        # jekyll-seo-tag writes page.excerpt as the description.
        assert meta(page, "name", "description") == post["excerpt"]
        assert meta(page, "property", "og:description") == post["excerpt"]
        assert f"この記事は約{post['minutes']}分で読めます" in page


@needs_jekyll
def test_index_lists_excerpts_and_reading_times(built: Path) -> None:
    index = (built / "_site" / "index.html").read_text(encoding="utf-8")
    shown = re.findall(r'<p class="post-excerpt">(.*?)</p>', index, re.S)
    minutes = re.findall(r"この記事は約(\d+)分で読めます", index)
    posts = post_expectations(built)[::-1]  # newest first
    assert shown == [p["excerpt"] for p in posts]
    assert [int(m) for m in minutes] == [p["minutes"] for p in posts]


@needs_jekyll
def test_feed_summaries_are_the_excerpts(built: Path) -> None:
    feed = (built / "_site" / "feed.xml").read_text(encoding="utf-8")
    summaries = re.findall(r'<summary type="html"><!\[CDATA\[(.*?)\]\]></summary>', feed, re.S)
    assert summaries == [p["excerpt"] for p in post_expectations(built)[::-1]]


@needs_jekyll
def test_excerpt_set_by_hand_is_kept(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    path = sorted((site / "_posts").glob("*.md"))[0]
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("---\n", "---\nexcerpt: 手で書いた抜粋です\nreading_time: 42\n", 1),
        encoding="utf-8",
    )
    proc = build(site)
    assert proc.returncode == 0, proc.stderr[-3000:]
    post = post_expectations(site)[0]
    page = post["page"].read_text(encoding="utf-8")
    assert meta(page, "name", "description") == "手で書いた抜粋です"
    assert "この記事は約42分で読めます" in page
    # The other posts still get computed values.
    other = post_expectations(site)[1]
    assert (
        meta(other["page"].read_text(encoding="utf-8"), "name", "description") == (other["excerpt"])
    )


@needs_jekyll
@pytest.mark.parametrize(
    ("command", "message"),
    [
        (["/nonexistent/excerptor", "jsonl"], "cannot run"),
        ([sys.executable, "-c", "import sys; sys.exit(1)"], "exited with 1"),
        ([sys.executable, "-c", "print('not json')"], "not JSON"),
        (
            [
                sys.executable,
                "-c",
                'import sys; [print(\'{"id": %d, "error": "nope"}\' % i) for i in range(3)]',
            ],
            "3 post(s) failed",
        ),
    ],
)
def test_broken_command_fails_the_build_clearly(
    tmp_path: Path, command: list[str], message: str
) -> None:
    site = make_site(tmp_path, command)
    proc = build(site)
    assert proc.returncode != 0
    errors = [line for line in (proc.stdout + proc.stderr).splitlines() if "excerptor:" in line]
    assert errors and message in errors[0], proc.stderr[-3000:]
    assert not (site / "_site" / "index.html").exists()


def test_install_writes_the_plugin_and_refuses_to_clobber(tmp_path: Path) -> None:
    target, written = install_plugin(tmp_path)
    assert written and target == tmp_path / "_plugins" / "excerptor.rb"
    assert target.read_bytes() == plugin_source()
    assert install_plugin(tmp_path) == (target, False)

    target.write_text("# my own plugin\n")
    proc = subprocess.run(
        [sys.executable, "-m", "excerptor", "jekyll", "install", str(tmp_path)],
        capture_output=True,
        text=True,
        env=ENV,
    )
    assert proc.returncode == 1 and "--force" in proc.stderr
    assert target.read_text() == "# my own plugin\n"
    proc = subprocess.run(
        [sys.executable, "-m", "excerptor", "jekyll", "install", "--force", str(tmp_path)],
        capture_output=True,
        text=True,
        env=ENV,
    )
    assert proc.returncode == 0, proc.stderr
    assert target.read_bytes() == plugin_source()
