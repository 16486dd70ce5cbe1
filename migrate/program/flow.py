"""Where the object one call creates goes, and every use of it.

The value is followed through plain assignments to a variable, ``self.<attr>`` attributes of a class, ``return``
(alone or in a tuple the caller unpacks) and arguments of module functions (into their parameters). Each place
that receives the object is a ``Binding``; each other reference is a ``Use`` of a kind. Another value stored in the
same place (``scheduler = None`` first, another scheduler in an ``else`` branch) is a competitor: a rule decides
whether it can live with it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import libcst as cst

if TYPE_CHECKING:
    from migrate.program.model import Program

METHOD, ATTRIBUTE, NONE_TEST, RETURNED, ARGUMENT, STORED, OTHER = (
    "method", "attribute", "none-test", "returned", "argument", "stored", "other")


@dataclass(frozen=True)
class Binding:
    """A place the object is stored: ``target`` (a Name or a ``self.x`` Attribute) in ``statement``."""

    target: cst.BaseExpression
    statement: cst.CSTNode


@dataclass(frozen=True)
class Use:
    """A reference to the object that does not store it elsewhere.

    ``kind`` is METHOD (``detail`` names it, ``call`` is the call), ATTRIBUTE (``detail`` names it), NONE_TEST
    (``x is None``, ``if x:``), ARGUMENT (passed to a call the model cannot follow; ``call`` is that call), STORED
    (put in a container or an attribute of something else), RETURNED (returned where no caller is visible) or OTHER.
    """

    node: cst.BaseExpression
    kind: str
    detail: str = ""
    call: cst.Call | None = None


@dataclass
class Tracked:
    """Everything known about one object: where it is stored, its uses, every expression that holds it
    (``references``, the creation included), and the other values sharing its places."""

    creation: cst.Call
    bindings: list[Binding] = field(default_factory=list)
    uses: list[Use] = field(default_factory=list)
    references: list[cst.BaseExpression] = field(default_factory=list)
    competitors: list[tuple[cst.CSTNode, cst.BaseExpression]] = field(default_factory=list)
    passes: list[tuple[cst.Arg, cst.Name]] = field(default_factory=list)
    """Each argument that hands the object to a helper of the module, with the parameter that receives it."""

    def methods(self, *names: str) -> list[Use]:
        return [use for use in self.uses if use.kind == METHOD and (not names or use.detail in names)]

    def of_kind(self, *kinds: str) -> list[Use]:
        return [use for use in self.uses if use.kind in kinds]


class Follower:
    """Follows one value through the module; ``seen`` keeps it finite on recursive code."""

    def __init__(self, program: "Program", creation: cst.Call):
        self.program = program
        self.analysis = program.analysis
        self.tracked = Tracked(creation)
        self.seen: set[int] = set()

    def run(self) -> Tracked:
        self._flow(self.tracked.creation)
        return self.tracked

    def _flow(self, expression: cst.BaseExpression) -> None:
        if id(expression) in self.seen:
            return
        self.seen.add(id(expression))
        self.tracked.references.append(expression)
        parents = self.analysis.parents
        parent = parents.get(expression)
        if isinstance(parent, cst.AssignTarget):
            return
        if isinstance(parent, cst.Assign) and parent.value is expression and len(parent.targets) == 1:
            self._store(parent.targets[0].target, parents[parent])
        elif isinstance(parent, cst.AnnAssign) and parent.value is expression:
            self._store(parent.target, parents[parent])
        elif isinstance(parent, cst.Return):
            self._returned(expression, parent, index=None)
        elif isinstance(parent, cst.Element) and isinstance(parents.get(parent), cst.Tuple):
            self._element(expression, parent)
        elif isinstance(parent, cst.Arg) and parent.value is expression and not parent.star:
            self._argument(expression, parent)
        elif isinstance(parent, cst.Attribute) and parent.value is expression:
            self._attribute(expression, parent)
        elif _none_test(expression, parent, parents):
            self._use(expression, NONE_TEST)
        elif isinstance(parent, (cst.Element, cst.DictElement, cst.Assign)):
            self._use(expression, STORED)
        else:
            self._use(expression, OTHER)

    def _use(self, node, kind: str, detail: str = "", call: cst.Call | None = None) -> None:
        self.tracked.uses.append(Use(node, kind, detail, call))

    def _store(self, target: cst.BaseExpression, statement: cst.CSTNode) -> None:
        if isinstance(target, cst.Name):
            self.tracked.bindings.append(Binding(target, statement))
            for reference in self.program.variable_references(target):
                self._flow(reference)
            self._competitors(self.program.other_values(target, statement))
        elif isinstance(target, cst.Attribute) and self.program.is_self(target.value):
            self.tracked.bindings.append(Binding(target, statement))
            for reference in self.program.attribute_references(target):
                self._flow(reference)
            self._competitors(self.program.other_attribute_values(target, statement))
        else:
            self._use(target, STORED)

    def _competitors(self, values: Iterator[tuple[cst.CSTNode, cst.BaseExpression]]) -> None:
        known = {id(value) for _, value in self.tracked.competitors}
        for statement, value in values:
            if id(value) not in self.seen and id(value) not in known:
                self.tracked.competitors.append((statement, value))
                known.add(id(value))

    def _returned(self, expression, statement: cst.Return, index: int | None) -> None:
        function = self.program.function_of(statement)
        calls = self.program.call_sites(function) if isinstance(function, cst.FunctionDef) else []
        if not calls:
            self._use(expression, RETURNED)
            return
        for call in calls:
            if index is None:
                self._flow(call)
            else:
                self._unpacked(expression, call, index)

    def _unpacked(self, expression, call: cst.Call, index: int) -> None:
        """``a, b = builder()`` or ``builder()[i]``: the element the object was returned in."""
        parent = self.analysis.parents.get(call)
        if isinstance(parent, cst.Assign) and len(parent.targets) == 1:
            target = parent.targets[0].target
            if isinstance(target, (cst.Tuple, cst.List)) and index < len(target.elements):
                element = target.elements[index]
                if not isinstance(element, cst.StarredElement):
                    self._store(element.value, self.analysis.parents[parent])
                    return
        self._use(expression, RETURNED)

    def _element(self, expression, element: cst.Element) -> None:
        container = self.analysis.parents[element]
        holder = self.analysis.parents.get(container)
        index = list(container.elements).index(element)
        if isinstance(holder, cst.Return) and holder.value is container:
            self._returned(expression, holder, index=index)
        elif (pairs := unpacked_pairs(holder)) is not None and holder.value is container:
            self._store(pairs[index][0], self.analysis.parents[holder])
        else:
            self._use(expression, STORED)

    def _argument(self, expression, argument: cst.Arg) -> None:
        call = self.analysis.parents[argument]
        parameter = self.program.parameter_for(call, argument)
        if parameter is None:
            self._use(expression, ARGUMENT, self.analysis.code(call.func), call)
            return
        self.tracked.passes.append((argument, parameter))
        for reference in self.program.variable_references(parameter):
            self._flow(reference)

    def _attribute(self, expression, attribute: cst.Attribute) -> None:
        call = self.analysis.parents.get(attribute)
        if isinstance(call, cst.Call) and call.func is attribute:
            self._use(expression, METHOD, attribute.attr.value, call)
        else:
            self._use(expression, ATTRIBUTE, attribute.attr.value)


def unpacked_pairs(assign: cst.CSTNode) -> list[tuple[cst.BaseExpression, cst.BaseExpression]] | None:
    """For ``self.a, self.b = a, b``: each target with the value at its place on the right; None for any other
    statement (a starred element, lengths that differ, more than one target)."""
    if not (isinstance(assign, cst.Assign) and len(assign.targets) == 1):
        return None
    target, value = assign.targets[0].target, assign.value
    if (not isinstance(target, (cst.Tuple, cst.List)) or not isinstance(value, (cst.Tuple, cst.List))
            or len(target.elements) != len(value.elements)
            or any(isinstance(item, cst.StarredElement) for item in (*target.elements, *value.elements))):
        return None
    return [(left.value, right.value) for left, right in zip(target.elements, value.elements)]


def _none_test(expression, parent, parents) -> bool:
    if isinstance(parent, cst.Comparison):
        return (parent.left is expression and len(parent.comparisons) == 1
                and isinstance(parent.comparisons[0].operator, (cst.Is, cst.IsNot))
                and isinstance(parent.comparisons[0].comparator, cst.Name)
                and parent.comparisons[0].comparator.value == "None")
    if isinstance(parent, (cst.If, cst.While)) and parent.test is expression:
        return True
    return isinstance(parent, cst.UnaryOperation) and isinstance(parent.operator, cst.Not)
