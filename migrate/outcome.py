"""How a run ends: its exit code, the closing summary line and the ``--statistics`` table.

Exit codes; when several apply the highest wins in the order 2 > 4 > 3 > 1 > 0:

- 0 (``EXIT_CLEAN``): nothing below applies.
- 1 (``EXIT_FAILURE``): a file would change (``--check``, ``--diff``, ``check``: always); a file was rewritten
  (``convert``) and its ``fail-on`` is ``"rewrite"`` (the default) or ``--exit-non-zero-on-fix`` is given; a warning
  remains in a file whose ``fail-on`` is ``"warning"``. ``--exit-zero`` turns this code into 0.
- 2 (``EXIT_USAGE``): a usage or configuration error.
- 3 (``EXIT_UNREADABLE``): a file could not be read, decoded or parsed.
- 4 (``EXIT_WITHHELD``): a rewrite was withheld (the verifier contradicted it, or its output did not parse), or
  the tool failed on a file (an internal error, MIG007).

So a check-only run fails exactly when the rewriting run with the same configuration would, and pre-commit's
habit holds: the rewriting hook fails when it rewrote a file or a file failed, while a site it refused is printed
without failing the commit unless ``fail-on = "warning"``. No heavy import here: ``--help`` stays fast.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from migrate.diagnostics import Diagnostic
    from migrate.engine import FileResult

EXIT_CLEAN = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_UNREADABLE = 3
EXIT_WITHHELD = 4

FAIL_ON_REWRITE = "rewrite"
FAIL_ON_WARNING = "warning"
FAIL_ON = (FAIL_ON_REWRITE, FAIL_ON_WARNING)

WRITE = "write"
"""The one mode that writes files (or, for stdin, prints the rewritten buffer); the others only tell."""


@dataclass(frozen=True)
class ExitPolicy:
    """ruff's two flags over exit code 1; they exclude each other, as in ruff."""

    exit_zero: bool = False
    exit_non_zero_on_fix: bool = False


def exit_code(
    results: Sequence[FileResult], mode: str, fail_on: Callable[[str], str], policy: ExitPolicy = ExitPolicy()
) -> int:
    """The run's exit code; ``fail_on(path)`` is the ``fail-on`` setting in force for a result's path."""
    if any(result.tally.withheld or result.internal_error for result in results):
        return EXIT_WITHHELD
    if any(result.failed for result in results):
        return EXIT_UNREADABLE
    if policy.exit_zero or not any(_fails(result, mode, fail_on, policy) for result in results):
        return EXIT_CLEAN
    return EXIT_FAILURE


def _fails(result: FileResult, mode: str, fail_on: Callable[[str], str], policy: ExitPolicy) -> bool:
    if result.changed and (mode != WRITE or policy.exit_non_zero_on_fix):
        return True
    if not result.changed and not _warnings(result.diagnostics):
        return False
    setting = fail_on(result.path)
    if setting == FAIL_ON_WARNING:
        return bool(_warnings(result.diagnostics))
    return result.changed


def _warnings(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    return [diagnostic for diagnostic in diagnostics if diagnostic.severity == "warning"]


LEFT_TO_PORT = "left-to-port"


def summary(results: Sequence[FileResult], mode: str) -> str:
    """One line in ruff's manner: what happened to the files, then what is left to look at; zero counts omitted.

    ``migrate: 3 files checked, 1 rewritten, 1 failed, 1 rewrite withheld; 2 warnings, 1 unsafe fix not applied
    (--unsafe-fixes applies it).``
    """
    changed = sum(result.changed for result in results)
    failed = sum(result.failed for result in results)
    withheld = sum(result.tally.withheld for result in results)
    unsafe_applied = sum(result.tally.changed for result in results)
    not_applied = sum(result.tally.not_applied for result in results)
    warnings = sum(len(_warnings(result.diagnostics)) for result in results)
    to_port = sum(diagnostic.name == LEFT_TO_PORT for result in results for diagnostic in result.diagnostics)
    files = [_count(len(results), "file") + " checked"]
    if changed:
        files.append(f"{changed} {'rewritten' if mode == WRITE else 'would be rewritten'}")
    if unsafe_applied:
        files.append(f"{_count(unsafe_applied, 'unsafe fix', 'unsafe fixes')} applied")
    if failed:
        files.append(f"{failed} failed")
    if withheld:
        files.append(f"{_count(withheld, 'rewrite')} withheld")
    left = []
    if warnings:
        left.append(_count(warnings, "warning"))
    if to_port:
        lines = _count(to_port, "line")
        left.append(f"{lines} still use{'s' if to_port == 1 else ''} the source framework's API (left to port)")
    if not_applied:
        it = "it" if not_applied == 1 else "them"
        left.append(f"{_count(not_applied, 'unsafe fix', 'unsafe fixes')} not applied (--unsafe-fixes applies {it})")
    if len(files) == 1 and not left:
        return f"migrate: {files[0]}, nothing to change."
    return "migrate: " + ", ".join(files) + ("; " + ", ".join(left) if left else "") + "."


def statistics(diagnostics: Sequence[Diagnostic], output_format: str) -> str:
    """ruff's ``--statistics``: per code, how many times it was reported, most frequent first.

    Text rows are ``count<TAB>code<TAB>[*] name``, ``[*]`` marking a code whose fixes this run applies (or would);
    the ``json`` format gives ``[{"code", "name", "count", "fixable"}]``.
    """
    counts = Counter(diagnostic.code for diagnostic in diagnostics)
    names = {diagnostic.code: diagnostic.name for diagnostic in diagnostics}
    fixable = {diagnostic.code for diagnostic in diagnostics if diagnostic.fix is not None and diagnostic.fix.applied}
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    if output_format == "json":
        import json

        entries = [{"code": code, "name": names[code], "count": count, "fixable": code in fixable}
                   for code, count in rows]
        return json.dumps(entries, indent=2) + "\n"
    if not rows:
        return ""
    count_width = len(str(rows[0][1]))
    code_width = max(len(code) for code in counts)
    return "".join(
        f"{count:>{count_width}}\t{code:<{code_width}}\t{'[*] ' if code in fixable else '    '}{names[code]}\n"
        for code, count in rows
    )


def display_path(path: str) -> str:
    """A path as diagnostics and diff headers show it: relative to the working directory when inside it."""
    relative = os.path.relpath(path)
    shown = path if relative.startswith("..") else relative
    return Path(shown).as_posix()


def _count(number: int, singular: str, plural: str | None = None) -> str:
    return f"{number} {singular if number == 1 else plural or singular + 's'}"
