"""Settings: one set of names, resolved in one place.

    defaults ← the site's config ← command-line options ← the post's own front matter

* :class:`Settings` holds every knob, each with its default; ``Settings.of(**values)`` checks
  names and types (an unknown name is an error naming the closest valid one).
* :func:`resolve` builds the settings of a run from a site's config (a Jekyll ``_config.yml``
  or Hugo config, already read into a mapping) and the command line.
* :func:`for_post` applies a post's own front matter: ``excerptor: false`` skips the post,
  ``excerptor: {excerpt: false}`` leaves one field alone, ``excerptor: {max_chars: 80}`` changes
  a setting for that post, and Jekyll's per-post ``excerpt_separator`` wins over the site's.

Only the standard library is imported, so that building the command line stays fast.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from .errors import ExcerptorError

DEFAULT_ALGORITHM = "lead_centrality"  # chosen on benchmarks/quality.py
MORE = "<!--more-->"  # always an excerpt separator, as in Jekyll and Hugo

#: Values of ``keep_existing``: what to do with a field already set in a post's front matter.
KEEP_GOOD = "good"  # keep an excerpt with no defect excerptor can name; recompute reading_time
KEEP_ALL = "all"  # keep every value already set (fill in only missing or empty fields)
KEEP_NONE = "none"  # recompute both fields
KEEP_CHOICES = (KEEP_GOOD, KEEP_ALL, KEEP_NONE)

#: Front-matter fields that mean something else to Jekyll, Hugo or common themes: excerptor
#: never writes into them.
RESERVED_FIELDS = frozenset(
    """title date layout permalink tags categories category slug url aliases draft published
    author authors lang weight type id excerpt_separator excerptor lastmod publishDate
    expiryDate image images cover menu series keywords toc math comments sitemap redirect_from
    redirect_to""".split()
)

#: Keys of a site's ``excerptor:`` section that belong to a front end, not to :class:`Settings`.
FRONT_END_KEYS = frozenset({"enabled", "command", "collections", "jobs", "cache_dir"})
#: Keys of a post's ``excerptor:`` mapping besides settings: per-field opt-outs.
POST_FIELD_KEYS = ("excerpt", "reading_time")


@dataclass(frozen=True)
class Settings:
    """Every setting of excerptor, with its default. Front ends and the library share them."""

    # the excerpt and the summary
    max_chars: int = 120
    sentences: int = 3
    algorithm: str = DEFAULT_ALGORITHM
    include_headings: bool = False
    skip_fillers: bool = True
    fillers: tuple[str, ...] = ()  # more filler lines, in data/fillers.txt's syntax
    excerpt_separator: str | None = None  # the site's marker; <!--more--> always counts
    # Normalized sentences a site repeats in many posts (defects.boilerplate): never excerpted.
    boilerplate: tuple[str, ...] = ()
    # Batch runs over a site add the sentences its posts repeat to boilerplate
    # (excerptor.boilerplate); a single post or body has nothing to learn from.
    learn_boilerplate: bool = True
    # the reading-time model (excerptor.readtime)
    cjk_chars_per_minute: float = 500.0
    words_per_minute: float = 250.0
    code_lines_per_minute: float = 30.0
    image_seconds: float = 12.0
    image_seconds_step: float = 1.0
    image_seconds_floor: float = 3.0
    # the front matter
    excerpt_field: str = "excerpt"  # "" leaves excerpts alone
    reading_time_field: str = "reading_time"  # "" leaves reading times alone
    keep_existing: str = KEEP_GOOD
    dedupe: bool = False  # also remove end markers and repeated blocks from the body

    @classmethod
    def of(cls, base: Settings | None = None, /, **values: Any) -> Settings:
        """``base`` (default: the defaults) with ``values``, checked; ExcerptorError names the
        first bad one."""
        values = {k: v for k, v in values.items() if v is not None or k == "excerpt_separator"}
        for name in values:
            if name not in _FIELDS:
                raise ExcerptorError(unknown(name, _FIELDS, "setting"))
        checked = {name: _check(name, value) for name, value in values.items()}
        result = replace(base or cls(), **checked)
        result._check_together()
        return result

    def _check_together(self) -> None:
        if not self.excerpt_field and not self.reading_time_field:
            raise ExcerptorError(
                "excerpt_field and reading_time_field are both empty: nothing to do"
            )
        if self.excerpt_field and self.excerpt_field == self.reading_time_field:
            raise ExcerptorError("excerpt_field and reading_time_field must differ")
        from .health import check_fillers  # compiles the re: fillers once, here

        check_fillers(self.fillers)

    @property
    def separators(self) -> tuple[str, ...]:
        """The excerpt markers to look for, the site's (or post's) first."""
        sep = self.excerpt_separator
        return (sep, MORE) if sep and sep.strip() and sep != MORE else (MORE,)

    def to_dict(self) -> dict[str, Any]:
        """JSON-able values (for cache keys and reports)."""
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        return {k: list(v) if isinstance(v, tuple) else v for k, v in out.items()}


_FIELDS: dict[str, Any] = {f.name: f for f in fields(Settings)}
_INTS = ("max_chars", "sentences")
_FLOATS = tuple(n for n, f in _FIELDS.items() if f.type == "float")
_BOOLS = ("include_headings", "skip_fillers", "dedupe", "learn_boilerplate")
_FIELD_NAMES = ("excerpt_field", "reading_time_field")
#: Settings of a whole site or run that a post's own front matter may not change.
_SITE_ONLY = (*_FIELD_NAMES, "learn_boilerplate")


def unknown(name: str, valid: Any, what: str) -> str:
    """ "unknown setting 'maxchars' (did you mean 'max_chars'?)"."""
    close = difflib.get_close_matches(str(name), list(valid), n=1, cutoff=0.6)
    hint = f" (did you mean {close[0]!r}?)" if close else f"; valid: {', '.join(sorted(valid))}"
    return f"unknown {what} {name!r}{hint}"


def _check(name: str, value: Any) -> Any:
    """``value`` for ``name``, converted (lists to tuples, ints to floats); ExcerptorError."""
    if name in _INTS:
        if type(value) is not int or value < 1:
            raise ExcerptorError(f"{name} must be a whole number ≥ 1, not {value!r}")
        return value
    if name in _FLOATS:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
            raise ExcerptorError(f"{name} must be a positive number, not {value!r}")
        if name == "image_seconds_step" and value < 0:
            raise ExcerptorError(f"{name} must not be negative")
        return float(value)
    if name in _BOOLS:
        if not isinstance(value, bool):
            raise ExcerptorError(f"{name} must be true or false, not {value!r}")
        return value
    if name == "algorithm":
        from .summarizers import ALGORITHMS

        if value not in ALGORITHMS:
            raise ExcerptorError(
                f"unknown algorithm {value!r}; choose one of {', '.join(ALGORITHMS)}"
            )
        return value
    if name == "boilerplate":
        if not isinstance(value, (list, tuple, set, frozenset)) or not all(
            isinstance(v, str) for v in value
        ):
            raise ExcerptorError("boilerplate must be a list of strings")
        return tuple(sorted(set(value)))
    if name == "fillers":
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) and v for v in value):
            raise ExcerptorError("fillers must be a list of non-empty strings")
        return tuple(value)
    if name == "excerpt_separator":
        if value is not None and not isinstance(value, str):
            raise ExcerptorError("excerpt_separator must be a string")
        return value if value not in ("", "\n\n") else None  # "\n\n": Jekyll's first paragraph
    if name in _FIELD_NAMES:
        if value is False or value is None:
            return ""
        if not isinstance(value, str):
            raise ExcerptorError(f'{name} must be a field name, or "" to leave it alone')
        if value in RESERVED_FIELDS:
            raise ExcerptorError(
                f"{name} {value!r} is a field the site uses for something else; refusing"
            )
        return value
    if name == "keep_existing":
        if isinstance(value, bool):
            value = KEEP_ALL if value else KEEP_NONE
        if value not in KEEP_CHOICES:
            raise ExcerptorError(
                f"keep_existing must be one of {', '.join(KEEP_CHOICES)} (or true / false), "
                f"not {value!r}"
            )
        return value
    raise AssertionError(name)  # pragma: no cover - every field is handled above


def section(config: Mapping[str, Any] | None, where: str | None = None) -> dict[str, Any]:
    """The ``excerptor:`` section of a site config (Jekyll's top level, Hugo's ``params``),
    its keys checked; front-end keys (``command``, ``jobs`` …) are kept, to be read by them."""
    if not config:
        return {}
    raw = config.get("excerptor")
    params = config.get("params")
    if raw is None and isinstance(params, Mapping):
        raw = params.get("excerptor")
    if raw is None or raw is True:
        return {}
    if raw is False:
        return {"enabled": False}
    if not isinstance(raw, Mapping):
        raise ExcerptorError("`excerptor:` must be a mapping of settings", where)
    out = dict(raw)
    for key in out:
        if key not in _FIELDS and key not in FRONT_END_KEYS:
            raise ExcerptorError(
                "excerptor: " + unknown(key, [*_FIELDS, *FRONT_END_KEYS], "setting"), where
            )
    return out


def resolve(
    config: Mapping[str, Any] | None = None,
    options: Mapping[str, Any] | None = None,
    *,
    where: str | None = None,
    learned: Iterable[str] = (),
) -> Settings:
    """Settings of a run: defaults ← ``config`` (a site's whole config) ← ``options`` (the
    command line; None values are "not given"). ExcerptorError names ``where`` for the site's.

    ``learned``: the boilerplate learned from the site's posts
    (:func:`excerptor.boilerplate.learn_site`), added to ``boilerplate`` unless
    ``learn_boilerplate`` is off."""
    site = {k: v for k, v in section(config, where).items() if k in _FIELDS}
    separator = (config or {}).get("excerpt_separator")
    if separator is not None and "excerpt_separator" not in site:
        site["excerpt_separator"] = separator
    try:
        result = Settings.of(**site)
    except ExcerptorError as exc:
        raise ExcerptorError(f"excerptor: {exc.message}", where) from None
    given = {k: v for k, v in (options or {}).items() if v is not None}
    if "fillers" in given and result.fillers:
        given["fillers"] = (*result.fillers, *_check("fillers", given["fillers"]))
    result = Settings.of(result, **given)
    learned = tuple(learned)
    if learned and result.learn_boilerplate:
        result = Settings.of(result, boilerplate=(*result.boilerplate, *learned))
    return result


@dataclass(frozen=True)
class PostSettings:
    """The settings of one post, and which of its fields excerptor may write."""

    settings: Settings
    fields: tuple[str, ...]  # field names to compute, in order (excerpt first)
    skip: str = ""  # why the whole post is left alone ("" when it is not)


def for_post(settings: Settings, metadata: Mapping[str, Any]) -> PostSettings:
    """Apply a post's front matter (``excerptor:``, ``excerpt_separator``) to ``settings``."""
    own = metadata.get("excerptor")
    if own is False:
        return PostSettings(settings, (), "excerptor: false")
    enabled = {"excerpt": True, "reading_time": True}
    values: dict[str, Any] = {}
    if isinstance(own, Mapping):
        for key, value in own.items():
            if key in POST_FIELD_KEYS:
                if not isinstance(value, bool):
                    raise ExcerptorError(f"excerptor.{key} must be true or false")
                enabled[key] = value
            elif key in _FIELDS and key not in _SITE_ONLY:
                values[key] = value
            else:
                valid = [*POST_FIELD_KEYS, *(k for k in _FIELDS if k not in _SITE_ONLY)]
                raise ExcerptorError("excerptor: " + unknown(key, valid, "setting"))
    elif own is not None and own is not True:
        raise ExcerptorError("`excerptor:` in the front matter must be false or a mapping")
    separator = metadata.get("excerpt_separator")
    if isinstance(separator, str) and "excerpt_separator" not in values:
        values["excerpt_separator"] = separator
    if values:
        settings = Settings.of(settings, **values)
    names = [
        name
        for name, on in (
            (settings.excerpt_field, enabled["excerpt"]),
            (settings.reading_time_field, enabled["reading_time"]),
        )
        if name and on
    ]
    if not names:
        return PostSettings(settings, (), "excerptor: both fields turned off")
    return PostSettings(settings, tuple(names))
