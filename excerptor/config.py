"""A site's config, as far as excerptor cares: Jekyll's ``_config.yml`` or Hugo's config.

* **Jekyll**: ``_config.yml`` (or ``_config.yaml``); settings in its ``excerptor:`` section,
  Jekyll's own ``excerpt_separator``; posts in ``_posts/`` and ``_<name>/`` for each collection
  with ``output: true`` (under ``collections_dir`` when set).
* **Hugo**: ``hugo.toml`` / ``hugo.yaml`` / ``hugo.json``, or ``config.toml`` / ``config.yaml`` /
  ``config.json``, or ``config/_default/``; settings under ``[params.excerptor]``; posts in
  ``content/`` (``contentDir``); section pages (``_index.md``) are not posts; Hugo's own
  summary field, ``summary``, is the default ``excerpt_field``.

The settings themselves are resolved by :func:`excerptor.settings.resolve`. Folder names and
``cache_dir`` are checked to stay inside the site, and the cache is refused inside a folder of
posts. Only the standard library is imported at module level.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ExcerptorError

JEKYLL_CONFIGS = ("_config.yml", "_config.yaml")
HUGO_CONFIGS = (
    "hugo.toml",
    "hugo.yaml",
    "hugo.yml",
    "hugo.json",
    "config.toml",
    "config.yaml",
    "config.yml",
    "config.json",
)
HUGO_CONFIG_DIR = Path("config") / "_default"
#: Settings a site kind changes from excerptor's defaults (its own options still win).
SITE_DEFAULTS: dict[str, dict[str, Any]] = {"jekyll": {}, "hugo": {"excerpt_field": "summary"}}
#: File names that are never posts in a site of this kind.
NOT_POSTS: dict[str, frozenset[str]] = {
    "jekyll": frozenset(),
    "hugo": frozenset({"_index.md", "_index.markdown", "_index.html"}),
}


@dataclass(frozen=True)
class Site:
    """What excerptor reads of one site."""

    root: Path
    kind: str  # "jekyll" or "hugo"
    config: dict[str, Any] = field(default_factory=dict)  # the whole config, as read
    config_path: Path | None = None
    post_dirs: tuple[Path, ...] = ()  # folders of posts, existing or not
    cache_dir: Path | None = None  # the site's own (checked) cache folder; None: the user's

    @property
    def where(self) -> str:
        return str(self.config_path or self.root)

    @property
    def options(self) -> dict[str, Any]:
        """The ``excerptor:`` section (settings and front-end keys), checked."""
        from .settings import section

        return section(self.config, self.where)

    def settings(
        self, options: Mapping[str, Any] | None = None, learned: Iterable[str] = ()
    ) -> Any:
        """The run's :class:`~excerptor.settings.Settings`: defaults ← this site ← ``options``,
        with the boilerplate ``learned`` from the site's posts (see
        :func:`excerptor.settings.resolve`)."""
        from .settings import resolve

        merged = {**SITE_DEFAULTS[self.kind], **self.options}
        config = {**self.config, "excerptor": merged}
        return resolve(config, options, where=self.where, learned=learned)

    def learned_settings(
        self, options: Mapping[str, Any] | None = None, *, cache: Any = None, jobs: int = 0
    ) -> Any:
        """:meth:`settings`, with the boilerplate learned from this site's posts when
        ``learn_boilerplate`` is on (:func:`excerptor.boilerplate.learn_site`)."""
        settings = self.settings(options)
        if not (settings.learn_boilerplate and settings.excerpt_field):
            return settings  # nothing to learn, or no excerpt to keep it out of
        from .boilerplate import learn_site

        return self.settings(options, learn_site(self, cache=cache, jobs=jobs))

    def is_post(self, path: str) -> bool:
        return os.path.basename(path) not in NOT_POSTS[self.kind]


def _site_kind(folder: Path) -> tuple[str, Path] | None:
    for name in JEKYLL_CONFIGS:
        if (folder / name).is_file():
            return "jekyll", folder / name
    for name in HUGO_CONFIGS:
        if (folder / name).is_file():
            return "hugo", folder / name
    if (folder / HUGO_CONFIG_DIR).is_dir():
        return "hugo", folder / HUGO_CONFIG_DIR
    return None


def find_site(start: str | os.PathLike[str] | None = None) -> Path | None:
    """The site folder: ``start`` (default cwd) or its nearest ancestor with a Jekyll or Hugo
    config, not looking above a repository root (a folder holding ``.git``)."""
    here = Path(start or os.getcwd()).absolute()
    if here.is_file() or not here.exists():
        here = here.parent
    for folder in (here, *here.parents):
        if _site_kind(folder) is not None:
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
    """Refuse a cache folder inside a folder of posts (the site would publish or read it)."""
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


def _jekyll_post_dirs(config: Mapping[str, Any], root: Path, where: str) -> tuple[Path, ...]:
    base_name = config.get("collections_dir") or ""
    if not isinstance(base_name, str):
        raise ExcerptorError("collections_dir must be a folder name", where)
    base = _site_folder(root, base_name, where) if base_name else root
    names = ["posts"]
    collections = config.get("collections")
    if isinstance(collections, Mapping):
        for name, meta in collections.items():
            if name != "posts" and isinstance(meta, Mapping) and meta.get("output") is True:
                names.append(str(name))
    elif collections is not None and not isinstance(collections, list):
        raise ExcerptorError("collections must be a mapping or a list", where)
    # A list of names means output: false (Jekyll's default): nothing more to rewrite.
    return tuple(_site_folder(base, f"_{name}", where) for name in names)


def _hugo_post_dirs(config: Mapping[str, Any], root: Path, where: str) -> tuple[Path, ...]:
    content = config.get("contentDir") or config.get("contentdir") or "content"
    if not isinstance(content, str):
        raise ExcerptorError("contentDir must be a folder name", where)
    return (_site_folder(root, content, where),)


def _load_file(path: Path) -> dict[str, Any]:
    """A config file (YAML, TOML or JSON) as a mapping; ExcerptorError naming it."""
    where = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ExcerptorError(exc.strerror or str(exc), where) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ExcerptorError("not UTF-8", where) from None
    suffix = path.suffix.lower()
    if suffix == ".toml":
        if sys.version_info >= (3, 11):
            import tomllib
        else:  # pragma: no cover
            import tomli as tomllib
        try:
            config = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ExcerptorError(f"not valid TOML ({exc})", where) from None
    elif suffix == ".json":
        try:
            config = json.loads(text)
        except ValueError as exc:
            raise ExcerptorError(f"not valid JSON ({exc})", where) from None
    else:
        import yaml

        try:
            config = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            at = f" (line {mark.line + 1})" if mark is not None else ""
            raise ExcerptorError(f"not valid YAML{at}", where) from None
    if config is None:
        config = {}
    if not isinstance(config, dict):
        raise ExcerptorError("is not a mapping of settings", where)
    return config


def _hugo_dir_config(folder: Path) -> dict[str, Any]:
    """Hugo's ``config/_default/``: ``hugo.*``/``config.*`` at the top, ``params.*`` as params."""
    config: dict[str, Any] = {}
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in (".toml", ".yaml", ".yml", ".json"):
            continue
        part = _load_file(path)
        if path.stem == "params":
            config.setdefault("params", {}).update(part)
        elif path.stem in ("hugo", "config"):
            config.update(part)
        else:
            config[path.stem] = part
    return config


def site_of(
    root: str | os.PathLike[str],
    config: Mapping[str, Any] | None = None,
    kind: str | None = None,
) -> Site:
    """The site at ``root``: its config read from disk, or ``config`` as given (the Jekyll
    plugin passes the site's whole config); ExcerptorError (naming the file) when unusable."""
    root = Path(root)
    found = _site_kind(root)
    config_path = found[1] if found else None
    if config is None:
        if found is None:
            raise ExcerptorError("no Jekyll or Hugo config here", str(root))
        config = _hugo_dir_config(config_path) if config_path.is_dir() else _load_file(config_path)
    kind = kind or (found[0] if found else "jekyll")
    where = str(config_path or root)
    config = dict(config)
    if kind == "hugo":
        post_dirs = _hugo_post_dirs(config, root, where)
    else:
        post_dirs = _jekyll_post_dirs(config, root, where)
    site = Site(root, kind, config, config_path, post_dirs)
    options = site.options  # checked now, before any post is read
    cache_dir = None
    if options.get("cache_dir"):
        name = options["cache_dir"]
        if not isinstance(name, str):
            raise ExcerptorError("excerptor.cache_dir must be a folder name", where)
        cache_dir = Path(os.path.expanduser(name))
        if not cache_dir.is_absolute():
            cache_dir = root / cache_dir
        check_cache_dir(cache_dir, post_dirs, where)
    return Site(root, kind, config, config_path, post_dirs, cache_dir)


def load_site(root: str | os.PathLike[str]) -> Site:
    """Read the site at ``root`` (see :func:`site_of`)."""
    return site_of(root)


def site_for(paths: list[str]) -> Site | None:
    """The site the current folder is, or the one holding the first of ``paths``."""
    if _site_kind(Path(".")) is not None:
        return load_site(".")
    root = find_site(paths[0]) if paths else None
    return load_site(root) if root is not None else None
