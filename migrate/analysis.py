"""Questions rules ask about the code they read, answered from LibCST metadata; nothing here knows an API pair.

A rule gets one ``Analysis`` per module: who a name refers to, where a statement sits, which loops enclose it,
how many times a loop runs, what type an expression has, which new name collides with nothing.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import libcst as cst
from libcst.metadata.base_provider import LazyValue
from libcst.metadata import (
    Assignment,
    MetadataWrapper,
    ParentNodeProvider,
    PositionProvider,
    QualifiedNameProvider,
    ScopeProvider,
)

from migrate import evaluate

LOOPS = (cst.For, cst.While)
SCOPES = (cst.FunctionDef, cst.ClassDef, cst.Lambda, cst.Module)
TRIES = (cst.Try, cst.TryStar)
#: Compound statements whose header bindings hold after them: their body runs whole (or they bind by being defined).
WHOLE = (cst.With, cst.FunctionDef, cst.ClassDef)


@dataclass(frozen=True)
class Bound:
    """A call's arguments bound to a signature: ``values`` by parameter name, or ``error`` saying why not."""

    values: dict[str, cst.BaseExpression]
    error: str | None = None


class Analysis:
    """Metadata of one module, resolved once and shared by every rule."""

    def __init__(self, wrapper: MetadataWrapper, source: str, policies: Mapping[str, str] | None = None):
        self.policies = dict(policies or {})
        self.module = wrapper.module
        tables = wrapper.resolve_many((ParentNodeProvider, PositionProvider, QualifiedNameProvider, ScopeProvider))
        self.parents = _Eager(tables[ParentNodeProvider])
        self.positions = _Eager(tables[PositionProvider])
        self.qualified = _Eager(tables[QualifiedNameProvider])
        self.scopes = _Eager(tables[ScopeProvider])
        self.constants = evaluate.module_constants(source)
        self._names: set[str] | None = None

    @functools.cached_property
    def program(self):
        """The model of the training program (``migrate.program``), built on first use."""
        from migrate.program import Program

        return Program(self)

    def code(self, node: cst.CSTNode) -> str:
        return self.module.code_for_node(node)

    def value(self, text: str):
        """The value of ``text`` from literals and module constants, or None when it depends on anything else."""
        try:
            return evaluate.evaluate(text, self.constants, {})
        except (evaluate.NotEvaluable, KeyError, ArithmeticError, TypeError, ValueError):
            return None

    def first_line(self, node: cst.CSTNode) -> str:
        """The first line of ``node``'s code, to quote it in a message."""
        text = self.code(node).strip()
        return text.splitlines()[0] if text else text

    def names_of(self, node: cst.CSTNode) -> set[str]:
        return {name.name for name in self.qualified.get(node, ())}

    def line(self, node: cst.CSTNode) -> int:
        return self.positions[node].start.line

    def start(self, node: cst.CSTNode) -> tuple[int, int]:
        position = self.positions[node].start
        return (position.line, position.column)

    def end(self, node: cst.CSTNode) -> tuple[int, int]:
        position = self.positions[node].end
        return (position.line, position.column)

    def ancestors(self, node: cst.CSTNode) -> Iterable[cst.CSTNode]:
        while node in self.parents:
            node = self.parents[node]
            yield node

    def statement(self, node: cst.CSTNode) -> cst.CSTNode:
        """The statement (simple line or compound) that contains ``node``."""
        for candidate in (node, *self.ancestors(node)):
            if isinstance(candidate, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
                return candidate
        raise ValueError("node is not inside a statement")

    def enclosing_scope(self, node: cst.CSTNode) -> cst.CSTNode:
        for candidate in self.ancestors(node):
            if isinstance(candidate, SCOPES):
                return candidate
        return self.module

    def loops(self, node: cst.CSTNode) -> list[cst.CSTNode]:
        """The ``for``/``while`` loops around ``node`` within its function, outermost first."""
        found = []
        for candidate in self.ancestors(node):
            if isinstance(candidate, SCOPES):
                break
            if isinstance(candidate, LOOPS):
                found.append(candidate)
        return found[::-1]

    def guards(self, node: cst.CSTNode, stop: cst.CSTNode) -> list[cst.CSTNode]:
        """``if``/``try``/``with``-less control flow between ``node`` and ``stop`` that can skip ``node``."""
        found = []
        for candidate in self.ancestors(node):
            if candidate is stop or isinstance(candidate, SCOPES):
                break
            if isinstance(candidate, (cst.If, cst.Try, cst.TryStar, cst.Match, cst.Else, cst.IfExp, cst.BooleanOperation)):
                found.append(candidate)
        return found

    def single_assignment(self, name: cst.Name) -> Assignment | None:
        """The one plain assignment a name refers to, or None when it has several or is not a variable."""
        scope = self.scopes.get(name)
        if scope is None:
            return None
        assignments = [a for a in scope[name.value] if isinstance(a, Assignment)]
        if len(assignments) != 1 or type(assignments[0]) is not Assignment:
            return None
        return assignments[0]

    def assigned_value(self, assignment: Assignment) -> tuple[cst.SimpleStatementLine, cst.BaseExpression] | None:
        """For ``name = value`` alone on its line, the line and the value."""
        target = assignment.node
        assign_target = self.parents.get(target)
        assign = self.parents.get(assign_target) if assign_target is not None else None
        if not isinstance(assign_target, cst.AssignTarget) or not isinstance(assign, cst.Assign):
            return None
        if len(assign.targets) != 1 or assign_target.target is not target:
            return None
        line = self.parents.get(assign)
        if not isinstance(line, cst.SimpleStatementLine) or len(line.body) != 1:
            return None
        return line, assign.value

    def unbound_name(self, expression: cst.CSTNode, place: cst.CSTNode, evaluated_at: cst.CSTNode) -> str | None:
        """Why ``expression``, evaluated where ``place`` starts, may not have the value it had at ``evaluated_at``.

        Every local name it reads must be bound on every path to ``place`` and not bound again between ``place``
        and ``evaluated_at``; parameters and module-level, enclosing or builtin bindings always hold. None when
        nothing is wrong; else a sentence naming the name and the line.
        """
        scope = self.scopes.get(place)
        low, high = sorted((self.start(place), self.start(evaluated_at)))
        for name in read_names(expression):
            used_in = self.scopes.get(name)
            if used_in is None:
                continue
            local = [assignment for assignment in used_in[name.value]
                     if isinstance(assignment, Assignment) and assignment.scope is scope]
            if not local or any(isinstance(assignment.node, cst.Param) for assignment in local):
                continue
            nodes = sorted((assignment.node for assignment in local if assignment.node in self.positions),
                           key=self.start)
            if not any(self.runs_before(node, place) for node in nodes):
                where = f" (it is bound at line {self.line(nodes[0])})" if nodes else ""
                return f"`{name.value}` is not bound on every path before line {self.line(place)}{where}"
            changed = [node for node in nodes if low <= self.start(node) < high]
            if changed:
                return f"`{name.value}` is bound again at line {self.line(changed[0])}"
        return None

    def runs_before(self, binding: cst.CSTNode, place: cst.CSTNode) -> bool:
        """Whether the statement holding ``binding`` has run, on every path, when ``place`` starts.

        A ``for`` target (or an ``except ... as`` name) holds only inside its own body; a ``with`` body runs
        whole, so what it binds holds after it. Exceptions are not paths here.
        """
        around = set(self.ancestors(place))
        statement = self.statement(binding)
        if isinstance(statement, cst.BaseCompoundStatement) and not isinstance(statement, WHOLE):
            return statement.body in around
        while True:
            block = self.parents.get(statement)
            if block in around:
                return self.end(statement) <= self.start(place)
            owner = self.parents.get(block)
            if not isinstance(owner, cst.With):
                return False
            statement = owner

    def loop_exits(self, loop: cst.CSTNode, within: cst.CSTNode | None = None) -> list[cst.CSTNode]:
        """The ``break`` and ``continue`` of ``loop`` itself, and each ``raise`` in it that a ``try`` inside
        ``within`` (default: the loop) can catch: each can end an iteration or the loop part-way, in source order.

        ``return``, and a ``raise`` nothing around it catches, end the whole run instead, which keeps every step
        that did run as it was.
        """
        finder = _Exits()
        loop.body.visit(finder)
        found = list(finder.found)
        for node in finder.raises:
            boundary = within or loop
            for ancestor in self.ancestors(node):
                if isinstance(ancestor, TRIES):
                    found.append(node)
                    break
                if ancestor is boundary:
                    break
        return sorted(found, key=self.start)

    def fresh_name(self, base: str) -> str:
        """``base``, or ``base_2``, ``base_3``…: the first that no name anywhere in the module uses."""
        if self._names is None:
            self._names = {node.value for node in names_in(self.module)}
        candidate, index = base, 1
        while candidate in self._names:
            index += 1
            candidate = f"{base}_{index}"
        self._names.add(candidate)
        return candidate

    def iteration_count(self, loop: cst.CSTNode) -> tuple[str | None, str | None]:
        """How many times ``loop`` runs, as source text, and the assumption that takes; (None, why) if unknown."""
        if not isinstance(loop, cst.For):
            return None, "a while loop has no static length"
        iterable = loop.iter
        if isinstance(iterable, cst.Call) and self.names_of(iterable.func) & {"builtins.range"}:
            arguments = iterable.args
            if any(argument.star or argument.keyword for argument in arguments):
                return None, "range() with unpacked arguments"
            if len(arguments) == 1:
                return self.code(arguments[0].value), None
            if len(arguments) == 2:
                start, stop = (self.code(argument.value) for argument in arguments)
                return (stop if start == "0" else difference(stop, start)), None
            return None, "range() with a step"
        if isinstance(iterable, cst.Call) and self.names_of(iterable.func) & {"builtins.enumerate"}:
            if iterable.args and not iterable.args[0].star and not iterable.args[0].keyword:
                iterable = iterable.args[0].value
        if isinstance(iterable, (cst.Name, cst.Attribute)):
            text = self.code(iterable)
            return f"len({text})", f"one pass over {text} is len({text}) iterations"
        return None, f"cannot tell how many times `for ... in {self.code(loop.iter)}` runs"

    def static_type(self, expression: cst.BaseExpression) -> type | None:
        """``int`` or ``float`` when the expression's type is certain without running anything, else None."""
        if isinstance(expression, cst.Integer):
            return int
        if isinstance(expression, cst.Float):
            return float
        if isinstance(expression, cst.UnaryOperation) and isinstance(expression.operator, (cst.Minus, cst.Plus)):
            return self.static_type(expression.expression)
        if isinstance(expression, cst.Name) and expression.value in self.constants:
            value = self.constants[expression.value]
            return type(value) if type(value) in (int, float) else None
        if isinstance(expression, cst.Call):
            names = self.names_of(expression.func)
            if names & {"builtins.len", "builtins.int"}:
                return int
            if names & {"builtins.float"}:
                return float
        if isinstance(expression, cst.BinaryOperation):
            left, right = self.static_type(expression.left), self.static_type(expression.right)
            if isinstance(expression.operator, cst.Divide):
                return float if left and right else None
            if left is None or right is None:
                return None
            if isinstance(expression.operator, (cst.Add, cst.Subtract, cst.Multiply, cst.FloorDivide)):
                return float if float in (left, right) else int
        return None


class _Eager(Mapping):
    """A resolved metadata table whose lazily computed values are computed on access."""

    def __init__(self, table):
        self._table = table

    def __getitem__(self, node):
        value = self._table[node]
        return value() if isinstance(value, LazyValue) else value

    def __iter__(self):
        return iter(self._table)

    def __len__(self):
        return len(self._table)


def bind(call: cst.Call, positional: Sequence[str], keyword_only: Sequence[str] = ()) -> Bound:
    """Bind ``call``'s arguments to a signature the way Python would, refusing ``*args`` and ``**kwargs``."""
    values: dict[str, cst.BaseExpression] = {}
    for index, argument in enumerate(call.args):
        if argument.star:
            return Bound(values, f"`{argument.star}` unpacking hides the arguments")
        if argument.keyword is None:
            if index >= len(positional):
                return Bound(values, f"takes at most {len(positional)} positional arguments")
            name = positional[index]
        else:
            name = argument.keyword.value
            if name not in positional and name not in keyword_only:
                return Bound(values, f"unexpected keyword argument {name!r}")
        if name in values:
            return Bound(values, f"{name!r} given twice")
        values[name] = argument.value
    return Bound(values)


def product(*factors: str) -> str:
    """Source text for the product of ``factors``, folding integer literals and parenthesising where needed."""
    literal, rest = 1, []
    factors = [factor for factor in factors if factor != "1"]
    if len(factors) == 1:
        return factors[0]
    for factor in factors:
        if factor.isdigit():
            literal *= int(factor)
        else:
            rest.append(atom(factor))
    if literal != 1 or not rest:
        rest.insert(0, str(literal))
    return " * ".join(rest)


def plus_one(text: str) -> str:
    return str(int(text) + 1) if text.isdigit() else f"{atom(text)} + 1"


def difference(stop: str, start: str) -> str:
    """``stop - start``, folding literals and ``range(start, start + n)``'s ``n``."""
    if stop.isdigit() and start.isdigit():
        return str(int(stop) - int(start))
    expression = cst.parse_expression(stop)
    if (isinstance(expression, cst.BinaryOperation) and isinstance(expression.operator, cst.Add)
            and not expression.lpar and _code(expression.left) == start.strip()):
        return _code(expression.right)
    return f"{atom(stop)} - {atom(start)}"


def _code(node: cst.CSTNode) -> str:
    return cst.Module(body=[]).code_for_node(node).strip()


def atom(text: str) -> str:
    """``text`` as an operand: parenthesised unless it is a name, call, subscript or number."""
    expression = cst.parse_expression(text)
    atomic = (cst.Name, cst.Attribute, cst.Call, cst.Subscript, cst.Integer, cst.Float)
    if isinstance(expression, atomic) or expression.lpar:
        return text
    return f"({text})"


def names_in(node: cst.CSTNode) -> list[cst.Name]:
    """The names ``node`` reads or binds, not counting attribute names after a dot."""
    collector = _NameCollector()
    node.visit(collector)
    return collector.names


def read_names(node: cst.CSTNode) -> list[cst.Name]:
    """The names ``node`` reads: not attribute names after a dot, nor the keywords of call arguments."""
    collector = _NameCollector(skip_keywords=True)
    node.visit(collector)
    return collector.names


class _Exits(cst.CSTVisitor):
    """``break``/``continue`` of the loop whose body is visited, and every ``raise`` in it."""

    def __init__(self):
        self.found: list[cst.CSTNode] = []
        self.raises: list[cst.CSTNode] = []

    def visit_Break(self, node: cst.Break) -> None:
        self.found.append(node)

    def visit_Continue(self, node: cst.Continue) -> None:
        self.found.append(node)

    def visit_Raise(self, node: cst.Raise) -> None:
        self.raises.append(node)

    def visit_For(self, node: cst.For) -> bool:
        node.iter.visit(self)
        if node.orelse is not None:
            node.orelse.visit(self)
        self._raises_in(node.body)
        return False

    def visit_While(self, node: cst.While) -> bool:
        if node.orelse is not None:
            node.orelse.visit(self)
        self._raises_in(node.body)
        return False

    def _raises_in(self, body: cst.CSTNode) -> None:
        inner = _Exits()
        body.visit(inner)
        self.raises.extend(inner.raises)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False


class _NameCollector(cst.CSTVisitor):
    def __init__(self, skip_keywords: bool = False):
        self.names: list[cst.Name] = []
        self.skip_keywords = skip_keywords

    def visit_Arg(self, node: cst.Arg) -> bool:
        if not self.skip_keywords:
            return True
        node.value.visit(self)
        return False

    def visit_Name(self, node: cst.Name) -> None:
        self.names.append(node)

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        node.value.visit(self)
        return False
