"""Which files a run reads: the ``*.py`` files under the given paths, minus what the repository says to leave alone.

As ruff does: ignore files (``.ignore``, ``.gitignore`` in every folder, ``.git/info/exclude``) are respected unless
``respect_gitignore`` is off, with git's semantics (last matching line wins, ``!`` re-includes, a deeper file
overrides a shallower one, ``.ignore`` overrides ``.gitignore``; ``.gitignore`` and ``info/exclude`` count only inside
a git repository); folders named in ``DEFAULT_EXCLUDES`` and the user's ``exclude`` patterns are skipped. Those
rules prune directory walks; a path named explicitly is read whatever they say, unless ``force_exclude`` is on (the
pre-commit hooks pass it, since pre-commit names every staged file). Only regular files are taken from a walk: a
FIFO, socket or device met there is skipped silently; one named explicitly is handed on, and reading it is refused
(MIG001, ``files.read_bytes``).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pathspec

from migrate.files import SourceError

DEFAULT_EXCLUDES = frozenset({
    ".bzr", ".direnv", ".eggs", ".git", ".git-rewrite", ".hg", ".ipynb_checkpoints", ".mypy_cache", ".nox",
    ".pants.d", ".pyenv", ".pytest_cache", ".pytype", ".ruff_cache", ".svn", ".tox", ".venv", ".vscode",
    "__pypackages__", "_build", "buck-out", "build", "dist", "node_modules", "site-packages", "venv",
})
IGNORE_FILES = (".ignore", ".gitignore")  # the first overrides the second, as in ripgrep and ruff
GIT_ONLY_IGNORE_FILES = frozenset({".gitignore"})


@dataclass(frozen=True)
class Discovery:
    """The command line's discovery flags, named as ruff names them."""

    respect_gitignore: bool = True
    force_exclude: bool = False


Layers = tuple[tuple[str, pathspec.GitIgnoreSpec], ...]
"""The ignore files in force in a folder, as (folder they are relative to, patterns), the deciding one first."""


def python_files(
    paths: Iterable[str],
    errors: list[tuple[str, SourceError]],
    discovery: Discovery = Discovery(),
    excluded: Callable[[str], bool] = lambda path: False,
) -> list[str]:
    """Every file to read under ``paths``, sorted, each once; what cannot be read or walked goes to ``errors``.

    ``excluded`` says whether the user's configuration excludes a path (file or folder).
    """
    walker = _Walker(discovery, excluded, errors)
    for path in paths:
        walker.visit_given(path)
    return sorted(walker.found)


class _Walker:
    def __init__(self, discovery: Discovery, excluded: Callable[[str], bool], errors: list):
        self.discovery, self.excluded, self.errors = discovery, excluded, errors
        self.found: dict[str, None] = {}

    def visit_given(self, path: str) -> None:
        if not (os.path.exists(path) or os.path.islink(path)):
            self._error(path, "no such file or directory")
            return
        absolute, is_dir = os.path.abspath(path), os.path.isdir(path)
        root = _repository_root(absolute if is_dir else os.path.dirname(absolute))
        if self.discovery.force_exclude and self._excluded_on_the_way(path, is_dir, root):
            return
        if is_dir:
            self._walk(os.path.normpath(path), self._layers_down_to(absolute, root), frozenset(), root is not None)
        else:
            self.found[os.path.normpath(path)] = None

    def _walk(self, folder: str, layers: Layers, seen: frozenset, in_repository: bool) -> None:
        try:
            real = Path(folder).resolve(strict=True)
        except (OSError, RuntimeError) as exc:
            self._error(folder, f"cannot resolve directory: {_reason(exc)}")
            return
        if real in seen:
            self._error(folder, "symlink loop: directory already visited")
            return
        seen = seen | {real}
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError as exc:
            self._error(folder, f"cannot list directory: {_reason(exc)}")
            return
        for entry in entries:
            if entry.name in DEFAULT_EXCLUDES:
                continue
            try:
                is_dir = entry.is_dir()
            except OSError as exc:
                self._error(entry.path, f"cannot stat: {_reason(exc)}")
                continue
            if not is_dir and not entry.name.endswith(".py"):
                continue
            path = os.path.normpath(entry.path)
            if self.excluded(path) or _ignored(layers, path, is_dir):
                continue
            if is_dir:
                inner = in_repository or os.path.lexists(os.path.join(path, ".git"))
                self._walk(path, self._with_ignore_files(path, layers, inner), seen, inner)
            else:
                self._take_if_regular(path)

    def _take_if_regular(self, path: str) -> None:
        """A walked file is read when it is a regular file (through symlinks); a dangling symlink is an error."""
        try:
            mode = os.stat(path).st_mode
        except OSError as exc:
            self._error(path, f"cannot stat: {_reason(exc)}")
            return
        if stat.S_ISREG(mode):
            self.found[path] = None

    def _layers_down_to(self, folder: str, root: str | None) -> Layers:
        """The ignore files in force in ``folder``: its own, and its parents' up to the repository root."""
        if root is None:
            return self._with_ignore_files(folder, (), False)
        layers = self._info_exclude(root)
        for step in _folders_between(root, folder):
            layers = self._with_ignore_files(step, layers, True)
        return layers

    def _excluded_on_the_way(self, path: str, is_dir: bool, root: str | None) -> bool:
        """Whether a path named on the command line is excluded, itself or through one of its folders.

        Folder names and ignore files count from the repository root down (else from the working directory, when
        the path is inside it), so a project that lives under a folder called ``build`` is not excluded whole.
        """
        absolute = os.path.abspath(path)
        base = root or _working_directory_above(absolute)
        names = Path(os.path.relpath(absolute, base)).parts if base else (os.path.basename(absolute),)
        if DEFAULT_EXCLUDES.intersection(names) or self.excluded(os.path.normpath(path)):
            return True
        if base is None or base == absolute:
            return False
        layers = self._info_exclude(root) if root else ()
        for folder in _folders_between(base, os.path.dirname(absolute)):
            if folder != base and _ignored(layers, folder, True):
                return True
            layers = self._with_ignore_files(folder, layers, root is not None)
        return _ignored(layers, absolute, is_dir)

    def _info_exclude(self, root: str) -> Layers:
        spec = _read_spec(os.path.join(root, ".git", "info", "exclude")) if self.discovery.respect_gitignore else None
        return ((root, spec),) if spec is not None else ()

    def _with_ignore_files(self, folder: str, layers: Layers, in_repository: bool) -> Layers:
        """``layers`` with ``folder``'s own ignore files in front (they override their parents')."""
        if not self.discovery.respect_gitignore:
            return layers
        own = []
        for name in IGNORE_FILES:
            if name in GIT_ONLY_IGNORE_FILES and not in_repository:
                continue
            spec = _read_spec(os.path.join(folder, name))
            if spec is not None:
                own.append((os.path.abspath(folder), spec))
        return (*own, *layers)

    def _error(self, path: str, message: str) -> None:
        self.errors.append((path, SourceError("MIG001", message)))


def _ignored(layers: Layers, path: str, is_dir: bool) -> bool:
    """git's decision for ``path``: the first ignore file (deepest first) with a matching line decides."""
    absolute = os.path.abspath(path)
    for base, spec in layers:
        relative = Path(os.path.relpath(absolute, base)).as_posix()
        decision = spec.check_file(relative + "/" if is_dir else relative).include
        if decision is not None:
            return decision
    return False


def _read_spec(path: str) -> pathspec.GitIgnoreSpec | None:
    """The patterns of one ignore file; a missing or unreadable one has none, as in git."""
    try:
        with open(path, encoding="utf-8", errors="surrogateescape") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return None
    return pathspec.GitIgnoreSpec.from_lines(lines) if lines else None


def _repository_root(folder: str) -> str | None:
    """The nearest folder at or above ``folder`` holding ``.git`` (a folder, or a file in worktrees and submodules)."""
    for candidate in (folder, *map(str, Path(folder).parents)):
        if os.path.lexists(os.path.join(candidate, ".git")):
            return candidate
    return None


def _working_directory_above(absolute: str) -> str | None:
    cwd = os.getcwd()
    return cwd if Path(absolute).is_relative_to(cwd) else None


def _folders_between(top: str, bottom: str) -> list[str]:
    """``top``, then each folder down to ``bottom`` (both absolute, ``bottom`` at or under ``top``)."""
    relative = Path(os.path.relpath(bottom, top)).parts
    folders = [top]
    for part in relative if relative != (".",) else ():
        folders.append(os.path.join(folders[-1], part))
    return folders


def _reason(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
