"""A Jekyll site's ``_config.yml``, as far as excerptor cares.

* the ``excerptor:`` section (``max_chars``, ``algorithm``, ``excerpt_field``,
  ``reading_time_field``, ``only_missing``, ``cache_dir``, reading speeds …); keys for the
  Jekyll plugin (``command``, ``keep_existing``) are left to it;
* ``excerpt_separator`` (only when it is not Jekyll's default ``"\\n\\n"``);
* the folders of posts: ``_posts/`` and ``_<name>/`` for each collection with ``output: true``
  (under ``collections_dir`` when set).

Folder names and ``cache_dir`` are checked to stay inside the site, and the cache is refused
inside a folder of posts.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ExcerptorError

CONFIG_NAME = "_config.yml"
JEKYLL_DEFAULT_SEPARATOR = "\n\n"

# name in _config.yml -> (type, check) ; values are validated before any post is read.
_INT_OPTIONS = ("max_chars", "sentences")
_FLOAT_OPTIONS = ("cjk_chars_per_minute", "words_per_minute", "code_lines_per_minute")
_BOOL_OPTIONS = ("only_missing", "include_headings", "skip_fillers")
_STR_OPTIONS = ("algorithm", "excerpt_field", "reading_time_field", "cache_dir")
_LIST_OPTIONS = ("fillers",)  # lists of strings


@dataclass(frozen=True)
class Site:
    """What excerptor reads from one site's ``_config.yml``."""

    root: Path
    options: dict[str, Any] = field(default_factory=dict)  # validated ``excerptor:`` values
    excerpt_separator: str | None = None  # None: Jekyll's default (no marker)
    post_dirs: tuple[Path, ...] = ()  # _posts and collections with output, existing or not
    cache_dir: Path | None = None  # the site's own (checked) cache folder; None: the user's

    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_NAME


def add_filler_option(parser: Any) -> None:
    """``--filler PHRASE`` (repeatable), for the commands that analyze posts."""
    parser.add_argument(
        "--filler",
        dest="fillers",
        action="append",
        default=None,
        metavar="PHRASE",
        help="one more filler opener, or re:PATTERN for a whole filler sentence (repeatable)",
    )


def find_site(start: str | os.PathLike[str] | None = None) -> Path | None:
    """The site folder: ``start`` (default cwd) or its nearest ancestor with a ``_config.yml``,
    not looking above a repository root (a folder holding ``.git``)."""
    here = Path(start or os.getcwd()).absolute()
    if here.is_file() or not here.exists():
        here = here.parent
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
        if (folder / ".git").exists():
            return None
    return None


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def check_cache_dir(path: Path, post_dirs: tuple[Path, ...], where: str) -> None:
    """Refuse a cache folder inside a folder of posts (Jekyll would publish or read it)."""
    for folder in post_dirs:
        if _inside(path, folder):
            raise ExcerptorError(
                f"cache_dir {str(path)!r} is inside {folder.name}/; refusing", where
            )


def _site_folder(root: Path, name: str, where: str) -> Path:
    """``root/name``, refusing names that leave the site (``..``, absolute paths)."""
    if not name or os.path.isabs(name) or ".." in Path(name).parts or "\0" in name:
        raise ExcerptorError(f"folder name {name!r} leaves the site; refusing", where)
    return root / name


def _options(section: Any, where: str) -> dict[str, Any]:
    """The validated settings of the ``excerptor:`` section; other keys (the Jekyll
    plugin's ``command``, ``keep_existing`` …) are left out."""
    if section is None or section is False or section is True:
        return {}
    if not isinstance(section, dict):
        raise ExcerptorError("`excerptor:` must be a mapping of settings", where)
    out: dict[str, Any] = {}
    for key, value in section.items():
        name = str(key)
        if name in _INT_OPTIONS:
            if type(value) is not int or value < 1:
                raise ExcerptorError(f"excerptor.{name} must be a whole number ≥ 1", where)
        elif name in _FLOAT_OPTIONS:
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
                raise ExcerptorError(f"excerptor.{name} must be a positive number", where)
            value = float(value)
        elif name in _BOOL_OPTIONS:
            if not isinstance(value, bool):
                raise ExcerptorError(f"excerptor.{name} must be true or false", where)
        elif name in _LIST_OPTIONS:
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
                raise ExcerptorError(f"excerptor.{name} must be a list of strings", where)
        elif name in _STR_OPTIONS:
            if name.endswith("_field") and value in (None, False, ""):
                value = ""  # do not write this field
            elif not isinstance(value, str) or not value:
                raise ExcerptorError(f"excerptor.{name} must be a non-empty string", where)
        else:
            continue
        out[name] = value
    return out


def _collection_dirs(config: dict[str, Any], root: Path, where: str) -> tuple[Path, ...]:
    base_name = config.get("collections_dir") or ""
    if not isinstance(base_name, str):
        raise ExcerptorError("collections_dir must be a folder name", where)
    base = _site_folder(root, base_name, where) if base_name else root
    names = ["posts"]
    collections = config.get("collections")
    if isinstance(collections, dict):
        for name, meta in collections.items():
            if name != "posts" and isinstance(meta, dict) and meta.get("output") is True:
                names.append(str(name))
    elif collections is not None and not isinstance(collections, list):
        raise ExcerptorError("collections must be a mapping or a list", where)
    # A list of names means output: false (Jekyll's default): nothing more to rewrite.
    return tuple(_site_folder(base, f"_{name}", where) for name in names)


def load_site(root: str | os.PathLike[str]) -> Site:
    """Read ``root/_config.yml``; ExcerptorError (naming the file) when it is unusable."""
    import yaml

    root = Path(root)
    path = root / CONFIG_NAME
    where = str(path)
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except OSError as exc:
        raise ExcerptorError(exc.strerror or str(exc), where) from None
    try:
        config = yaml.safe_load(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ExcerptorError("not UTF-8", where) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" (line {mark.line + 1})" if mark is not None else ""
        raise ExcerptorError(f"not valid YAML{at}", where) from None
    if config is None:
        config = {}
    if not isinstance(config, dict):
        raise ExcerptorError("is not a mapping of settings", where)
    options = _options(config.get("excerptor"), where)
    separator = config.get("excerpt_separator")
    if separator is not None and not isinstance(separator, str):
        raise ExcerptorError("excerpt_separator must be a string", where)
    if separator in ("", JEKYLL_DEFAULT_SEPARATOR):
        separator = None
    post_dirs = _collection_dirs(config, root, where)
    cache_dir = None
    if options.get("cache_dir"):  # refused now, before any post is read, if it is bad
        cache_dir = Path(os.path.expanduser(options["cache_dir"]))
        if not cache_dir.is_absolute():
            cache_dir = root / cache_dir
        check_cache_dir(cache_dir, post_dirs, where)
    return Site(root, options, separator, post_dirs, cache_dir)
