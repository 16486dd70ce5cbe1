"""``[tool.migrate]`` in pyproject.toml, and the in-file markers: ``# noqa`` and ``# migrate: skip-file``."""

from __future__ import annotations

import difflib
import io
import os
import re
import tokenize
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from fnmatch import fnmatchcase
from pathlib import Path

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
    of the pyproject.toml, else the working directory), the way .gitignore does: ``*`` and ``?`` stay within one
    path component, ``**`` spans any number of them; a pattern containing a ``/`` (other than a trailing one) is
    anchored at ``root``, one without matches at any depth; a pattern matching a folder matches everything under
    it; a trailing ``/`` matches folders only. A path outside ``root`` matches nothing. ``!`` negation is not
    supported.
    """

    to: str = "mindspore"
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    per_file_ignores: Mapping[str, tuple[str, ...]] = field(default_factory=dict, hash=False)
    unsafe_fixes: bool = False
    verifier_samples: int = 256
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
        parts = self._relative_parts(path)
        return parts is not None and any(_matches(pattern, parts, path) for pattern in self.exclude)

    def enabled(self, code: str, path: Path) -> bool:
        if self.select and not code.startswith(self.select):
            return False
        if code.startswith(self.ignore):
            return False
        parts = self._relative_parts(path)
        if parts is None:
            return True
        return not any(
            code.startswith(prefixes) and _matches(pattern, parts, path)
            for pattern, prefixes in self.per_file_ignores.items()
        )

    def _relative_parts(self, path: Path) -> tuple[str, ...] | None:
        root = Path(self.root) if self.root is not None else Path.cwd()
        for candidate in (Path(os.path.abspath(path)), Path(path).resolve()):
            for base in (Path(os.path.abspath(root)), root.resolve()):
                if candidate.is_relative_to(base):
                    return candidate.relative_to(base).parts
        return None


def _matches(pattern: str, parts: tuple[str, ...], path: Path) -> bool:
    """Whether the gitignore-style ``pattern`` matches the relative path ``parts`` or one of its folders."""
    folders_only = pattern.endswith("/")
    body = pattern.strip("/")
    if body.startswith("./"):
        body = body[2:]
    segments = body.split("/")
    if "/" not in body and not pattern.startswith("/"):
        segments = ["**", *segments]
    if folders_only and not Path(path).is_dir():
        parts = parts[:-1]
    return _matches_prefix(segments, parts)


def _matches_prefix(segments: list[str], parts: tuple[str, ...]) -> bool:
    if not segments:
        return True
    head, rest = segments[0], segments[1:]
    if head == "**":
        return any(_matches_prefix(rest, parts[start:]) for start in range(len(parts) + 1))
    return bool(parts) and fnmatchcase(parts[0], head) and _matches_prefix(rest, parts[1:])


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
    return prefixes


def _patterns(where: str, value: object) -> tuple[str, ...]:
    patterns = _strings(where, value)
    for pattern in patterns:
        if not pattern.strip("/"):
            raise ConfigError(f"{where}: empty pattern")
        if pattern.startswith("!"):
            raise ConfigError(f"{where}: negated pattern {pattern!r} is not supported")
    return patterns


def _per_file_ignores(where: str, value: object) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where} must be a table of pattern = [codes], not {_kind(value)}")
    _patterns(where, list(value))
    return {pattern: _code_prefixes(f"{where} {pattern!r}", codes) for pattern, codes in value.items()}


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
                frozenset(code.upper() for code in _NOQA_CODE.findall(codes)) if codes else None
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
