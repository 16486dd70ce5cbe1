"""What a rule is and what it hands the engine. A rule knows nothing about files, output or the CLI."""

from __future__ import annotations

import tomllib
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from migrate.diagnostics import SAFE, UNSAFE

if TYPE_CHECKING:
    import libcst as cst

    from migrate.analysis import Analysis
    from migrate.verify import Claim


NO_FIX = "none"
APPLICABILITIES = (SAFE, UNSAFE, NO_FIX)


@dataclass(frozen=True)
class Code:
    """One diagnostic code: ``migrate rules`` and ``migrate explain`` are generated from these fields.

    ``example`` is a whole file that reports the code when converted towards its rule's target (ruff's rule pages,
    Fixit's INVALID); ``applicability`` is the fix of the example's site: ``safe`` (applied by default), ``unsafe``
    (applied with --unsafe-fixes) or ``none``. With a fix, ``fixed`` is the text migrate writes for ``example``;
    without one, what to write by hand so the code is no longer reported (Fixit's VALID), when there is such a
    thing. ``safety`` says why the fix is safe or unsafe, or why there is none.
    """

    code: str
    name: str
    severity: str
    summary: str
    why: str
    example: str = ""
    fixed: str = ""
    applicability: str = NO_FIX
    safety: str = ""


@dataclass(frozen=True)
class Note:
    """A diagnostic a rule attaches to a node; its severity and name come from its code."""

    node: cst.CSTNode
    code: str
    message: str


@dataclass(frozen=True)
class ImportRef:
    """``import module`` when ``name`` is None, else ``from module import name``."""

    module: str
    name: str | None = None


class Refused(Exception):
    """The site cannot be rewritten exactly: it stays as it is, with this diagnostic."""

    def __init__(self, code: str, message: str, node: cst.CSTNode | None = None):
        super().__init__(message)
        self.code, self.message, self.node = code, message, node


class Blocked(Exception):
    """A site's analysis went to its end and found blockers on the way, each noted where ``blocking`` caught it."""


@contextmanager
def blocking(blockers: list[Note], site: cst.CSTNode) -> Iterator[None]:
    """A refusal about one use that the rest of a site's analysis does without: noted in ``blockers`` (at its node,
    else the site's), and the analysis goes on as if that use were not there, so every blocker is reported."""
    try:
        yield
    except Refused as refused:
        blockers.append(Note(refused.node or site, refused.code, refused.message))


def refusal(blockers: Iterable[Note], changes: Iterable[Note], line: Callable[[cst.CSTNode], int]) -> Finding:
    """A refused site's finding: its first blocker, then every other blocker, each once, and the behaviour changes
    checked on their own that no blocker of the same code already reports at their line."""
    kept = list(dict.fromkeys(blockers))
    places = {(note.code, line(note.node)) for note in kept}
    for note in changes:
        if (note.code, line(note.node)) not in places:
            places.add((note.code, line(note.node)))
            kept.append(note)
    return Finding(kept[0], kept[1:])


@dataclass
class Fix:
    """The edits of one site and the claim the verifier checks before any of them is applied.

    ``replacements`` maps an original node to its replacement node; a statement may instead map to a sequence of
    statements (empty: the statement is removed). ``changes`` is the note shown, completed by the verdict, when the
    verifier finds the learning rates of the run change; ``unsafe`` lists what changes whatever the verdict;
    ``once_applied`` what holds only in the rewritten file (the lines left to port), shown when the fix applies.
    """

    replacements: Mapping[cst.CSTNode, object]
    claim: Claim
    changes: Note
    unsafe: Sequence[Note] = ()
    add_imports: tuple[ImportRef, ...] = ()
    once_applied: Sequence[Note] = ()


@dataclass
class Finding:
    """A site: ``note`` is its main diagnostic (it carries the verdict when there is a fix), ``notes`` the rest."""

    note: Note
    notes: Sequence[Note] = ()
    fix: Fix | None = None


@dataclass(frozen=True)
class Example:
    """A rule's own example: ``before`` converts to ``after`` with these codes (Fixit's VALID/INVALID)."""

    before: str
    after: str
    codes: tuple[str, ...] = field(default=())


def documentation(module_file: str) -> tuple[tuple[Code, ...], tuple[Example, ...]]:
    """A rule's codes and examples, read from the TOML file beside its module: documentation is data, kept apart
    from the logic of the rewrite (``[[codes]]`` tables of ``Code`` fields, ``[[examples]]`` of ``Example``'s)."""
    with Path(module_file).with_suffix(".toml").open("rb") as file:
        data = tomllib.load(file)
    codes = tuple(Code(**entry) for entry in data.get("codes", ()))
    examples = tuple(Example(entry["before"], entry["after"], tuple(entry.get("codes", ())))
                     for entry in data.get("examples", ()))
    return codes, examples


class Rule(ABC):
    """Base of every API mapping in ``migrate.rules``: each rule module exposes one instance named ``RULE``."""

    name: str = ""
    target: str = ""
    triggers: tuple[str, ...] = ()
    summary: str = ""
    codes: tuple[Code, ...] = ()
    examples: tuple[Example, ...] = ()

    def applies_to(self, text: str) -> bool:
        """The cheap pre-filter: only files that mention one of the triggers are parsed."""
        return any(trigger in text for trigger in self.triggers)

    @abstractmethod
    def findings(self, analysis: Analysis) -> Iterable[Finding]:
        """Every site of the rule's API in the module, with a fix where the rule can rewrite it."""

    def code(self, code: str) -> Code:
        for entry in self.codes:
            if entry.code == code:
                return entry
        raise KeyError(f"{self.name} has no code {code}")
