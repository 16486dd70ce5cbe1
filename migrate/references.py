"""Every reference a module makes to one API: its calls, and the references no rule can follow to a call.

Shared by all rules: a call is rewritten or refused site by site; a reference through a star import, ``getattr`` or
the API used as a value is reported as it is, never half-converted. A type annotation is not a use.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

import libcst as cst

from migrate.analysis import Analysis
from migrate.rule import Finding, Note, Refused

VALUE, GETATTR, STAR = "value", "getattr", "star"


@dataclass
class References:
    calls: list[cst.Call] = field(default_factory=list)
    indirect: list[tuple[cst.CSTNode, str]] = field(default_factory=list)


def find_references(analysis: Analysis, qualified: set[str], star_sources: set[str]) -> References:
    """The calls of ``qualified`` and its other references, each with its kind (VALUE, GETATTR or STAR)."""
    finder = _Finder(analysis, qualified, star_sources)
    analysis.module.visit(finder)
    return finder.found


def site_findings(references: References, convert: Callable[[cst.Call], Finding], indirect_code: str,
                  indirect_messages: Mapping[str, str]) -> Iterator[Finding]:
    """Each call converted (or its refusal reported), then each indirect reference reported."""
    for call in references.calls:
        try:
            yield convert(call)
        except Refused as refused:
            yield Finding(Note(refused.node or call, refused.code, refused.message))
    for node, kind in references.indirect:
        yield Finding(Note(node, indirect_code, indirect_messages[kind]))


class _Finder(cst.CSTVisitor):
    def __init__(self, analysis: Analysis, qualified: set[str], star_sources: set[str]):
        self.analysis, self.qualified, self.star_sources = analysis, qualified, star_sources
        self.name = next(iter(qualified)).rsplit(".", 1)[-1]
        self.found = References()
        self.star = False
        self._callees: set[cst.CSTNode] = set()

    def visit_Import(self, node: cst.Import) -> bool:
        return False

    def visit_Annotation(self, node: cst.Annotation) -> bool:
        """A type annotation (parameter, return, ``x: T = ...``) names the API without using it."""
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        if isinstance(node.names, cst.ImportStar) and node.module is not None and not node.relative:
            self.star = self.star or self.analysis.code(node.module) in self.star_sources
        return False

    def visit_Call(self, node: cst.Call) -> None:
        names = self.analysis.names_of(node.func)
        if names & self.qualified:
            self.found.calls.append(node)
            self._callees.add(node.func)
        elif "builtins.getattr" in names and len(node.args) >= 2:
            attribute = node.args[1].value
            if isinstance(attribute, cst.SimpleString) and attribute.evaluated_value == self.name:
                self.found.indirect.append((node, GETATTR))

    def visit_Name(self, node: cst.Name) -> None:
        self._reference(node)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self._reference(node)

    def _reference(self, node: cst.BaseExpression) -> None:
        if node in self._callees:
            return
        names = self.analysis.names_of(node)
        if names & self.qualified:
            self.found.indirect.append((node, VALUE))
        elif self.star and isinstance(node, cst.Name) and node.value == self.name and not names:
            parent = self.analysis.parents.get(node)
            if not (isinstance(parent, cst.Attribute) and parent.attr is node):
                self.found.indirect.append((node, STAR))
