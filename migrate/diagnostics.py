"""The Diagnostic type: one finding, its fix edits and its verdict, and the concise line every format starts from."""

from __future__ import annotations

from dataclasses import dataclass

SAFE = "safe"
UNSAFE = "unsafe"


@dataclass(frozen=True)
class TextEdit:
    """Replace the text between two 1-based positions (end exclusive) by ``content``; ruff's edit shape."""

    line: int
    col: int
    end_line: int
    end_col: int
    content: str


@dataclass(frozen=True)
class FixEdits:
    """The edits of one rewrite. ``applied`` says whether this run wrote (or would write) them."""

    applicability: str
    message: str
    edits: tuple[TextEdit, ...]
    applied: bool


@dataclass(frozen=True)
class Diagnostic:
    """One finding at a place in a file; positions are 1-based, the end is exclusive."""

    path: str
    line: int
    col: int
    code: str
    name: str
    severity: str
    message: str
    end_line: int = 0
    end_col: int = 0
    verdict: str | None = None
    fix: FixEdits | None = None

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.col, self.code, self.message)

    def concise(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.code} [{self.severity}] {self.message}"


def sort_diagnostics(diagnostics) -> list[Diagnostic]:
    return sorted(diagnostics, key=Diagnostic.sort_key)
