"""``[tool.migrate]`` in pyproject.toml, and the in-file markers: ``# noqa`` and ``# migrate: skip-file``."""

from __future__ import annotations

import functools
import io
import os
import re
import tokenize
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pathspec

from migrate.bridge.codes import redirected
from migrate.outcome import FAIL_ON, FAIL_ON_REWRITE

TARGETS = ("mindspore", "torch")

_CODE_PREFIX = re.compile(r"[A-Z]+[0-9]*")
_NOQA = re.compile(r"#\s*noqa(?![\w-])(?::\s*(?P<codes>[A-Za-z]+[0-9]+(?:[\s,]+[A-Za-z]+[0-9]+)*))?", re.IGNORECASE)
_NOQA_CODE = re.compile(r"[A-Za-z]+[0-9]+")
_SKIP_FILE = re.compile(r"#\s*migrate:\s*skip-file\s*", re.IGNORECASE)
_SKIP_FILE_LINE = re.compile(r"[ \t\f]*#\s*migrate:\s*skip-file\s*", re.IGNORECASE)


class ConfigError(Exception):
    """A configuration that cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class Config:
    """What to rewrite and report, from ``[tool.migrate]`` and the command line.

    A code is enabled when it starts with one of ``select`` (or ``select`` is empty), with none of ``ignore``, and
    with none of the prefixes of a ``per_file_ignores`` pattern that matches the path. Unlike ruff, ``ignore``
    always wins over ``select``, however specific the selected prefix is.

    ``exclude`` and ``per_file_ignores`` patterns are matched against the path relative to ``root`` (the folder
    of the pyproject.toml, else the working directory) with .gitignore's semantics (``pathspec.GitIgnoreSpec``):
    ``*`` and ``?`` stay within one path component, ``**`` spans any number of them; a pattern containing a ``/``
    (other than a trailing one) is anchored at ``root``, one without matches at any depth; a pattern matching a
    folder matches everything under it; a trailing ``/`` matches folders only; in ``exclude``, a later ``!pattern``
    re-includes what an earlier one excluded (not below an excluded folder, as in git). A path outside ``root``
    matches nothing.

    ``fail_on`` says what makes a run exit 1 besides a pending change (see ``migrate.outcome``): a rewritten file
    (``"rewrite"``) or a warning left in the file (``"warning"``). ``periodic`` is the policy for a run that passes
    a periodic schedule's period (``PERIODIC``): rules read it from the engine's options.
    """

    to: str = "mindspore"
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    per_file_ignores: Mapping[str, tuple[str, ...]] = field(default_factory=dict, hash=False)
    unsafe_fixes: bool = False
    verifier_samples: int = 256
    max_file_size: int | None = None
    fail_on: str = FAIL_ON_REWRITE
    periodic: str = "exact"
    root: Path | None = None

    def __post_init__(self) -> None:
        for name in ("select", "ignore", "exclude"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        frozen = {pattern: tuple(codes) for pattern, codes in self.per_file_ignores.items()}
        object.__setattr__(self, "per_file_ignores", frozen)

    def merged(self, **overrides: object) -> Config:
        """This config with the command line's values on top; ``None`` means the option was not given."""
        return replace(self, **{name: value for name, value in overrides.items() if value is not None})

    def is_excluded(self, path: Path) -> bool:
        return bool(self.exclude) and _matches(self.exclude, self._relative(path), path)

    def enabled(self, code: str, path: Path) -> bool:
        if self.select and not code.startswith(self.select):
            return False
        if code.startswith(self.ignore):
            return False
        relative = self._relative(path)
        return not any(
            code.startswith(prefixes) and _matches((pattern,), relative, path)
            for pattern, prefixes in self.per_file_ignores.items()
        )

    def _relative(self, path: Path) -> str | None:
        """``path`` relative to ``root`` in POSIX form, as written or with symlinks resolved; None when outside."""
        root = Path(self.root) if self.root is not None else Path.cwd()
        for candidate in (Path(os.path.abspath(path)), Path(path).resolve()):
            for base in (Path(os.path.abspath(root)), root.resolve()):
                if candidate.is_relative_to(base) and candidate != base:
                    return candidate.relative_to(base).as_posix()
        return None


def _matches(patterns: tuple[str, ...], relative: str | None, path: Path) -> bool:
    """Whether the gitignore ``patterns`` exclude ``relative`` (``path`` tells a folder, which ``dir/`` needs)."""
    if relative is None:
        return False
    return _spec(patterns).match_file(relative + "/" if Path(path).is_dir() else relative)


@functools.cache
def _spec(patterns: tuple[str, ...]) -> pathspec.GitIgnoreSpec:
    """Exclude patterns, with pathspec imported only when a configuration has some."""
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines(patterns)


def command_line_overrides(**values: object) -> dict[str, object]:
    """The command line's values, checked like the same keys in ``[tool.migrate]``; None means not given."""
    checked = {}
    for name, value in values.items():
        if value is None:
            continue
        validate = _KEYS[name][1]
        checked[name] = validate(f"--{name.replace('_', '-')}", list(value) if isinstance(value, tuple) else value)
    return checked


def find_config(start: Path) -> Path | None:
    """The nearest pyproject.toml with a ``[tool.migrate]`` table in ``start`` (a file or folder) or above it."""
    here = Path(start).resolve()
    if not here.is_dir():
        here = here.parent
    for folder in (here, *here.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file() and _table(candidate, required=False) is not None:
            return candidate
    return None


def load_config(path: Path) -> Config:
    """The ``[tool.migrate]`` table of ``path`` (defaults if it has none), checked key by key."""
    path = Path(path)
    table = _table(path, required=True) or {}
    where = f"{path}: [tool.migrate]"
    values: dict[str, object] = {}
    for key, value in table.items():
        name = key.replace("-", "_")
        if name not in _KEYS:
            raise ConfigError(f"{where} unknown key {key!r}{_suggestion(key)}")
        if name in values:
            raise ConfigError(f"{where} {key!r} is given twice (as {_KEYS[name][0]!r} and {name!r})")
        values[name] = _KEYS[name][1](f"{where} {key!r}", value)
    return Config(**values, root=path.resolve().parent)


def _table(path: Path, *, required: bool) -> dict | None:
    """``[tool.migrate]`` of ``path``, or None. A file that never says ``migrate`` is not parsed when not required."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    if not required and b"migrate" not in data:
        return None
    try:
        document = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from exc
    tool = document.get("tool", {})
    table = tool.get("migrate") if isinstance(tool, dict) else None
    if table is not None and not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.migrate] must be a table, not {_kind(table)}")
    return table


def _target(where: str, value: object) -> str:
    if value not in TARGETS:
        raise ConfigError(f"{where} must be one of {', '.join(map(repr, TARGETS))}, not {value!r}")
    return value


def _code_prefixes(where: str, value: object) -> tuple[str, ...]:
    prefixes = _strings(where, value)
    for prefix in prefixes:
        if not _CODE_PREFIX.fullmatch(prefix):
            raise ConfigError(f"{where}: {prefix!r} is not a code prefix (upper-case letters, then digits: 'MIG1')")
    return tuple(redirected(prefix) for prefix in prefixes)


def _patterns(where: str, value: object) -> tuple[str, ...]:
    patterns = _strings(where, value)
    for pattern in patterns:
        if not pattern.lstrip("!").strip("/"):
            raise ConfigError(f"{where}: empty pattern")
    return patterns


def _per_file_ignores(where: str, value: object) -> dict[str, tuple[str, ...]]:
    """Each pattern stands alone here, so a ``!`` could only mean something unlike gitignore: refused."""
    if not isinstance(value, dict):
        raise ConfigError(f"{where} must be a table of pattern = [codes], not {_kind(value)}")
    for pattern in _patterns(where, list(value)):
        if pattern.startswith("!"):
            raise ConfigError(f"{where}: negated pattern {pattern!r} is not supported in per-file-ignores")
    return {pattern: _code_prefixes(f"{where} {pattern!r}", codes) for pattern, codes in value.items()}


def _fail_on(where: str, value: object) -> str:
    if value not in FAIL_ON:
        raise ConfigError(f"{where} must be one of {', '.join(map(repr, FAIL_ON))}, not {value!r}")
    return value


PERIODIC = ("exact", "clamp", "refuse")


def _periodic(where: str, value: object) -> str:
    if value not in PERIODIC:
        raise ConfigError(f"{where} must be one of {', '.join(map(repr, PERIODIC))}, not {value!r}")
    return value


def _flag(where: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{where} must be true or false, not {_kind(value)}")
    return value


def _samples(where: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(f"{where} must be an integer, not {_kind(value)}")
    if value < 1:
        raise ConfigError(f"{where} must be at least 1, not {value}")
    return value


def _strings(where: str, value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{where} must be a list of strings, not {_kind(value)}")
    return tuple(value)


def _kind(value: object) -> str:
    if isinstance(value, list):
        return "a list containing " + ", ".join(sorted({_kind(item) for item in value})) if value else "an empty list"
    names = {bool: "a boolean", int: "an integer", float: "a float", str: "a string", dict: "a table"}
    return f"{names.get(type(value), type(value).__name__)} ({value!r})"


def _suggestion(key: str) -> str:
    spellings = [spelling for spelling, _ in _KEYS.values()]
    import difflib

    close = difflib.get_close_matches(key, spellings, n=1)
    return f" (did you mean {close[0]!r}?)" if close else f" (known keys: {', '.join(spellings)})"


_KEYS = {
    "to": ("to", _target),
    "select": ("select", _code_prefixes),
    "ignore": ("ignore", _code_prefixes),
    "exclude": ("exclude", _patterns),
    "per_file_ignores": ("per-file-ignores", _per_file_ignores),
    "unsafe_fixes": ("unsafe-fixes", _flag),
    "verifier_samples": ("verifier-samples", _samples),
    "max_file_size": ("max-file-size", _samples),
    "fail_on": ("fail-on", _fail_on),
    "periodic": ("periodic", _periodic),
}


def parse_noqa(text: str) -> dict[int, frozenset[str] | None]:
    """Line → the codes its ``# noqa: A1, B2`` comment suppresses (upper-cased), or None for a bare ``# noqa``.

    Only real comments count (a ``# noqa`` inside a string does not); a file tokenize rejects gives ``{}``. Codes
    are exact, not prefixes, and a comment applies to its own line only.
    """
    suppressed: dict[int, frozenset[str] | None] = {}
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type != tokenize.COMMENT:
                continue
            match = _NOQA.search(token.string)
            if match is None:
                continue
            codes = match.group("codes")
            suppressed[token.start[0]] = (
                frozenset(redirected(code.upper()) for code in _NOQA_CODE.findall(codes)) if codes else None
            )
    except (tokenize.TokenError, SyntaxError):
        return {}
    return suppressed


def skips_file(text: str) -> bool:
    """Whether a ``# migrate: skip-file`` comment stands on a line of its own.

    Tokens decide when the file tokenizes (a marker inside a string does not count); otherwise any line that is
    just the marker does, so a file too broken to parse can still opt out.
    """
    try:
        return any(
            token.type == tokenize.COMMENT
            and not token.line[: token.start[1]].strip()
            and _SKIP_FILE.fullmatch(token.string)
            for token in tokenize.generate_tokens(io.StringIO(text).readline)
        )
    except (tokenize.TokenError, SyntaxError):
        return any(_SKIP_FILE_LINE.fullmatch(line) for line in re.split(r"\r\n|\r|\n", text))
