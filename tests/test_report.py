"""``excerptor report``: the page, opened in a real headless browser (Debian's chromium with
``--dump-dom``; skipped when /usr/bin/chromium is absent), and its parts at the public surface.

The page's state (filters, sort, page) lives in the URL's hash, so a dumped DOM shows a
filtered table; console messages come from chromium's log (``--enable-logging=stderr``)."""

from __future__ import annotations

import hashlib
import html
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, cli_env
from generated_corpus import posts
from hypothesis import given
from hypothesis import strategies as st

from excerptor.report import PAGE_SIZE, chart, rows_json

CHROMIUM = Path("/usr/bin/chromium")
XSS_TITLE = "<script>alert(1)</script>"
XSS_POST = f"""---
title: "{XSS_TITLE}"
excerpt: "<img src=x onerror=\\"document.body.setAttribute('data-pwned', 1)\\"> & </script>"
reading_time: 20
---

本文の一文目です。これは二文目で、少し長めに書いておきます。最後の文です。
"""

needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="/usr/bin/chromium is absent (apt-get install chromium)"
)


def excerptor(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "excerptor", *args],
        cwd=cwd,
        env=cli_env(),
        capture_output=True,
        text=True,
        timeout=600,
    )


def report_and_lint(target: Path, out: Path, cache: Path, cwd: Path = ROOT) -> dict:
    """Write the report of ``target`` to ``out``; ``lint --json``'s answer on the same folder."""
    run = ["--jobs", "2", "--cache-dir", str(cache)]
    made = excerptor("report", str(target), "-o", str(out), *run, cwd=cwd)
    assert made.returncode in (0, 1), made.stderr
    assert out.is_file() and made.stdout.startswith(f"wrote {out}")
    lint = excerptor("lint", str(target), "--json", *run, cwd=cwd)
    assert lint.returncode in (0, 1), lint.stderr
    return json.loads(lint.stdout)


class Page:
    """A report as a headless chromium left it (the DOM after its script ran)."""

    def __init__(self, report: Path, profile: Path, hash_: str = "") -> None:
        url = report.resolve().as_uri() + (f"#{hash_}" if hash_ else "")
        done = subprocess.run(
            [
                str(CHROMIUM),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--enable-logging=stderr",
                "--v=0",
                f"--user-data-dir={profile}",
                "--dump-dom",
                url,
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        self.dom = done.stdout
        self.console = [line for line in done.stderr.splitlines() if ":CONSOLE" in line]

    def count(self, ident: str) -> int:
        m = re.search(rf'id="{ident}" data-count="(\d+)"', self.dom)
        assert m, f"no #{ident} in the page"
        return int(m.group(1))

    def shown(self) -> int:
        return int(re.search(r'id="shown-count"[^>]*data-shown="(\d+)"', self.dom).group(1))

    def rows(self) -> list[str]:
        """The paths of the table rows on the page shown."""
        return [html.unescape(p) for p in re.findall(r'<tr data-path="([^"]*)"', self.dom)]

    def codes(self) -> dict[str, tuple[int, int]]:
        """The summary's finding codes -> (findings, posts)."""
        found = re.findall(
            r'<tr data-code="([^"]+)" data-findings="(\d+)" data-posts="(\d+)"', self.dom
        )
        return {code: (int(n), int(p)) for code, n, p in found}

    def assert_healthy(self) -> None:
        assert self.console == [], self.console
        assert 'data-ready="1"' in self.dom
        assert not re.search(r"<body[^>]*data-script-errors", self.dom)
        assert '<div id="script-errors" hidden=""></div>' in self.dom


def assert_counts_match_lint(page: Page, lint: dict) -> None:
    problems = lint["problems"]
    assert page.count("count-posts") == lint["files"]
    assert page.count("count-findings") == len(problems)
    assert page.count("count-flagged") == lint["flagged"]
    assert page.count("count-errors") == len(lint["errors"])
    by_code = Counter(p["code"] for p in problems)
    posts_by_code = {c: len({p["path"] for p in problems if p["code"] == c}) for c in by_code}
    assert page.codes() == {c: (by_code[c], posts_by_code[c]) for c in by_code}


def tree_digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            h.update(str(path).encode() + path.read_bytes())
    return h.hexdigest()


# --- in a browser ----------------------------------------------------------------------------


@needs_chromium
def test_examples_report_in_a_browser(tmp_path: Path) -> None:
    before = tree_digest(ROOT / "examples")
    out = tmp_path / "report.html"
    lint = report_and_lint(Path("examples"), out, tmp_path / "cache")
    assert tree_digest(ROOT / "examples") == before  # the report writes nothing else
    assert {p.name for p in tmp_path.iterdir()} == {"report.html", "cache"}

    page = Page(out, tmp_path / "profile")
    page.assert_healthy()
    assert_counts_match_lint(page, lint)
    total = page.count("count-posts")
    assert page.shown() == total and len(page.rows()) == total  # no opt-outs in examples/
    # each row links to its file, relative to the report
    link = re.search(r'<tr data-path="([^"]+)"[^>]*><td><a href="([^"]+)"', page.dom)
    assert (out.parent / html.unescape(link.group(2))).resolve() == (ROOT / link.group(1))

    # a row shows the old and the new values: the file's, and what rewrite would write
    qa = "examples/posts/2024-06-01-qa-log.md"
    row = re.search(rf'<tr data-path="{qa}".*?</tr>', page.dom).group(0)
    cells = re.findall(r'<td class="(?:excerpt-|num)[^"]*">([^<]*)</td>', row)
    old = yaml.safe_load((ROOT / qa).read_text(encoding="utf-8").split("---")[1])["excerpt"]
    assert cells[0] == old
    new = json.loads(excerptor("analyze", qa).stdout)
    assert cells[1:] == [html.escape(new["excerpt"], quote=False), "15", str(new["reading_time"])]

    changed = Page(out, tmp_path / "profile", "changed=excerpt")
    changed.assert_healthy()
    assert changed.shown() == changed.count("count-excerpts") > 0
    assert len(changed.rows()) == changed.shown() < total

    code = "reading-time-mismatch"
    flagged = Page(out, tmp_path / "profile", f"code={code}")
    flagged.assert_healthy()
    assert set(flagged.rows()) == {p["path"] for p in lint["problems"] if p["code"] == code}


@pytest.fixture(scope="module")
def big_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """A generated 500-post site (and one post with a script in its title), its report and
    lint's answer."""
    root = tmp_path_factory.mktemp("site")
    folder = root / "_posts"
    folder.mkdir()
    for name, data in posts(500):
        (folder / name).write_bytes(data)
    (folder / "2024-02-02-xss.md").write_text(XSS_POST, encoding="utf-8")
    out = root / "report.html"
    lint = report_and_lint(Path("_posts"), out, root / "cache", cwd=root)
    return out, lint


@needs_chromium
def test_large_site_report_in_a_browser(big_site: tuple[Path, dict], tmp_path: Path) -> None:
    out, lint = big_site
    assert lint["files"] == 501
    page = Page(out, tmp_path / "profile")
    page.assert_healthy()
    assert_counts_match_lint(page, lint)
    assert page.shown() == 501 and len(page.rows()) == PAGE_SIZE  # paged
    assert "page 1 of 11" in page.dom

    last = Page(out, tmp_path / "profile", "page=11")
    assert len(last.rows()) == 501 - 10 * PAGE_SIZE and "page 11 of 11" in last.dom

    code = "marker-line"
    expected = {p["path"] for p in lint["problems"] if p["code"] == code}
    assert len(expected) > PAGE_SIZE
    flagged = Page(out, tmp_path / "profile", f"code={code}")
    flagged.assert_healthy()
    assert flagged.shown() == len(expected)
    assert set(flagged.rows()) <= expected and len(flagged.rows()) == PAGE_SIZE
    # ... and opens the code's findings: every one, with lint's line numbers
    group = re.search(
        rf'<details class="finding-group" data-code="{code}" open="">.*?</details>',
        flagged.dom,
        re.S,
    ).group(0)
    listed = re.findall(
        r'<li class="finding"><a href="[^"]*">([^<]*)</a><span> lines? ([\d, ]+):', group
    )
    shown_lines = sorted((html.unescape(p), [int(n) for n in ns.split(", ")]) for p, ns in listed)
    assert shown_lines == sorted(
        (p["path"], p["lines"] or [p["line"]]) for p in lint["problems"] if p["code"] == code
    )

    # sorted by the stated reading time, largest first: the post stating 20 min comes first
    ordered = Page(out, tmp_path / "profile", "sort=m0&dir=desc&changed=reading-time")
    first = re.search(r"<tr data-path[^>]*>(.*?)</tr>", ordered.dom).group(1)
    assert re.findall(r'<td class="num changed">(\d+)</td>', first)[0] == "20"


@needs_chromium
def test_a_script_in_a_title_shows_as_text(big_site: tuple[Path, dict], tmp_path: Path) -> None:
    out, _ = big_site
    raw = out.read_text(encoding="utf-8")
    assert "<script>alert" not in raw and "<img src=x" not in raw
    page = Page(out, tmp_path / "profile", "q=alert")
    page.assert_healthy()
    assert page.rows() == ["_posts/2024-02-02-xss.md"]
    # the title is a text node: serialized escaped, in the row's title span
    assert f'<span class="title">{html.escape(XSS_TITLE, quote=False)}</span>' in page.dom
    assert "&lt;img src=x onerror=" in page.dom
    assert "data-pwned" not in page.dom.replace("data-pwned', 1)", "")
    assert len(re.findall(r"<script\b", page.dom)) == 2  # the page's own data and script


# --- without a browser -----------------------------------------------------------------------


def test_constant_reading_time_stands_out_in_the_chart() -> None:
    before = [20] * 235 + [3] * 20 + [None] * 145
    after = [n % 25 + 1 for n in range(400)]
    c = chart(before, after)
    tallest = max(c["bars"], key=lambda b: b["h"])
    assert (tallest["kind"], tallest["label"], tallest["n"]) == ("before", "20", 235)
    assert tallest["y"] == c["base"] - tallest["h"]
    assert sum(b["n"] for b in c["bars"] if b["kind"] == "before") == 255
    assert sum(b["n"] for b in c["bars"] if b["kind"] == "after") == 400


def test_long_reading_times_share_the_last_bin() -> None:
    c = chart([45, 90], [31, 2])
    counts = {(b["kind"], b["label"]): b["n"] for b in c["bars"] if b["n"]}
    assert counts == {("before", "30+"): 2, ("after", "30+"): 1, ("after", "2"): 1}


@given(st.lists(st.dictionaries(st.sampled_from("ptre"), st.text()), max_size=5))
def test_rows_json_is_safe_in_a_script_element(rows: list[dict]) -> None:
    text = rows_json(rows)
    assert not set("<>&") & set(text)
    assert json.loads(text) == rows


def test_output_that_is_a_folder_is_a_usage_error(tmp_path: Path) -> None:
    done = excerptor("report", "examples/posts", "-o", str(tmp_path), "--no-cache")
    assert done.returncode == 2
    assert "is a folder" in done.stderr


def test_no_path_outside_a_site_is_a_usage_error(tmp_path: Path) -> None:
    done = excerptor("report", "-o", str(tmp_path / "r.html"), cwd=tmp_path)
    assert done.returncode == 2 and "no PATH given" in done.stderr
    assert not (tmp_path / "r.html").exists()
