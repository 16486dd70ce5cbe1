"""Every reference a module makes to one API: its calls, and the references no rule can follow to a call.

Shared by all rules: a call is rewritten or refused site by site; a reference through a star import, ``getattr`` or
the API used as a value is reported as it is, never half-converted. A type annotation is not a use.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

import libcst as cst

from migrate.analysis import Analysis, child_nodes
from migrate.rule import Finding, Note, Refused

VALUE, GETATTR, STAR, UNIMPORTED = "value", "getattr", "star", "unimported"
SHARED_MESSAGES = {
    UNIMPORTED: "the API is reached through a name that no import here binds by name (only a star import can), so "
                "what is called is not known to be it; import it by name (`import torch`, `from torch.optim import "
                "lr_scheduler`, `import mindspore`) so the call can be rewritten",
}
"""What every rule says of the references no rule can follow that are not the rule's own business."""


@dataclass
class References:
    calls: list[cst.Call] = field(default_factory=list)
    indirect: list[tuple[cst.CSTNode, str]] = field(default_factory=list)


def find_references(analysis: Analysis, qualified: set[str], star_sources: set[str]) -> References:
    """The calls of ``qualified`` and its other references, each with its kind (VALUE, GETATTR or STAR)."""
    return _Finder(analysis, qualified, star_sources).found()


def site_findings(references: References, convert: Callable[[cst.Call], Finding], indirect_code: str,
                  indirect_messages: Mapping[str, str]) -> Iterator[Finding]:
    """Each call converted (or its refusal reported), then each indirect reference reported."""
    for call in references.calls:
        try:
            yield convert(call)
        except Refused as refused:
            yield Finding(Note(refused.node or call, refused.code, refused.message))
    for node, kind in references.indirect:
        yield Finding(Note(node, indirect_code, indirect_messages.get(kind) or SHARED_MESSAGES[kind]))


#: The node kinds ``_Finder._visit`` records or does not walk into; it walks into every other node and records nothing.
_RECORDED = (cst.Name, cst.Attribute, cst.Call, cst.ImportFrom, cst.Import, cst.Annotation)


class _Finder:
    """A LibCST visitor's walk, without the visitor: it would rebuild every node of the module."""

    def __init__(self, analysis: Analysis, qualified: set[str], star_sources: set[str]):
        self.analysis, self.qualified, self.star_sources = analysis, qualified, star_sources
        self.names = {name.rsplit(".", 1)[-1] for name in qualified}
        self.references = References()
        self.star = False
        self.other_stars = False
        self._callees: set[cst.CSTNode] = set()

    def found(self) -> References:
        """A name only the star import can bind, called, is a call of the API when the module has no other star
        import (which could bind it too); otherwise it is reported as a star reference.

        The nodes are met in the walk's order, from the module's list of them in that order: only the kinds
        ``_visit`` records, minus those inside what it does not walk into (imports, annotations)."""
        unwalked: set[cst.CSTNode] = set()
        for node in self.analysis.nodes(*_RECORDED):
            if node in unwalked:
                continue
            if not self._visit(node):
                pending = child_nodes(node)
                while pending:
                    inner = pending.pop()
                    unwalked.add(inner)
                    pending.extend(child_nodes(inner))
        if not self.other_stars:
            starred = [node for node, kind in self.references.indirect if kind == STAR]
            calls = [self.analysis.parents[node] for node in starred
                     if isinstance(self.analysis.parents.get(node), cst.Call)
                     and self.analysis.parents[node].func is node]
            called = {call.func for call in calls}
            self.references.calls = sorted([*self.references.calls, *calls], key=self.analysis.start)
            self.references.indirect = [(node, kind) for node, kind in self.references.indirect
                                        if node not in called]
        return self.references

    def _visit(self, node: cst.CSTNode) -> bool:
        """Record what ``node`` is; whether its children are to be walked."""
        kind = type(node)
        if kind is cst.Name or kind is cst.Attribute:
            self._reference(node)
        elif kind is cst.Call:
            self._call(node)
        elif kind is cst.ImportFrom:
            if isinstance(node.names, cst.ImportStar) and node.module is not None and not node.relative:
                source = self.analysis.code(node.module) in self.star_sources
                self.star = self.star or source
                self.other_stars = self.other_stars or not source
            return False
        elif kind is cst.Import or kind is cst.Annotation:
            # an annotation (parameter, return, ``x: T = ...``) names the API without using it
            return False
        return True

    def _call(self, node: cst.Call) -> None:
        names = self.analysis.names_of(node.func)
        if names & self.qualified:
            self.references.calls.append(node)
            self._callees.add(node.func)
        elif "builtins.getattr" in names and len(node.args) >= 2:
            attribute = node.args[1].value
            if isinstance(attribute, cst.SimpleString) and attribute.evaluated_value in self.names:
                self.references.indirect.append((node, GETATTR))

    def _unimported(self, text: str) -> bool:
        """Whether a dotted name no import resolves spells the API or its tail (``torch.optim.lr_scheduler.X``,
        ``optim.lr_scheduler.X``, ``lr_scheduler.X`` after ``from torch.optim import *``)."""
        return any(qualified == text or qualified.endswith("." + text) for qualified in self.qualified)

    def _reference(self, node: cst.BaseExpression) -> None:
        if node in self._callees:
            return
        names = self.analysis.names_of(node)
        if names & self.qualified:
            self.references.indirect.append((node, VALUE))
        elif not names and isinstance(node, cst.Attribute) and self._unimported(self.analysis.code(node)):
            self.references.indirect.append((node, UNIMPORTED))
        elif self.star and isinstance(node, cst.Name) and node.value in self.names and not names:
            parent = self.analysis.parents.get(node)
            if not (isinstance(parent, cst.Attribute) and parent.attr is node):
                self.references.indirect.append((node, STAR))
