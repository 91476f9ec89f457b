"""``import excerptor`` and ``excerptor --version`` stay light: no numpy, fugashi, sumy, nltk,
markdown_it or yaml (checked in a fresh interpreter, through ``sys.modules``, not by timing)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import ROOT

HEAVY = ("numpy", "scipy", "fugashi", "sumy", "nltk", "markdown_it", "yaml", "frontmatter")

_REPORT = (
    "import json, sys\n"
    "heavy = {heavy!r}\n"
    "print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & set(heavy))))\n"
)


def _heavy_after(code: str) -> tuple[list[str], str]:
    script = code + "\n" + _REPORT.format(heavy=HEAVY)
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.strip().splitlines()
    return json.loads(lines[-1]), "\n".join(lines[:-1])


def test_import_excerptor_is_light() -> None:
    heavy, _ = _heavy_after("import excerptor\nexcerptor.__version__")
    assert heavy == []


def test_version_is_light_and_prints_the_version() -> None:
    code = (
        "import sys\n"
        "from excerptor import __version__\n"
        "from excerptor.cli import main\n"
        "try:\n"
        "    main(['--version'])\n"
        "except SystemExit as exc:\n"
        "    assert exc.code in (0, None), exc.code\n"
    )
    heavy, out = _heavy_after(code)
    assert heavy == []
    import excerptor

    assert out.strip() == f"excerptor {excerptor.__version__}"


def test_building_every_subcommand_parser_is_light() -> None:
    # `excerptor COMMAND --help` must not pay for the pipeline either.
    heavy, _ = _heavy_after("from excerptor.cli import build_parser\nbuild_parser()")
    assert heavy == []


def test_the_check_sees_a_heavy_import() -> None:
    # Guards the guard: the subprocess check does notice a heavy module when one is loaded.
    pytest.importorskip("yaml")
    heavy, _ = _heavy_after("import excerptor, yaml")
    assert heavy == ["yaml"]


def test_analyze_loads_the_pipeline_lazily() -> None:
    # The pipeline's libraries come in on first use, not at import.
    heavy, _ = _heavy_after(
        "import excerptor\nexcerptor.analyze('今日は晴れです。散歩に行きました。')"
    )
    assert {"fugashi", "markdown_it"} <= set(heavy)
