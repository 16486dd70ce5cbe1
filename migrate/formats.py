"""Output formats: one function per ``--output-format`` value, each turning sorted diagnostics into text.

Every renderer takes the same three arguments (the diagnostics in the order they are to be shown, every known code's
docs, and the original text of each file by path) and returns the whole output; a new format is one more function
and one more entry in ``_RENDERERS``. Positions are the diagnostics' own: 1-based lines and columns counted in
Unicode code points, ends exclusive.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from urllib.parse import quote

import click

from migrate import __version__
from migrate.diagnostics import UNSAFE, Diagnostic, TextEdit
from migrate.rule import Code

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SARIF_LEVELS = {"error": "error", "warning": "warning", "info": "note"}
GITHUB_COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}
SEVERITY_COLORS = {"error": "red", "warning": "yellow", "info": "cyan"}
COLORED_FORMATS = ("concise", "full")
UNSAFE_NOTE = "This is an unsafe fix and may change runtime behavior"
CONTEXT_LINES = 1
MAX_RANGE_LINES = 6
TAB = "    "

_NEWLINE = re.compile(r"\r\n|\r|\n")


#: The formats that show each fix's edits.
EDIT_FORMATS = ("json", "sarif")


def render(
    fmt: str,
    diagnostics: Sequence[Diagnostic],
    *,
    codes: Mapping[str, Code],
    sources: Mapping[str, str],
    color: bool = False,
) -> str:
    """The whole output of ``diagnostics`` in format ``fmt`` (one of ``FORMATS``), order kept.

    ``color`` styles the headlines of the human formats (``COLORED_FORMATS``); the machine formats never are.
    """
    try:
        renderer = _RENDERERS[fmt]
    except KeyError:
        raise ValueError(f"unknown output format {fmt!r} (expected one of: {', '.join(FORMATS)})") from None
    if color and fmt in COLORED_FORMATS:
        return renderer(diagnostics, codes, sources, color=True)
    return renderer(diagnostics, codes, sources)


def use_color(stream) -> bool:
    """Colour on a terminal. ``NO_COLOR`` (set and not empty) turns it off, else ``FORCE_COLOR`` turns it on anywhere.

    The conventions of no-color.org and force-color.org; NO_COLOR wins, as the user's refusal.
    """
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _concise(
    diagnostics: Sequence[Diagnostic], codes: Mapping[str, Code], sources: Mapping[str, str], color: bool = False
) -> str:
    return "".join(f"{_headline(diagnostic, color)}\n" for diagnostic in diagnostics)


def _full(
    diagnostics: Sequence[Diagnostic], codes: Mapping[str, Code], sources: Mapping[str, str], color: bool = False
) -> str:
    """ruff's ``full``: the concise line, the source with the range underlined, then the fix and the verdict."""
    lines_of = _line_cache(sources)
    blocks = []
    for diagnostic in diagnostics:
        lines = [_headline(diagnostic, color)]
        lines += _snippet(diagnostic, lines_of(diagnostic.path))
        if diagnostic.fix is not None:
            lines.append(f"help: {diagnostic.fix.message}")
            if diagnostic.fix.applicability == UNSAFE:
                state = "applied" if diagnostic.fix.applied else "not applied"
                lines.append(f"note: {UNSAFE_NOTE} ({state})")
        if diagnostic.verdict:
            lines.append(f"verdict: {diagnostic.verdict}")
        blocks.append("".join(f"{line}\n" for line in lines))
    return "\n".join(blocks)


def _headline(diagnostic: Diagnostic, color: bool = False) -> str:
    """The concise line, kept to one line so that editors' problem matchers and grep see one line per finding.

    In colour, the path is bold and the code and severity take the severity's colour; without the styles the
    text is the same, character for character.
    """
    one_line = replace(diagnostic, message=" ".join(_NEWLINE.split(diagnostic.message)))
    if not color:
        return one_line.concise()
    tint = SEVERITY_COLORS.get(one_line.severity)
    return (
        f"{click.style(one_line.path, bold=True)}:{one_line.line}:{one_line.col}: "
        f"{click.style(one_line.code, fg=tint, bold=True)} {click.style(f'[{one_line.severity}]', fg=tint)} "
        f"{one_line.message}"
    )


def _line_cache(sources: Mapping[str, str]) -> Callable[[str], list[str] | None]:
    """A function giving a file's lines (Python's line breaks only), splitting each file once."""
    cache: dict[str, list[str] | None] = {}

    def lines_of(path: str) -> list[str] | None:
        if path not in cache:
            text = sources.get(path)
            cache[path] = None if text is None else _NEWLINE.split(text)
        return cache[path]

    return lines_of


def _snippet(diagnostic: Diagnostic, source: list[str] | None) -> list[str]:
    """The lines around the diagnostic with a gutter of line numbers and ``^`` under its range."""
    if source and source[-1] == "":
        source = source[:-1]
    if not source or not 1 <= diagnostic.line <= len(source):
        return []
    end_line, end_col = _end(diagnostic)
    if (end_line, end_col) < (diagnostic.line, diagnostic.col):
        end_line, end_col = diagnostic.line, diagnostic.col
    if end_line > len(source):
        end_line, end_col = len(source), len(source[-1]) + 1
    if end_line > diagnostic.line and end_col <= 1:
        end_line, end_col = end_line - 1, len(source[end_line - 2]) + 1
    shown = list(range(max(1, diagnostic.line - CONTEXT_LINES), diagnostic.line))
    in_range = list(range(diagnostic.line, end_line + 1))
    if len(in_range) > MAX_RANGE_LINES:
        half = MAX_RANGE_LINES // 2
        in_range = in_range[:half] + [0] + in_range[-half:]
    shown += in_range + list(range(end_line + 1, min(len(source), end_line + CONTEXT_LINES) + 1))
    gutter = len(str(max(shown)))
    out = [f"{'':{gutter}} |"]
    for number in shown:
        if number == 0:
            out.append(f"{'':{gutter}} | ...")
            continue
        line = source[number - 1]
        out.append(f"{number:>{gutter}} | {line.replace(chr(9), TAB)}".rstrip())
        if diagnostic.line <= number <= end_line:
            start = diagnostic.col if number == diagnostic.line else len(line) - len(line.lstrip()) + 1
            stop = end_col if number == end_line else len(line) + 1
            lead = _width(line[: start - 1])
            out.append(f"{'':{gutter}} | {' ' * lead}{'^' * max(1, _width(line[start - 1 : stop - 1]))}")
    out.append(f"{'':{gutter}} |")
    return out


def _width(text: str) -> int:
    """Terminal columns ``text`` takes: tabs as ``TAB``, wide characters 2, combining marks 0."""
    import unicodedata

    width = 0
    for char in text:
        if char == "\t":
            width += len(TAB)
        elif not unicodedata.combining(char):
            width += 2 if unicodedata.east_asian_width(char) in "WF" else 1
    return width


def _json(diagnostics: Sequence[Diagnostic], codes: Mapping[str, Code], sources: Mapping[str, str]) -> str:
    """ruff's JSON array, plus ``verdict`` and ``fix.applied``."""
    return json.dumps([_json_entry(diagnostic) for diagnostic in diagnostics], indent=2, ensure_ascii=False) + "\n"


def _json_entry(diagnostic: Diagnostic) -> dict:
    end_line, end_col = _end(diagnostic)
    fix = diagnostic.fix
    return {
        "code": diagnostic.code,
        "name": diagnostic.name,
        "message": diagnostic.message,
        "severity": diagnostic.severity,
        "filename": diagnostic.path,
        "location": {"row": diagnostic.line, "column": diagnostic.col},
        "end_location": {"row": end_line, "column": end_col},
        "noqa_row": diagnostic.line,
        "url": None,
        "cell": None,
        "fix": None
        if fix is None
        else {
            "applicability": fix.applicability,
            "message": fix.message,
            "applied": fix.applied,
            "edits": [
                {
                    "content": edit.content,
                    "location": {"row": edit.line, "column": edit.col},
                    "end_location": {"row": edit.end_line, "column": edit.end_col},
                }
                for edit in fix.edits
            ],
        },
        "verdict": diagnostic.verdict,
    }


def _sarif(diagnostics: Sequence[Diagnostic], codes: Mapping[str, Code], sources: Mapping[str, str]) -> str:
    """A SARIF 2.1.0 log for GitHub code scanning: every known code is a rule, whether or not it was reported."""
    rules = {code: codes[code] for code in sorted(codes)}
    for diagnostic in diagnostics:
        rules.setdefault(
            diagnostic.code,
            Code(diagnostic.code, diagnostic.name, diagnostic.severity, diagnostic.name, diagnostic.name),
        )
    index = {code: position for position, code in enumerate(rules)}
    lines_of = _line_cache(sources)
    occurrences: dict[tuple[str, str], int] = {}
    results = []
    for diagnostic in diagnostics:
        result = {
            "ruleId": diagnostic.code,
            "ruleIndex": index[diagnostic.code],
            "level": SARIF_LEVELS[diagnostic.severity],
            "message": {"text": diagnostic.message},
            "locations": [{"physicalLocation": _physical_location(diagnostic)}],
            "partialFingerprints": {
                "primaryLocationLineHash": _line_hash(diagnostic, lines_of(diagnostic.path), occurrences)
            },
        }
        if diagnostic.fix is not None and diagnostic.fix.edits:
            result["fixes"] = [_sarif_fix(diagnostic)]
        if diagnostic.verdict is not None:
            result["properties"] = {"verdict": diagnostic.verdict}
        results.append(result)
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "migrate",
                        "version": __version__,
                        "rules": [_sarif_rule(code) for code in rules.values()],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def _sarif_rule(code: Code) -> dict:
    help_text = "\n\n".join(part for part in (code.summary, code.why, code.example) if part)
    return {
        "id": code.code,
        "name": code.name,
        "shortDescription": {"text": code.summary or code.name},
        "fullDescription": {"text": code.why or code.summary or code.name},
        "help": {"text": help_text or code.name},
        "defaultConfiguration": {"level": SARIF_LEVELS[code.severity]},
    }


def _physical_location(diagnostic: Diagnostic) -> dict:
    location: dict = {"artifactLocation": _artifact_location(diagnostic.path)}
    if diagnostic.line >= 1:
        end_line, end_col = _end(diagnostic)
        location["region"] = _region(diagnostic.line, diagnostic.col, end_line, end_col)
    return location


def _sarif_fix(diagnostic: Diagnostic) -> dict:
    fix = diagnostic.fix
    return {
        "description": {"text": fix.message},
        "artifactChanges": [
            {
                "artifactLocation": _artifact_location(diagnostic.path),
                "replacements": [_replacement(edit) for edit in fix.edits],
            }
        ],
        "properties": {"applicability": fix.applicability, "applied": fix.applied},
    }


def _replacement(edit: TextEdit) -> dict:
    return {
        "deletedRegion": _region(edit.line, edit.col, edit.end_line, edit.end_col),
        "insertedContent": {"text": edit.content},
    }


def _region(line: int, col: int, end_line: int, end_col: int) -> dict:
    return {"startLine": line, "startColumn": max(col, 1), "endLine": end_line, "endColumn": max(end_col, 1)}


def _artifact_location(path: str) -> dict:
    """A relative path becomes a relative URI under ``%SRCROOT%``; an absolute one a ``file://`` URI."""
    posix = path.replace("\\", "/")
    if posix.startswith("/"):
        return {"uri": "file://" + quote(posix)}
    return {"uri": quote(posix), "uriBaseId": "%SRCROOT%"}


def _line_hash(diagnostic: Diagnostic, source: list[str] | None, occurrences: dict[tuple[str, str], int]) -> str:
    """``<hash of code and line text without whitespace>:<n>``, n telling identical lines of a file apart.

    The hash survives moving the line and re-indenting it, which is what lets code scanning follow a finding.
    """
    import hashlib

    source = source or []
    line = "".join(source[diagnostic.line - 1].split()) if 1 <= diagnostic.line <= len(source) else ""
    digest = hashlib.sha256(f"{diagnostic.code}\0{line}".encode()).hexdigest()[:16]
    key = (diagnostic.path, digest)
    occurrences[key] = occurrences.get(key, 0) + 1
    return f"{digest}:{occurrences[key]}"


def _github(diagnostics: Sequence[Diagnostic], codes: Mapping[str, Code], sources: Mapping[str, str]) -> str:
    """GitHub Actions workflow commands, one annotation per diagnostic."""
    out = []
    for diagnostic in diagnostics:
        properties = [("title", f"migrate ({diagnostic.code})"), ("file", diagnostic.path)]
        if diagnostic.line >= 1:
            end_line, end_col = _end(diagnostic)
            properties += [("line", diagnostic.line), ("col", diagnostic.col)]
            properties += [("endLine", end_line), ("endColumn", end_col)]
        fields = ",".join(f"{key}={_escape_property(str(value))}" for key, value in properties)
        out.append(f"::{GITHUB_COMMANDS[diagnostic.severity]} {fields}::{_escape_data(diagnostic.message)}\n")
    return "".join(out)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _end(diagnostic: Diagnostic) -> tuple[int, int]:
    """The diagnostic's end, or its start when it has none."""
    if diagnostic.end_line:
        return diagnostic.end_line, diagnostic.end_col
    return diagnostic.line, diagnostic.col


_RENDERERS: dict[str, Callable[[Sequence[Diagnostic], Mapping[str, Code], Mapping[str, str]], str]] = {
    "concise": _concise,
    "full": _full,
    "json": _json,
    "sarif": _sarif,
    "github": _github,
}
FORMATS = tuple(_RENDERERS)
