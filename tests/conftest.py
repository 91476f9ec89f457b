"""Shared fixtures: the read-only data in ../shared, skipped when absent."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent  # this checkout
SHARED = ROOT.parent / "shared"


def cli_env(**extra: str) -> dict[str, str]:
    """The environment of a subprocess that runs this checkout's excerptor, installed or not."""
    path = os.environ.get("PYTHONPATH")
    return {**os.environ, "PYTHONPATH": str(ROOT) + (os.pathsep + path if path else ""), **extra}


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or skip the test when it is not there."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"../shared/{'/'.join(parts)} is absent")
    return path


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@pytest.fixture(scope="session")
def allforces_posts() -> list[Path]:
    return sorted(shared_path("corpus", "allforces", "_posts").glob("*.md"))


@pytest.fixture(scope="session")
def blog_markdown() -> list[dict]:
    return read_jsonl(shared_path("corpus", "blog_markdown.jsonl"))


@pytest.fixture(scope="session")
def seed_post() -> Path:
    return shared_path("seed", "000_8f79073e99891395.txt")
