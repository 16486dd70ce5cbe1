"""Questions rules ask about the code they read, answered from LibCST metadata; nothing here knows an API pair.

A rule gets one ``Analysis`` per module: who a name refers to, where a statement sits, which loops enclose it,
how many times a loop runs, what type an expression has, which new name collides with nothing.
"""

from __future__ import annotations

import ast
import bisect
import builtins
import dataclasses
import functools
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

import libcst as cst
from libcst.helpers import get_full_name_for_node
from libcst.metadata.base_provider import LazyValue
from libcst.metadata import (
    Assignment,
    CodeRange,
    ExpressionContext,
    ExpressionContextProvider,
    MetadataWrapper,
    ScopeProvider,
)
from libcst.metadata.position_provider import PositionProvidingCodegenState
from libcst.metadata.scope_provider import _ASSIGNMENT_LIKE_NODES, ScopeVisitor, _gen_dotted_names

from migrate import evaluate

LOOPS = (cst.For, cst.While)
PASS_THROUGH = frozenset({"builtins.enumerate", "builtins.iter", "tqdm.tqdm", "tqdm.auto.tqdm", "tqdm.notebook.tqdm",
                          "tqdm.std.tqdm", "tqdm.rich.tqdm"})
"""Wrappers whose iteration yields their first argument's items, one each (``enumerate``, ``iter``, tqdm's progress
bars)."""
TRANGE = frozenset({"tqdm.trange", "tqdm.auto.trange", "tqdm.notebook.trange", "tqdm.std.trange"})
"""tqdm's ``trange(n, desc=...)``: a progress bar over ``range(n)``, counted as that range."""
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

    def __init__(self, wrapper: MetadataWrapper, source: str, policies: Mapping[str, str] | None = None,
                 tree: ast.Module | None = None, hidden_names: Sequence[str] = ()):
        """The tables LibCST's metadata providers give, at a fraction of their cost: each provider is a visitor
        pass that rebuilds every node, several times slower than a plain walk over the nodes' fields. Parents and
        expression contexts come from such walks, the scope analysis is LibCST's own visitor run once, qualified
        names are asked of the scopes when a rule asks, and positions are printed per top-level statement, for
        the statements holding the nodes asked about.

        ``source`` is the file's text and ``tree`` its ``ast`` (parsed here when not given); the module may have
        been parsed from that text with closed functions stubbed (``migrate.stubs``), and every statement's code
        is then cut from ``source``, so the stubs are never printed, and ``hidden_names`` are the names the stubs
        hide, which a fresh name avoids too."""
        self.policies = dict(policies or {})
        self.module = wrapper.module
        self._order, self.parents, self._names_read = _walk(self.module)
        self._names_read.extend(hidden_names)
        self.scopes = _Eager(_scopes(self.module, source))
        self.qualified = _QualifiedNames(self.module, self.parents, self.scopes)
        tree = tree or ast_tree(source)
        self.positions = _Positions(self.module, self.parents, _statement_code(self.module, source, tree))
        self.constants = evaluate.module_constants(source, tree) if tree is not None else {}
        self._names: set[str] | None = None
        self._resized: dict[cst.CSTNode, cst.CSTNode | None] = {}
        """Per loop, what changes the size of what it iterates (``_resized_during``), asked once."""

    @property
    def statement_code(self) -> Mapping[cst.CSTNode, str]:
        """The printed code of each top-level statement of the module, computed once."""
        return self.positions.code_of

    @functools.cached_property
    def program(self):
        """The model of the training program (``migrate.program``), built on first use."""
        from migrate.program import Program

        return Program(self)

    def nodes(self, *kinds: type) -> list[cst.CSTNode]:
        """The module's nodes of the given types, in the order a LibCST visitor meets them: what a whole-module
        visitor collecting them finds, without that pass (it rebuilds every node, several times this cost)."""
        wanted = {kind for kind in self._node_types if issubclass(kind, kinds)}
        return [node for node in self._order if type(node) in wanted]

    @functools.cached_property
    def _node_types(self) -> set[type]:
        """The types of the module's nodes: ``nodes`` tests each type, not each node, against abstract bases."""
        return {type(node) for node in self._order}

    def code(self, node: cst.CSTNode) -> str:
        return self.module.code_for_node(node)

    def value(self, text: str):
        """The value of ``text`` from literals and module constants, or None when it depends on anything else."""
        try:
            return evaluate.evaluate(text, self.constants, {})
        except (evaluate.NotEvaluable, KeyError, ArithmeticError, TypeError, ValueError):
            return None

    def first_line(self, node: cst.CSTNode) -> str:
        """The first line of ``node``'s code, to quote it in a message: not a comment or blank line before it."""
        lines = [line.strip() for line in self.code(node).splitlines()]
        return next((line for line in lines if line and not line.startswith("#")), "")

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

    def chain_top(self, line: cst.CSTNode) -> cst.If | None:
        """The outermost ``if`` of the ``if``/``elif``/``else`` chain whose branch holds ``line`` directly."""
        block = self.parents.get(line)
        owner = self.parents.get(block)
        if isinstance(owner, cst.Else):
            owner = self.parents.get(owner)
        if not isinstance(owner, cst.If):
            return None
        while isinstance(parent := self.parents.get(owner), cst.If) and parent.orelse is owner:
            owner = parent
        return owner

    def enclosing_scope(self, node: cst.CSTNode) -> cst.CSTNode:
        for candidate in self.ancestors(node):
            if isinstance(candidate, SCOPES):
                return candidate
        return self.module

    def loops(self, node: cst.CSTNode) -> list[cst.CSTNode]:
        """The ``for``/``while`` loops around ``node`` within its function, outermost first; a phase loop that
        runs ``node`` in its first phase only (``phase_selections``) runs it once, so it is not one of them."""
        selected = self.phase_selections(node)
        found = []
        for candidate in self.ancestors(node):
            if isinstance(candidate, SCOPES):
                break
            if isinstance(candidate, LOOPS) and candidate not in selected:
                found.append(candidate)
        return found[::-1]

    def guards(self, node: cst.CSTNode, stop: cst.CSTNode) -> list[cst.CSTNode]:
        """``if``/``try``/``with``-less control flow between ``node`` and ``stop`` that can skip ``node``; the
        ``if phase == "train":`` of a phase selection does not skip it, it picks the iteration that runs it."""
        selecting = set(self.phase_selections(node).values())
        found = []
        for candidate in self.ancestors(node):
            if candidate is stop or isinstance(candidate, SCOPES):
                break
            if candidate in selecting:
                continue
            if isinstance(candidate, (cst.If, cst.Try, cst.TryStar, cst.Match, cst.Else, cst.IfExp, cst.BooleanOperation)):
                found.append(candidate)
        return found

    def phase_selections(self, node: cst.CSTNode) -> dict[cst.For, cst.If]:
        """The phase loops around ``node`` that run it in their first phase only, each with the ``if`` that picks
        it: ``for phase in ["train", "val"]:`` over distinct literals, ``node`` in the body of ``if phase ==
        "train":`` (the first literal) inside it, ``phase`` bound by nothing else and the loop never left early.
        Such a node runs once per pass of the loops outside, before anything of the later phases, so its place in
        the source is its place in the run (a node picked by a later phase is not taken: it runs after code
        written below it)."""
        selections: dict[cst.For, cst.If] = {}
        child = node
        for ancestor in self.ancestors(node):
            if isinstance(ancestor, SCOPES):
                break
            if isinstance(ancestor, cst.If) and child is ancestor.body:
                loop = self._first_phase_loop(ancestor)
                if loop is not None:
                    selections.setdefault(loop, ancestor)
            child = ancestor
        return selections

    def _first_phase_loop(self, selecting: cst.If) -> cst.For | None:
        """The phase loop whose first phase ``if phase == FIRST:`` picks, when it is one (``phase_selections``)."""
        test = selecting.test
        if not (isinstance(test, cst.Comparison) and len(test.comparisons) == 1
                and isinstance(test.comparisons[0].operator, cst.Equal)):
            return None
        sides = (test.left, test.comparisons[0].comparator)
        names = [side for side in sides if isinstance(side, cst.Name)]
        constants = [_literal_key(side) for side in sides if not isinstance(side, cst.Name)]
        if len(names) != 1 or len(constants) != 1 or constants[0] is None:
            return None
        loop = self.phase_loop(names[0])
        return loop if loop is not None and _literal_key(loop.iter.elements[0].value) == constants[0] else None

    def phase_loop(self, name: cst.Name) -> cst.For | None:
        """The loop binding ``name`` when it is a phase loop: the nearest ``for name in [...]`` around it, over a
        list or tuple of distinct string or int literals, ``name`` bound by nothing in its body, never left early."""
        loop = next((ancestor for ancestor in self.ancestors(name) if isinstance(ancestor, (*SCOPES, cst.For))
                     and (not isinstance(ancestor, cst.For) or isinstance(ancestor.target, cst.Name)
                          and ancestor.target.value == name.value)), None)
        if not isinstance(loop, cst.For) or not isinstance(loop.iter, (cst.List, cst.Tuple)) or not loop.iter.elements:
            return None
        phases = [_literal_key(element.value) for element in loop.iter.elements]
        scope = self.scopes.get(name)
        if None in phases or len(set(phases)) != len(phases) or scope is None:
            return None
        if len(scope[name.value]) != 1:
            return None
        return None if self.loop_exits(loop) else loop

    def phase_refusal(self, guards: list[cst.CSTNode]) -> str:
        """Why an ``if phase == "val":`` among ``guards`` is not a phase selection, as the end of a refusal: empty
        when none of them tests a loop variable against a literal."""
        for guard in guards:
            test = getattr(guard, "test", None)
            if not (isinstance(test, cst.Comparison) and len(test.comparisons) == 1
                    and isinstance(test.comparisons[0].operator, cst.Equal)):
                continue
            name = next((side for side in (test.left, test.comparisons[0].comparator) if isinstance(side, cst.Name)),
                        None)
            loop = next((ancestor for ancestor in self.ancestors(guard) if isinstance(ancestor, cst.For)
                         and isinstance(ancestor.target, cst.Name) and name is not None
                         and ancestor.target.value == name.value), None)
            if loop is not None:
                return (f" (`if {self.code(test)}:` picks a phase of the loop at line {self.line(loop)}; a step is "
                        "followed there only in the first phase of a loop over distinct literals that is never left "
                        f"early and binds `{name.value}` alone)")
        return ""

    def bindings(self, scope, name: str) -> list:
        """The assignments of ``name`` that ``scope`` sees, in source order (a scope keeps them in a set, whose
        order changes from run to run); those without a node in the module last."""
        def place(assignment) -> tuple[int, int]:
            node = getattr(assignment, "node", None)
            return self.start(node) if node is not None and node in self.positions else (1 << 30, 0)

        return sorted(scope[name], key=place) if scope is not None else []

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

    def unbound_name(self, expression: cst.CSTNode, place: cst.CSTNode, evaluated_at: cst.CSTNode,
                     only: set[str] | None = None) -> str | None:
        """Why ``expression``, evaluated where ``place`` starts, may not have the value it had at ``evaluated_at``.

        Every local name it reads must be bound on every path to ``place`` and not bound again between ``place``
        and ``evaluated_at``; parameters and module-level, enclosing or builtin bindings always hold. An attribute
        or item it reads (``args.lr``, ``cfg["lr"]``) must not be assigned between them, nor its object handed to a
        call that may change it (``setattr(args, ...)``, ``update(cfg)``, ``cfg.update(...)``). ``only`` limits the
        check to what is read through these names. None when nothing is wrong; else a sentence naming the name and
        the line.
        """
        scope = self.scopes.get(place)
        low, high = sorted((self.start(place), self.start(evaluated_at)))
        for name in read_names(expression):
            if only is not None and name.value not in only:
                continue
            used_in = self.scopes.get(name)
            if used_in is None:
                continue
            local = [assignment for assignment in used_in[name.value]
                     if isinstance(assignment, Assignment) and assignment.scope is scope]
            if not local or any(isinstance(assignment.node, cst.Param) for assignment in local):
                continue
            nodes = sorted((assignment.node for assignment in local if assignment.node in self.positions),
                           key=self.start)
            if not any(self.runs_before(node, place) for node in nodes) and not self._every_branch_binds(nodes, place):
                where = f" (it is bound at line {self.line(nodes[0])})" if nodes else ""
                return f"`{name.value}` is not bound on every path before line {self.line(place)}{where}"
            elsewhere = [node for node in nodes if self.enclosing_scope(node) is not self.enclosing_scope(place)]
            if elsewhere:
                function = self.enclosing_scope(elsewhere[0])
                called = f"{function.name.value}()" if isinstance(function, cst.FunctionDef) else "another scope"
                return (f"`{name.value}` is also assigned in {called} (line {self.line(elsewhere[0])}), which may run "
                        "in between")
            changed = [node for node in nodes if low <= self.start(node) < high]
            if changed:
                return f"`{name.value}` is bound again at line {self.line(changed[0])}"
        return self.attribute_changed(expression, low, high, only)

    def attribute_changed(self, expression: cst.CSTNode, low: tuple[int, int], high: tuple[int, int],
                          only: set[str] | None = None) -> str | None:
        """Why an attribute or item ``expression`` reads (on a name in ``only``, when given) may change between
        positions ``low`` and ``high``: an assignment to it, or its object handed to a call that may change it."""
        for attribute in _attributes_read(expression):
            text, root = _written_text(self.code(attribute)), _root_name(attribute)
            if only is not None and root not in only:
                continue
            chains = self._computed_from(_Chain.of(attribute, self.code))
            computed = f" (the property `{self.code(attribute)}` reads it)" if len(chains) > 1 else ""
            changing = next(filter(None, map(self._changing_getter, chains)), None)
            if changing is not None:
                return (f"`{self.code(attribute)}` is a property whose body changes state (line "
                        f"{self.line(changing)}): each read changes what it gives")
            if text.startswith("self."):
                changed = [node for chain in chains for node in self._writes_changing(chain)
                           if low <= self.start(node) < high and self._holds(self.enclosing_scope(node), low, high)]
                if changed:
                    return f"`{self.code(changed[0])}` is assigned at line {self.line(changed[0])}{computed}"
                continue
            for spelled, holder in [(spelled, holder + (computed if chain is not chains[0] else ""))
                                    for chain in chains for spelled, holder in self._spellings(chain)]:
                changed = [node for node in self._writes_changing(spelled) if low <= self.start(node) < high]
                if changed:
                    return f"`{self.code(changed[0])}` is assigned at line {self.line(changed[0])}{holder}"
                key = spelled.key
                handed = [node for node, keys in self._handed_objects.get(spelled.root, ())
                          if low <= self.start(node) < high and (keys is None or key in keys)]
                if handed and isinstance(handed[0], cst.Call):
                    return (f"`{spelled.root}` is handed to `{self.first_line(handed[0])}` at line "
                            f"{self.line(handed[0])}, which may change `{self.code(attribute)}`")
                if handed:
                    return (f"`{self.code(handed[0])}` is assigned at line {self.line(handed[0])}, which changes "
                            f"`{self.code(attribute)}`")
                called = self._changed_by_call(spelled, low, high) or self._changed_indirectly(spelled, low, high)
                if called is not None:
                    call, write = called
                    return (f"`{self.first_line(call)}` at line {self.line(call)} runs "
                            f"`{self.first_line(self.statement(write))}` (line {self.line(write)}), which changes "
                            f"`{self.code(attribute)}`")
        return None

    def _changed_by_call(self, chain: _Chain, low: tuple[int, int], high: tuple[int, int]
                         ) -> tuple[cst.Call, cst.CSTNode] | None:
        """A call between the positions that runs a write changing what ``chain`` reads, with that write: a
        function of the module (or a class's ``__init__``) that writes it as a module name (``def scale():
        cfg["lr"] *= 2``), or a method called on the chain's object that writes it through ``self`` or ``cls``
        (``cfg.scale_lr()`` or ``trainer.cfg.scale_lr()`` doing ``self.lr *= 2``), following the calls they make to
        the module's functions and to ``self``'s methods."""
        for call in self._calls_of_own_functions:
            pending = self._callees(_method_named(call.func), chain, chain)
            seen: set[tuple[cst.CSTNode, str]] = set()
            while pending:
                function, written = pending.pop()
                if (function, written.text) in seen:
                    continue
                seen.add((function, written.text))
                write = self._write_in(function, written)
                if write is not None:
                    if low <= self.start(call) < high:
                        return call, write
                    break
                for inner in self._calls_in(function):
                    pending += self._callees(_method_named(inner.func), chain, written)
        return None

    def _callees(self, func: cst.BaseExpression, chain: _Chain, through_self: _Chain
                 ) -> list[tuple[cst.FunctionDef, _Chain]]:
        """What calling ``func`` may run, each with how it would write ``chain``: a module function or an
        ``__init__`` as the module's name; a method as ``self`` + the rest of the chain when it is called on the
        chain's object (its root, an object on its way, or an attribute named as its root: ``self.cfg`` for
        ``cfg``), on ``self`` (``through_self``, the caller's), else as the module's name."""
        if isinstance(func, cst.Name):
            found = [(function, chain) for function in self._functions.get(func.value, ())]
            found += [(self._initializers[func.value], chain)] if func.value in self._initializers else []
            called = self.program.instance_of_own_class(func)
            written = _Chain("self", chain.parts) if func.value == chain.root else chain
            return found + [(method, written) for method in self._methods.get("__call__", ())
                            if called is not None and self.enclosing_scope(method) is called]
        if not isinstance(func, cst.Attribute):
            return []
        receiver = func.value
        written = chain
        if isinstance(receiver, cst.Name) and receiver.value == "self":
            written = through_self
        elif isinstance(receiver, cst.Attribute) and receiver.attr.value == chain.root:
            written = _Chain("self", chain.parts)
        elif isinstance(receiver, (cst.Name, cst.Attribute, cst.Subscript)):
            held = _written_text(self.code(receiver))
            prefixes = chain.prefixes()
            if held in prefixes:
                written = _Chain("self", chain.parts[len(chain.parts) - prefixes.index(held):])
        return [(method, written) for method in self._receivers_methods(func)]

    def _changed_indirectly(self, chain: _Chain, low: tuple[int, int], high: tuple[int, int]
                            ) -> tuple[cst.Call, cst.CSTNode] | None:
        """A call between the positions of something held in a variable (``f(...)``, ``hooks[0](...)``,
        ``partial(...)()``), when the module takes a function, method or lambda that writes what ``chain`` reads
        as a value (``f = cfg.scale``, ``partial(cfg.scale, 2)``, ``hooks = [lambda: cfg.update(...)]``): that
        call may run it."""
        writes = self._writers_taken_as_values(chain)
        if not writes:
            return None
        for call in self._calls_of_held_callables:
            if low <= self.start(call) < high:
                return call, writes[0]
        return None

    def _writers_taken_as_values(self, chain: _Chain) -> list[cst.CSTNode]:
        """The writes to ``chain`` in the functions, methods and lambdas the module uses as values, not calls."""
        writes = []
        for node in self._callables_taken:
            if isinstance(node, cst.Lambda):
                write = self._write_in(node, chain)
                writes += [write] if write is not None else []
                continue
            for function, written in self._callees(node, chain, chain):
                write = self._write_in(function, written)
                writes += [write] if write is not None else []
        return sorted(writes, key=self.start)

    @functools.cached_property
    def _callables_taken(self) -> list[cst.CSTNode]:
        """Lambdas, and names or attributes naming a function or method of the module, read other than as the
        function of a call or a ``def``'s name."""
        taken = []
        for node in self.nodes(cst.Lambda, cst.Name, cst.Attribute):
            parent = self.parents.get(node)
            if isinstance(node, cst.Lambda):
                taken.append(node)
                continue
            name = node.attr.value if isinstance(node, cst.Attribute) else node.value
            if (isinstance(parent, cst.Call) and parent.func is node
                    or isinstance(parent, (cst.FunctionDef, cst.ClassDef)) and parent.name is node
                    or isinstance(parent, cst.Attribute) and parent.attr is node):
                continue
            if name in self._methods and isinstance(node, cst.Attribute) or name in self._functions:
                taken.append(node)
        return taken

    @functools.cached_property
    def _calls_of_held_callables(self) -> list[cst.Call]:
        """Calls of what a variable or parameter holds, of an item, or of a call's result."""
        held = []
        for call in self.nodes(cst.Call):
            func = call.func
            if isinstance(func, (cst.Call, cst.Subscript)):
                held.append(call)
            elif isinstance(func, cst.Name) and func.value not in self._functions and func.value not in self._initializers:
                scope = self.scopes.get(func)
                assignments = scope[func.value] if scope is not None else ()
                if any(not isinstance(getattr(assignment, "node", None), (cst.Import, cst.ImportFrom, cst.FunctionDef,
                                                                          cst.ClassDef))
                       for assignment in assignments):
                    held.append(call)
        return held

    def _write_in(self, function: cst.FunctionDef | cst.Lambda, chain: _Chain) -> cst.CSTNode | None:
        """The first assignment in ``function`` that changes what ``chain`` reads, or a call there that may (a
        ``global`` rebinding its root included); a chain through ``self`` is also written through ``cls`` and
        through the names the function binds to ``self`` (``me = self; me.lr = ...``)."""
        spellings = [chain]
        if chain.root == "self":
            holders = {"cls"} | (_local_aliases(function.body, "self") - {"self"})
            spellings += [_Chain(holder, chain.parts) for holder in sorted(holders)]
        inside = [node for spelled in spellings for node in self._writes_changing(spelled)
                  if function in self.ancestors(node)]
        inside += [node for spelled in spellings for node, keys in self._handed_objects.get(spelled.root, ())
                   if (keys is None or spelled.key in keys) and function in self.ancestors(node)]
        if isinstance(function, cst.FunctionDef):
            inside += [node for node in self._global_rebindings(function) if node.value == chain.root]
        return min(inside, key=self.start, default=None)

    def _global_rebindings(self, function: cst.FunctionDef) -> list[cst.Name]:
        """The names ``function`` declares ``global`` and assigns."""
        declared = {item.name.value for node in self.nodes(cst.Global) if function in self.ancestors(node)
                    for item in node.names}
        return [target for node in self.nodes(cst.AssignTarget, cst.AugAssign, cst.AnnAssign)
                if isinstance(target := node.target, cst.Name) and target.value in declared
                and function in self.ancestors(node)]

    def _calls_in(self, function: cst.FunctionDef) -> list[cst.Call]:
        return [call for call in self._calls_of_own_functions if function in self.ancestors(call)]

    @functools.cached_property
    def _calls_of_own_functions(self) -> list[cst.Call]:
        """The calls of a function or a class of the module by its name, or of a method of its classes on anything."""
        return [call for call in self.nodes(cst.Call)
                if isinstance(func := _method_named(call.func), cst.Name)
                and (func.value in self._functions or func.value in self._initializers or "__call__" in self._methods)
                or isinstance(func, cst.Attribute) and func.attr.value in self._methods]

    @functools.cached_property
    def _functions(self) -> dict[str, list[cst.FunctionDef]]:
        """The module's functions that are not methods, by name."""
        found: dict[str, list[cst.FunctionDef]] = {}
        for function in self.nodes(cst.FunctionDef):
            if not isinstance(self.enclosing_scope(function), cst.ClassDef):
                found.setdefault(function.name.value, []).append(function)
        return found

    def _receivers_methods(self, func: cst.Attribute) -> list[cst.FunctionDef]:
        """The methods ``receiver.name(...)`` may run: the one its class (or the nearest base of the module that
        defines it) has, when the receiver is an instance of a class of the module or that class itself; else every
        method of that name in the module."""
        name = func.attr.value
        owner = (self.program.own_class(func.value) or self.program.instance_of_own_class(func.value)
                 if isinstance(func.value, cst.Name) else None)
        seen: set[cst.ClassDef] = set()
        while owner is not None and owner not in seen:
            seen.add(owner)
            defined = [method for method in self._methods.get(name, ()) if self.enclosing_scope(method) is owner]
            if defined:
                return defined
            bases = [self.program.own_class(base.value) for base in owner.bases]
            owner = next((base for base in bases if base is not None), None)
        return [] if seen else list(self._methods.get(name, ()))

    def _unbound(self, func: cst.Attribute, method: cst.FunctionDef) -> bool:
        """Whether ``func(...)`` passes its first argument to ``method``'s first parameter: a static method, or a
        method called on its class (``Cfg.extend(cfg)``) rather than on an instance."""
        static = any(isinstance(decorator.decorator, cst.Name) and decorator.decorator.value == "staticmethod"
                     for decorator in method.decorators)
        return static or isinstance(func.value, cst.Name) and self.program.own_class(func.value) is not None

    @functools.cached_property
    def _initializers(self) -> dict[str, cst.FunctionDef]:
        """The ``__init__`` of each class of the module, by the class's name: what calling the class runs."""
        found = {}
        for function in self._methods.get("__init__", ()):
            owner = self.enclosing_scope(function)
            found.setdefault(owner.name.value, function)
        return found

    @functools.cached_property
    def _methods(self) -> dict[str, list[cst.FunctionDef]]:
        """The methods of the module's classes, by name."""
        found: dict[str, list[cst.FunctionDef]] = {}
        for function in self.nodes(cst.FunctionDef):
            if isinstance(self.enclosing_scope(function), cst.ClassDef):
                found.setdefault(function.name.value, []).append(function)
        return found

    def _holds(self, scope: cst.CSTNode, low: tuple[int, int], high: tuple[int, int]) -> bool:
        """Whether ``scope`` (a function) spans both positions: a ``self.x`` written there between them is written
        between them when it runs; one in another method runs whenever that method is called."""
        return isinstance(scope, cst.FunctionDef) and self.start(scope) <= low and high <= self.end(scope)

    def _computed_from(self, chain: _Chain) -> list[_Chain]:
        """``chain`` and, when its last attribute is a property of a class of the module (``cfg.epochs`` with
        ``@property def epochs(self): return self.base + self.extra``), the attributes of the same object the
        property reads, through further properties: writing ``cfg.extra`` changes what ``cfg.epochs`` reads."""
        found, pending = [chain], [chain]
        while pending and len(found) < 64:
            current = pending.pop()
            last = current.parts[-1] if current.parts else ""
            for getter in self._properties.get(last[1:] if last.startswith(".") else "", ()):
                derived = [_Chain(current.root, (*current.parts[:-1], f".{name}"))
                           for name in dict.fromkeys(self.self_attributes_read(getter.body))]
                derived += [_Chain.of(attribute, self.code) for attribute in _attributes_read(getter.body)
                            if _root_name(attribute) not in ("self", None)]
                for read in derived:
                    if read not in found:
                        found.append(read)
                        pending.append(read)
        return found

    def _changing_getter(self, chain: _Chain) -> cst.CSTNode | None:
        """An assignment in the body of the property ``chain`` ends with (``self.epochs += 1``): every read of it
        changes state, so a rewrite that reads it a different number of times changes the run."""
        last = chain.parts[-1] if chain.parts else ""
        for getter in self._properties.get(last[1:] if last.startswith(".") else "", ()):
            written = [node for node in self.nodes(cst.AssignTarget, cst.AugAssign, cst.AnnAssign, cst.Del)
                       if getter in self.ancestors(node)]
            if written:
                return written[0]
        return None

    @functools.cached_property
    def _properties(self) -> dict[str, list[cst.FunctionDef]]:
        """The methods the module's classes expose as attributes (``@property``, ``functools.cached_property``), by
        name: reading one runs its body."""
        return {name: found for name, methods in self._methods.items() if (found := [
            method for method in methods if any(
                self.code(decorator.decorator).rpartition(".")[2] in ("property", "cached_property")
                for decorator in method.decorators)])}

    def _spellings(self, chain: _Chain) -> list[tuple[_Chain, str]]:
        """The ways the module can write what ``chain`` reads: the chain itself, and the chain through each name
        bound to one of its objects (``sub`` of ``sub = cfg["sched"]`` for ``cfg["sched"]["epochs"]``), with the
        words that name the alias in a message."""
        found = [(chain, "")]
        for dropped, prefix in enumerate(chain.prefixes()):
            for alias in self._aliases.get(prefix, ()):
                if alias != chain.root:
                    rest = chain.parts[len(chain.parts) - dropped:]
                    found.append((_Chain(alias, rest), f" (`{alias}` is `{prefix}`)"))
        return found

    def _writes_changing(self, chain: _Chain) -> list[cst.CSTNode]:
        """The assignments that change what ``chain`` reads: to it, to an object on its way (``cfg["sched"] =
        ...``) or to a part of it (``cfg.milestones[0] = 5``), in source order."""
        found = [node for prefix in chain.prefixes()[1:] for node in self._attribute_writes.get(prefix, ())]
        whole = chain.text
        found += [node for written, nodes in self._attribute_writes.items()
                  if written == whole or written.startswith((f"{whole}.", f"{whole}[")) for node in nodes]
        return sorted(found, key=self.start)

    @functools.cached_property
    def _aliases(self) -> dict[str, list[str]]:
        """Each name or attribute chain that a plain name is bound to somewhere (``sub = cfg["sched"]``,
        ``c = cfg``), by the chain's text: writing through the name changes the chain's object."""
        aliases: dict[str, list[str]] = {}
        for node in self.nodes(cst.AssignTarget):
            assign = self.parents.get(node)
            if not isinstance(node.target, cst.Name) or not isinstance(assign, cst.Assign):
                continue
            value = assign.value
            if isinstance(value, cst.Name) or (isinstance(value, (cst.Attribute, cst.Subscript))
                                               and _root_name(value) is not None):
                aliases.setdefault(_written_text(self.code(value)), []).append(node.target.value)
        return aliases

    @functools.cached_property
    def _handed_objects(self) -> dict[str, list[tuple[cst.CSTNode, frozenset[str] | None]]]:
        """Each name whose object a statement may change, with the attributes it may change (None: any): handed to
        ``setattr`` or to a function the module defines whose body changes that parameter, a changing method called
        on it or on what it holds (``cfg.update(...)``, ``cfg.merge_from_file(...)``, ``args.__dict__.update(...)``),
        or an item of its ``vars()``/``__dict__`` assigned."""
        handed: dict[str, list[tuple[cst.CSTNode, frozenset[str] | None]]] = {}
        for call in self.nodes(cst.Call):
            func = call.func
            if isinstance(func, cst.Attribute) and _mutating(func.attr.value):
                root = _root_name(func.value)
                if root is not None or (root := _vars_of(func.value)) is not None:
                    key = _first_key(func.value) if _vars_of(func.value) is None else None
                    handed.setdefault(root, []).append((call, frozenset({key}) if key else None))
            if (isinstance(func, cst.Attribute) and func.attr.value == "__setattr__" and len(call.args) >= 2
                    and isinstance(call.args[0].value, cst.Name)):
                handed.setdefault(call.args[0].value.value, []).append((call, _set_by_name(call)))
            if isinstance(func, cst.Attribute) and func.attr.value in self._methods:
                for method in self._receivers_methods(func):
                    offset = 0 if self._unbound(func, method) else 1
                    for index, argument in enumerate(call.args):
                        if (isinstance(argument.value, cst.Name) and not argument.star
                                and (keys := _parameter_changes(method, index + offset, argument)) != frozenset()):
                            handed.setdefault(argument.value.value, []).append((call, keys))
            if not isinstance(func, cst.Name):
                continue
            callees = [(function, 0) for function in self._functions.get(func.value, ())]
            if func.value in self._initializers:
                callees.append((self._initializers[func.value], 1))
            for index, argument in enumerate(call.args):
                if not isinstance(argument.value, cst.Name) or argument.star:
                    continue
                if func.value == "setattr" and index == 0:
                    handed.setdefault(argument.value.value, []).append((call, _set_by_name(call)))
                    continue
                for function, offset in callees if func.value != "setattr" else ():
                    if (keys := _parameter_changes(function, index + offset, argument)) != frozenset():
                        handed.setdefault(argument.value.value, []).append((call, keys))
        for target in self._item_targets:
            root = _vars_of(target)
            if root is not None:
                handed.setdefault(root, []).append((target, None))
        for loop in self.nodes(cst.For):
            root = _held_root(loop.iter)
            if isinstance(loop.target, cst.Name) and root is not None:
                pending: list[cst.CSTNode] = [loop.body]
                while pending:
                    node = pending.pop()
                    if _writes_through(node, {loop.target.value}):
                        handed.setdefault(root, []).append((getattr(node, "target", node), None))
                    pending.extend(node.children)
        return handed

    @functools.cached_property
    def _attribute_writes(self) -> dict[str, list[cst.CSTNode]]:
        """Each attribute or item the module assigns or deletes (``args.epochs = 1000``, ``cfg.lr *= 2``,
        ``cfg["lr"] = x``, one of a tuple's targets, ``del self.lr``, ``for args.lr in ...``, ``with ... as
        cfg["lr"]``), by its text, with the nodes assigned; one written through ``type(self)`` is also a write
        through ``self``."""
        writes: dict[str, list[cst.CSTNode]] = {}
        for node in self.nodes(cst.AssignTarget, cst.AugAssign, cst.AnnAssign, cst.Del, cst.For, cst.CompFor,
                               cst.AsName):
            targets = [node.name if isinstance(node, cst.AsName) else node.target]
            while targets:
                target = targets.pop()
                if isinstance(target, (cst.Tuple, cst.List)):
                    targets += [element.value for element in target.elements]
                elif isinstance(target, (cst.Attribute, cst.Subscript)):
                    text = _written_text(self.code(target))
                    writes.setdefault(text, []).append(target)
                    if text.startswith("type(self)."):
                        writes.setdefault("self." + text.removeprefix("type(self)."), []).append(target)
        return writes

    def written_through_attribute(self, attribute: str) -> bool:
        """Whether the module assigns, or resizes, something reached through an attribute ``attribute`` of any
        object (``trainer.loader.dataset.tensors = ...``, ``t.loader.dataset.rows.append(...)``)."""
        marks = (f".{attribute}.", f".{attribute}[")
        return any(mark in text for text in self._attribute_writes for mark in marks) or any(
            isinstance(node, cst.Call) and any(mark in self.code(node.func) for mark in marks)
            for node in self._size_changes)

    def changed_through(self, name: str) -> bool:
        """Whether the module may change the object ``name`` holds: an item or attribute of it assigned
        (``parameters[0]["lr"] = 0.3``), or a changing method called on it or on what it holds."""
        return bool(self._handed_objects.get(name)) or any(
            text.startswith((f"{name}[", f"{name}.")) for text in self._attribute_writes)

    def attribute_targets(self, text: str) -> list[cst.CSTNode]:
        """Where the module assigns the attribute or item spelled ``text`` (``self.warmup``)."""
        return list(self._attribute_writes.get(_written_text(text), ()))

    @staticmethod
    def self_attributes_read(node: cst.CSTNode) -> list[str]:
        """The ``x`` of each ``self.x`` ``node`` reads."""
        return [attribute.attr.value for attribute in _attributes_read(node)
                if isinstance(attribute, cst.Attribute) and isinstance(attribute.value, cst.Name)
                and attribute.value.value == "self"]

    def attribute_set_from_outside(self, name: str) -> bool:
        """Whether the module assigns an attribute ``name`` of an object other than ``self`` (``trainer.epochs =
        6``), or hands an object to ``setattr`` with that name."""
        for targets in self._attribute_writes.values():
            if any(isinstance(target, cst.Attribute) and target.attr.value == name
                   and not (isinstance(target.value, cst.Name) and target.value.value == "self") for target in targets):
                return True
        return any(isinstance(call, cst.Call) and isinstance(call.func, cst.Name) and call.func.value == "setattr"
                   and (keys is None or name in keys) for calls in self._handed_objects.values() for call, keys in calls)

    @functools.cached_property
    def _item_stores(self) -> _ItemStores:
        """What the module stores in containers and how (computed when a count or a loader needs it)."""
        stores = _ItemStores()
        self.module.visit(stores)
        return stores

    @property
    def reaches_attributes_by_name(self) -> bool:
        """Whether the module reads or writes attributes by name (``vars()``, ``__dict__``, ``setattr``,
        ``__setattr__``, ``exec``/``eval``), which no search for ``x.name = ...`` finds."""
        return self._item_stores.reflective

    @functools.cached_property
    def _item_targets(self) -> list[cst.CSTNode]:
        """Every attribute or item the module assigns, in order."""
        return [target for targets in self._attribute_writes.values() for target in targets]

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

    def _every_branch_binds(self, bindings: list[cst.CSTNode], place: cst.CSTNode) -> bool:
        """``if c: x = a`` ``else: x = b`` (any ``elif``) before ``place``, in a block around it: every branch of
        one ``if`` binds the name in its own block, or raises."""
        around = set(self.ancestors(place))
        statements = {self.statement(node) for node in bindings}
        for top in {id(top): top for statement in statements if (top := self.chain_top(statement))}.values():
            if self.parents.get(top) not in around or self.end(top) > self.start(place):
                continue
            node, blocks = top, []
            while isinstance(node, cst.If):
                blocks.append(node.body)
                node = node.orelse
            if isinstance(node, cst.Else) and all(
                    any(statement in statements for statement in block.body) or ends_raising(block)
                    for block in [*blocks, node.body]):
                return True
        return False

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
            self._names = set(self._names_read)
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
        iterable = self.unwrapped(loop.iter)
        if isinstance(iterable, cst.Call) and self.names_of(iterable.func) & {"builtins.range", *TRANGE}:
            arguments = [argument for argument in iterable.args
                         if not (argument.keyword and self.names_of(iterable.func) & TRANGE)]
            if any(argument.star or argument.keyword for argument in arguments):
                return None, "range() with unpacked arguments"
            if len(arguments) == 1:
                return self.code(arguments[0].value), None
            if len(arguments) == 2:
                start, stop = (self.code(argument.value) for argument in arguments)
                if start == "0":
                    return stop, None
                known = [self.value(text) for text in (start, stop)]
                sure = None not in known and known[0] < known[1]
                return difference(stop, start), (None if sure else f"{start} < {stop}: the loop runs at least once "
                                                 "(MindSpore rejects a list of no step)")
            return None, "range() with a step"
        if isinstance(iterable, cst.Subscript):
            text, why = self._phase_subscript(iterable)
            if text is None:
                return None, f"cannot tell how many times `for ... in {self.code(loop.iter)}` runs{why}"
        if isinstance(iterable, (cst.Name, cst.Attribute, cst.Subscript)):
            text = self.code(iterable) if not isinstance(iterable, cst.Subscript) else text
            if loop not in self._resized:
                self._resized[loop] = self._resized_during(iterable, loop)
            resized = self._resized[loop]
            if resized is not None:
                return None, (f"{text} may hold a different number of items from one pass to the next: "
                              f"`{self.first_line(resized)}` at line {self.line(resized)} changes its size")
            return f"len({text})", f"one pass over {text} is len({text}) iterations, at least 1"
        return None, f"cannot tell how many times `for ... in {self.code(loop.iter)}` runs"

    def _dict_entry(self, iterable: cst.Subscript) -> tuple[cst.CSTNode, cst.BaseExpression] | None:
        """For ``loaders["train"]`` (or ``loaders[phase]`` counted in its first phase) with ``loaders`` bound once to
        a dict literal: the binding statement and the value the literal gives that key."""
        container = iterable.value
        key = iterable.slice[0].slice.value if isinstance(iterable.slice[0].slice, cst.Index) else None
        if isinstance(key, cst.Name) and (loop := self.phase_loop(key)) is not None:
            key = loop.iter.elements[0].value
        assignment = self.single_assignment(container) if isinstance(container, cst.Name) else None
        bound = self.assigned_value(assignment) if assignment is not None else None
        if key is None or bound is None or not isinstance(bound[1], cst.Dict):
            return None
        wanted = _literal_key(key)
        value = next((element.value for element in bound[1].elements if isinstance(element, cst.DictElement)
                      and _literal_key(element.key) == wanted), None)
        return (bound[0], value) if value is not None else None

    def _phase_subscript(self, iterable: cst.Subscript) -> tuple[str | None, str]:
        """``loaders["train"]`` as written, or ``loaders[phase]`` in a phase loop as its first phase's
        (``loaders["train"]``): a loop over it that holds an optimizer step the first phase picks is counted in
        that phase. None for any other key, or when the module may store another value under that key (an item
        assigned or deleted with it, in any container: an alias or a parameter may hold this one; or a dict's
        ``update``/``setdefault``/``__setitem__``, ``vars()`` or ``__dict__`` anywhere), with why."""
        if len(iterable.slice) != 1 or not isinstance(iterable.slice[0].slice, cst.Index):
            return None, ""
        key = iterable.slice[0].slice.value
        if _literal_key(key) is not None:
            text, literal = self.code(iterable), key
        elif isinstance(key, cst.Name) and (loop := self.phase_loop(key)) is not None:
            literal = loop.iter.elements[0].value
            text = f"{self.code(iterable.value)}[{self.code(literal)}]"
        else:
            return None, ""
        stores = self._item_stores
        if stores.anything or _literal_key(literal) in stores.keys:
            return None, (f": the module stores items under {self.code(literal)}, or changes a mapping's items "
                          "another way, so the container may hold another loader there when the loop runs")
        return text, ""

    @functools.cached_property
    def bound_names(self) -> frozenset[str]:
        """Every name the module binds in any scope: a builtin among them (``min = 0.0``) is not the builtin
        wherever a rewrite would write it."""
        return frozenset(assignment.name for scope in {id(scope): scope for scope in self.scopes.values()
                                                        if scope is not None}.values()
                         for assignment in scope.assignments)

    def shadowed_builtins(self, replacements: Mapping[cst.CSTNode, object]) -> list[str]:
        """The builtins (``min``, ``len``, ``int``...) that a fix's new code reads and the module binds itself, where
        the code it writes would call the module's own instead."""
        new = [node for value in replacements.values()
               for node in (value if isinstance(value, (list, tuple)) else [value])
               if isinstance(node, cst.CSTNode) and node not in self.positions]
        read = {name.value for node in new for name in names_in(node)}
        return sorted(name for name in read & self.bound_names if name in dir(builtins))

    def size_changed(self, expression: cst.BaseExpression, start, end) -> cst.CSTNode | None:
        """The first statement between ``start`` and ``end`` that changes the size of a container ``expression``
        reads by name (``rows.append(...)``, ``rows += [...]``, ``del rows[0]``), else None."""
        names = {name.value for name in names_in(expression)}

        def of_a_name(node: cst.CSTNode) -> bool:
            return isinstance(node, cst.Name) and node.value in names

        for node in self._size_changes:
            if start <= self.start(node) <= end and (
                    isinstance(node, cst.Call) and of_a_name(node.func.value)
                    or isinstance(node, cst.AugAssign) and of_a_name(node.target)
                    or isinstance(node, cst.Del) and of_a_name(_deleted(node.target))):
                return self.statement(node)
        return None

    @functools.cached_property
    def _size_changes(self) -> list[cst.CSTNode]:
        """Every call of a size-changing method, augmented assignment and ``del`` of the module."""
        found, pending = [], [self.module]
        while pending:
            node = pending.pop()
            if (isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute)
                    and node.func.attr.value in SIZE_CHANGING or isinstance(node, (cst.AugAssign, cst.Del))):
                found.append(node)
            pending.extend(child_nodes(node))
        return found

    def _resized_during(self, iterable: cst.BaseExpression, loop: cst.CSTNode) -> cst.CSTNode | None:
        """The first statement that changes the size of what ``iterable`` is, or of the first argument of the call
        that made it (``rows.append(x)``, ``dataset.tensors = ...`` for ``loader = DataLoader(rows)``), inside the
        loops around ``loop`` or, when the iterable is bound once by such a call, anywhere after that binding in
        its scope: the passes over it then differ in length, or from what was counted before the loop. None when
        there is none."""
        holders, after = [iterable], None
        if isinstance(iterable, cst.Name) and (assignment := self.single_assignment(iterable)) is not None:
            assigned = self.assigned_value(assignment)
            if assigned is not None and isinstance(assigned[1], cst.Call) and assigned[1].args:
                holders.append(assigned[1].args[0].value)
                after = assigned[0]
        if isinstance(iterable, cst.Subscript) and (entry := self._dict_entry(iterable)) is not None:
            line, value = entry
            holders += [value, *([value.args[0].value] if isinstance(value, cst.Call) and value.args else [])]
            after = line
        texts = tuple(_written_text(self.code(holder)) for holder in holders
                      if isinstance(holder, (cst.Name, cst.Attribute, cst.Subscript)))

        def held(target: cst.CSTNode) -> bool:
            text = _written_text(self.code(target))
            return text in texts or text.startswith(tuple(f"{holder}{mark}" for holder in texts for mark in ".["))

        def changes_size(node: cst.CSTNode) -> bool:
            return ((isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute)
                     and node.func.attr.value in SIZE_CHANGING and held(node.func.value))
                    or (isinstance(node, cst.AugAssign) and held(node.target))
                    or (isinstance(node, cst.Del) and held(_deleted(node.target)))
                    or (isinstance(node, cst.AssignTarget) and isinstance(node.target, (cst.Attribute, cst.Subscript))
                        and held(node.target)))

        region = (self.loops(loop) or [loop])[0]
        if after is not None:
            region = self.enclosing_scope(after)
        start = self.end(after) if after is not None else None
        pending: list[cst.CSTNode] = [region]
        while pending:
            node = pending.pop()
            if changes_size(node) and (start is None or self.start(node) >= start):
                return self.statement(node)
            if node is region or not isinstance(node, SCOPES):
                pending.extend(reversed(child_nodes(node)))
        return None

    def counted_iterable(self, loop: cst.For) -> cst.BaseExpression:
        """What a ``for`` loop's count reads: its unwrapped iterable, or for ``loaders[phase]`` in a phase loop the
        container alone (the count reads ``loaders["train"]``, not the loop's variable)."""
        iterable = self.unwrapped(loop.iter)
        if (isinstance(iterable, cst.Subscript) and len(iterable.slice) == 1
                and isinstance(iterable.slice[0].slice, cst.Index)
                and isinstance(key := iterable.slice[0].slice.value, cst.Name) and self.phase_loop(key) is not None):
            return iterable.value
        return iterable

    def unwrapped(self, iterable: cst.BaseExpression) -> cst.BaseExpression:
        """``loader`` for ``enumerate(loader)``, ``tqdm(loader, desc=...)`` and their nestings, which iterate as
        many times as it does; else ``iterable`` itself."""
        for _ in range(len(PASS_THROUGH)):
            if not (isinstance(iterable, cst.Call) and self.names_of(iterable.func) & PASS_THROUGH and iterable.args
                    and not iterable.args[0].star and not iterable.args[0].keyword):
                break
            iterable = iterable.args[0].value
        return iterable

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


def ends_raising(block: cst.BaseSuite) -> bool:
    """A branch that ends by raising binds nothing and runs no further."""
    last = block.body[-1] if isinstance(block, cst.IndentedBlock) and block.body else None
    return isinstance(last, cst.SimpleStatementLine) and isinstance(last.body[-1], cst.Raise)


def _walk(module: cst.Module) -> tuple[list[cst.CSTNode], dict[cst.CSTNode, cst.CSTNode], list[str]]:
    """Every node in the order a LibCST visitor meets them, each node's parent (as ParentNodeProvider gives it),
    and the names ``names_in(module)`` gives, in one walk that rebuilds no node (a visitor pass rebuilds each)."""
    order: list[cst.CSTNode] = []
    parents: dict[cst.CSTNode, cst.CSTNode] = {}
    names: list[str] = []
    pending: list[cst.CSTNode] = [module]
    while pending:
        node = pending.pop()
        order.append(node)
        children = child_nodes(node)
        for child in children:
            parents[child] = node
            if type(child) is cst.Name and not (type(node) is cst.Attribute and node.attr is child):
                names.append(child.value)
        pending.extend(reversed(children))
    return order, parents, names


def _scopes(module: cst.Module, source: str) -> Mapping[cst.CSTNode, object]:
    """ScopeProvider's table: its scope visitor, fed the expression contexts, without the two extra passes over
    the whole module that resolving it through a MetadataWrapper makes (one per provider, after its own), and in
    time linear in the module (see ``_LinearScopeVisitor``)."""
    provider = ScopeProvider()
    provider.metadata = {ExpressionContextProvider: expression_contexts(module)}
    visitor = _LinearScopeVisitor(provider, may_name_typing="typing" in source)
    module.visit(visitor)
    visitor.infer_accesses()
    return provider._computed


class _LinearScopeVisitor(ScopeVisitor):
    """LibCST's scope visitor with the same scopes, assignments, accesses, referents and references, minus its
    two costs that grow with the square of a module where one name is bound many times (files concatenated,
    notebooks exported): the qualified names of every call and subscript, asked only to spot ``typing``'s
    ``cast``/``TypeVar``/``NewType``/``Literal``, and each binding's set of every access that may read it.

    A qualified name starting with ``typing`` needs that word in the source (as a module imported, a name
    bound, a function or class defined), so without it those questions are skipped: their answer is no. Each
    access's referents are computed once per scope and name where no binding of the name in the access's own
    scope orders them, and an assignment's references are gathered when first read (``_References``).
    """

    def __init__(self, provider: ScopeProvider, may_name_typing: bool):
        super().__init__(provider)
        self.may_name_typing = may_name_typing

    def on_visit(self, node: cst.CSTNode) -> bool:
        """Visit ``node``'s children here, as ``CSTNode.visit`` would, and tell it not to: it rebuilds each node
        from its visited children, which costs more than the scope analysis itself. ``visit_<Type>_<field>``
        callbacks are made for the node types that have one (``ClassDef``)."""
        if not cst.CSTVisitor.on_visit(self, node):
            return False
        kind = type(node)
        announced = kind.__name__ in _ATTRIBUTE_CALLBACKS
        for name in visited_fields(node):
            if announced:
                self.on_visit_attribute(node, name)
            value = getattr(node, name)
            kind_of_value = _KINDS.get(type(value)) or _kind(value)
            if kind_of_value is _NODE:
                self.on_visit(value)
                self.on_leave(value)
            elif kind_of_value is _SEQUENCE:
                for item in value:
                    if (_KINDS.get(type(item)) or _kind(item)) is _NODE:
                        self.on_visit(item)
                        self.on_leave(item)
            if announced:
                self.on_leave_attribute(node, name)
        return False

    def on_leave(self, original_node: cst.CSTNode) -> None:
        """``ScopeVisitor.on_leave`` with its check of the node's type against eighteen abstract-base classes
        made once per type."""
        self.provider.set_metadata(original_node, self.scope)
        assigns = _ASSIGNMENT_LIKE.get(type(original_node))
        if assigns is None:
            assigns = _ASSIGNMENT_LIKE[type(original_node)] = isinstance(original_node, _ASSIGNMENT_LIKE_NODES)
        if assigns:
            self.scope._assignment_count += 1
        cst.CSTVisitor.on_leave(self, original_node)

    def visit_Call(self, node: cst.Call) -> bool | None:
        if self.may_name_typing:
            return super().visit_Call(node)
        self._ScopeVisitor__top_level_attribute_stack.append(None)
        self._ScopeVisitor__in_type_hint_stack.append(False)
        return True

    def visit_Subscript(self, node: cst.Subscript) -> bool | None:
        if self.may_name_typing:
            return super().visit_Subscript(node)
        self._ScopeVisitor__in_type_hint_stack.append(False)
        return True

    def infer_accesses(self) -> None:
        """``ScopeVisitor.infer_accesses``: the same names for the same accesses, each access's referents as
        ``Access.record_assignments`` filters them, and each assignment's references as
        ``BaseAssignment.record_accesses`` adds them (the accesses before a binding in its own scope go to the
        parent scope's bindings of the name), recorded per scope and name rather than copied to every binding."""
        groups: dict[tuple[object, str], set] = defaultdict(set)
        for deferred in self._ScopeVisitor__deferred_accesses:
            access = deferred.access
            name = cst.ensure_type(access.node, cst.Name).value
            if deferred.enclosing_attribute is not None:
                for attribute_name, node in _gen_dotted_names(deferred.enclosing_attribute):
                    if attribute_name in access.scope:
                        access.node = node
                        name = attribute_name
                        break
            if deferred.enclosing_string_annotation is not None:
                access.node = deferred.enclosing_string_annotation
            groups[(access.scope, name)].add(access)
            access.scope.record_access(name, access)
        readers: dict[int, tuple[object, list[set]]] = {}

        def read(assignments, accesses: set) -> None:
            readers.setdefault(id(assignments), (assignments, []))[1].append(accesses)

        shared: dict[int, tuple[object, frozenset]] = {}
        binding_scopes: dict[int, tuple[object, set]] = {}
        for (scope, name), accesses in groups.items():
            resolved = scope._resolve_scope_for_access(name, scope)
            scopes = binding_scopes.get(id(resolved))
            if scopes is None:
                scopes = binding_scopes[id(resolved)] = (resolved, {assignment.scope for assignment in resolved})
            own = (sorted(assignment._index for assignment in resolved if assignment.scope is scope)
                   if scope in scopes[1] else [])
            _record_referents(scope, name, accesses, resolved, own, shared)
            read(resolved, accesses)
            if own and scope.parent is not scope:
                last = max(own)
                earlier = {access for access in accesses if access._index <= last}
                if earlier:
                    read(scope.parent[name], earlier)
        for assignments, readings in readers.values():
            for assignment in assignments:
                assignment._BaseAssignment__accesses = _References(assignment, readings)
        self._ScopeVisitor__deferred_accesses = []


#: The node types for which the scope visitor has a ``visit_<Type>_<field>`` or ``leave_<Type>_<field>`` callback
#: of its own (``CSTVisitor``'s are no-ops).
_ATTRIBUTE_CALLBACKS = {name.split("_")[1] for kind in _LinearScopeVisitor.__mro__
                        if kind not in cst.CSTVisitor.__mro__ for name in vars(kind)
                        if name.startswith(("visit_", "leave_")) and name.count("_") >= 2}
#: Per node type, whether LibCST counts it as an assignment-like node (it orders a scope's bindings and accesses).
_ASSIGNMENT_LIKE: dict[type, bool] = {}


def _record_referents(scope, name: str, accesses: set, resolved, own: list[int], shared: dict) -> None:
    """Each access's referents, as ``Access.record_assignments`` computes them: the bindings it resolves to,
    minus those of its own scope made after it (or, when none is left, the parent scope's bindings). ``own`` is
    the sorted indices of the bindings made in the accesses' scope. Accesses after the same number of those share
    one frozen set, and so do all the accesses, in any scope, that resolve to another scope's bindings
    (``shared``, by the bindings' set)."""
    if not own:
        found = shared.get(id(resolved))
        if found is None:
            found = shared[id(resolved)] = (resolved, frozenset(resolved))
        for access in accesses:
            access._Access__assignments = found[1]
        return
    other = [assignment for assignment in resolved if assignment.scope is not scope]
    by_count: dict[int, frozenset] = {}
    for access in accesses:
        count = bisect.bisect_left(own, access._index)
        found = by_count.get(count)
        if found is None:
            found = frozenset([*other, *(assignment for assignment in resolved
                                         if assignment.scope is scope and assignment._index < access._index)])
            if not found and resolved and scope.parent is not scope:
                found = frozenset(scope.parent._resolve_scope_for_access(name, scope))
            by_count[count] = found
        access._Access__assignments = found


def expression_contexts(module: cst.Module) -> dict[cst.CSTNode, ExpressionContext]:
    """ExpressionContextProvider's table (which names, attributes, subscripts, tuples, lists and starred elements
    are stored to, deleted or read), from a walk that follows its visitor's rules node type by node type."""
    contexts: dict[cst.CSTNode, ExpressionContext] = {}
    pending: list[tuple[object, ExpressionContext]] = [(module, ExpressionContext.LOAD)]
    while pending:
        node, context = pending.pop()
        rule = _CONTEXT_RULES.get(type(node))
        if rule is None:
            pending.extend((child, context) for child in child_nodes(node))
            continue
        marked, parts = rule(node)
        if marked:
            contexts[node] = context
        for part, own in parts:
            if part:
                for item in part if isinstance(part, (list, tuple)) else (part,):
                    pending.append((item, own or context))
    return contexts


_STORE, _LOAD, _DEL = ExpressionContext.STORE, ExpressionContext.LOAD, ExpressionContext.DEL
#: Per node type: whether the node gets the context it is reached with, and the parts walked next, each with the
#: context it gets (None: the same one). A type not listed gets no context and passes its own to all its children.
_CONTEXT_RULES = {
    cst.Assign: lambda node: (False, [(node.targets, _STORE), (node.value, None)]),
    cst.AnnAssign: lambda node: (False, [(node.target, _STORE), (node.annotation, None), (node.value, None)]),
    cst.AugAssign: lambda node: (False, [(node.target, _STORE), (node.value, None)]),
    cst.NamedExpr: lambda node: (False, [(node.target, _STORE), (node.value, None)]),
    cst.Name: lambda node: (True, []),
    cst.AsName: lambda node: (False, [(node.name, _STORE)]),
    cst.CompFor: lambda node: (False, [(node.target, _STORE), (node.iter, None), (node.ifs, None),
                                       (node.inner_for_in, None)]),
    cst.For: lambda node: (False, [(node.target, _STORE), (node.iter, None), (node.body, None),
                                   (node.orelse, None)]),
    cst.Del: lambda node: (False, [(node.target, _DEL)]),
    cst.Attribute: lambda node: (True, [(node.value, _LOAD)]),
    cst.Subscript: lambda node: (True, [(node.value, _LOAD), (node.slice, _LOAD)]),
    cst.Tuple: lambda node: (True, [(tuple(child_nodes(node)), None)]),
    cst.List: lambda node: (True, [(tuple(child_nodes(node)), None)]),
    cst.StarredElement: lambda node: (True, [(tuple(child_nodes(node)), None)]),
    cst.ClassDef: lambda node: (False, [(node.name, _STORE), (node.body, None), (node.bases, None),
                                        (node.keywords, None), (node.decorators, None)]),
    cst.FunctionDef: lambda node: (False, [(node.name, _STORE), (node.params, None), (node.body, None),
                                           (node.decorators, None), (node.returns, None)]),
    cst.Param: lambda node: (False, [(node.name, _STORE), (node.annotation, None), (node.default, None)]),
}


class _ItemStores(cst.CSTVisitor):
    """The literal keys a module stores or deletes items under (``d["train"] = ...``, ``del d["train"]``), and
    whether it changes a mapping's items otherwise (``d[key] = ...`` with a key that is not a literal,
    ``d.update(...)``, ``setdefault``, ``__setitem__``, ``vars(...)``, ``__dict__``)."""

    def __init__(self):
        super().__init__()
        self.keys: set[object] = set()
        self.anything = False
        self.reflective = False

    def _stored(self, target: cst.BaseExpression) -> None:
        if isinstance(target, cst.Subscript):
            keys = [_literal_key(element.slice.value) if isinstance(element.slice, cst.Index) else None
                    for element in target.slice]
            if len(keys) != 1 or keys[0] is None:
                self.anything = True
            else:
                self.keys.add(keys[0])
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._stored(element.value)

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self._stored(node.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._stored(node.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._stored(node.target)

    def visit_Del(self, node: cst.Del) -> None:
        self._stored(node.target)

    def visit_For(self, node: cst.For) -> None:
        self._stored(node.target)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self._stored(node.target)

    def visit_AsName(self, node: cst.AsName) -> None:
        self._stored(node.name)

    def visit_Call(self, node: cst.Call) -> None:
        method = node.func.attr.value if isinstance(node.func, cst.Attribute) else None
        if method in ("setdefault", "__setitem__") or method == "update" and _may_update_a_mapping(node):
            self.anything = True
        if isinstance(node.func, cst.Name) and node.func.value in ("vars", "setattr", "exec", "eval"):
            self.anything = self.reflective = True

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if node.attr.value in ("__dict__", "__setattr__", "__setitem__"):
            self.anything = self.reflective = True

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        if node.value.strip("\"'") in ("__setattr__", "__dict__", "__setitem__"):
            self.anything = self.reflective = True


def _may_update_a_mapping(call: cst.Call) -> bool:
    """Whether ``x.update(...)`` may be a dict's: keyword or unpacked arguments, or one argument that is a mapping
    or may hold one. A meter's ``losses.update(loss.item(), n)`` is not."""
    if any(argument.keyword is not None or argument.star for argument in call.args):
        return True
    return len(call.args) == 1 and isinstance(call.args[0].value, (cst.Dict, cst.DictComp, cst.Name, cst.Attribute,
                                                                   cst.Subscript))


def _literal_key(node: cst.BaseExpression) -> object:
    """A string or int literal's value (what ``phase == "train"`` compares), else None."""
    if isinstance(node, cst.SimpleString):
        return ("str", node.evaluated_value)
    if isinstance(node, cst.Integer):
        return ("int", node.evaluated_value)
    return None


def child_nodes(node: cst.CSTNode) -> list[cst.CSTNode]:
    """The nodes held by ``node``'s fields, directly or in a sequence, in the order a LibCST visitor visits them."""
    children = []
    for name in visited_fields(node):
        value = getattr(node, name)
        kind = _KINDS.get(type(value)) or _kind(value)
        if kind is _NODE:
            children.append(value)
        elif kind is _SEQUENCE:
            for item in value:
                if (_KINDS.get(type(item)) or _kind(item)) is _NODE:
                    children.append(item)
    return children


def visited_fields(node: cst.CSTNode) -> tuple[str, ...]:
    """The fields a LibCST visitor visits on ``node``, in its order. They are the same for every node of a type,
    except that a field left unvisited when it is None (``FormattedStringExpression.format_spec``) is visited when
    it is set: so a type with such fields is looked up again by which of them are None."""
    kind = type(node)
    known = _VISITED_FIELDS.get(kind)
    if known is None:
        fields = _FieldOrder.of(node)
        unvisited_none = tuple(field.name for field in dataclasses.fields(node)
                               if field.name not in fields and getattr(node, field.name) is None)
        known = _VISITED_FIELDS[kind] = (fields, unvisited_none)
    fields, unvisited_none = known
    if not unvisited_none:
        return fields
    key = (kind, tuple(getattr(node, name) is None for name in unvisited_none))
    fields = _VISITED_BY_PRESENCE.get(key)
    if fields is None:
        fields = _VISITED_BY_PRESENCE[key] = _FieldOrder.of(node)
    return fields


_VISITED_FIELDS: dict[type, tuple[tuple[str, ...], tuple[str, ...]]] = {}
_VISITED_BY_PRESENCE: dict[tuple[type, tuple[bool, ...]], tuple[str, ...]] = {}
_NODE, _SEQUENCE, _OTHER = "node", "sequence", "other"
#: Per type of a field's value: a node, a sequence (of nodes), or neither. ``isinstance`` against ``CSTNode``, an
#: abstract base class, is the costliest step of a walk, and its answer is the same for every value of a type.
_KINDS: dict[type, str] = {}


def _kind(value: object) -> str:
    kind = _KINDS[type(value)] = (_NODE if isinstance(value, cst.CSTNode)
                                  else _SEQUENCE if isinstance(value, (list, tuple)) else _OTHER)
    return kind


class _FieldOrder(cst.CSTVisitor):
    """The fields a node type's visit goes through, in their order, as LibCST announces them to a visitor."""

    def __init__(self):
        self.fields: list[str] = []

    @classmethod
    def of(cls, node: cst.CSTNode) -> tuple[str, ...]:
        recorder = cls()
        node._visit_and_replace_children(recorder)
        return tuple(dict.fromkeys(recorder.fields))

    def on_visit(self, node: cst.CSTNode) -> bool:
        return False

    def on_visit_attribute(self, node: cst.CSTNode, attribute: str) -> None:
        self.fields.append(attribute)


class _References(AbstractSet):
    """An assignment's references (``BaseAssignment.references``), gathered when first read from the accesses
    of each scope and name that resolved to its bindings: those in another scope, and those after it in its own."""

    __slots__ = ("_assignment", "_readings", "_accesses")

    def __init__(self, assignment, readings: list[set]):
        self._assignment, self._readings, self._accesses = assignment, readings, None

    def _gathered(self) -> frozenset:
        if self._accesses is None:
            scope, index = self._assignment.scope, self._assignment._index
            self._accesses = frozenset(access for accesses in self._readings for access in accesses
                                       if access.scope is not scope or index < access._index)
            self._readings = None
        return self._accesses

    def __contains__(self, access) -> bool:
        return access in self._gathered()

    def __iter__(self):
        """Each access once; until the whole set is needed, found as read, so that a question answered by the
        first few (``all``, ``any``, emptiness) does not gather every access of a name bound many times."""
        if self._accesses is not None:
            yield from self._accesses
            return
        scope, index = self._assignment.scope, self._assignment._index
        seen = set()
        for accesses in self._readings:
            for access in accesses:
                if (access.scope is not scope or index < access._index) and access not in seen:
                    seen.add(access)
                    yield access

    def __bool__(self) -> bool:
        return next(iter(self), None) is not None

    def __len__(self) -> int:
        return len(self._gathered())


class _QualifiedNames(Mapping):
    """QualifiedNameProvider's table, each entry computed from the scopes when first read."""

    def __init__(self, module: cst.Module, parents: Mapping, scopes: Mapping):
        self._module, self._parents, self._scopes = module, parents, scopes
        self._known: dict[cst.CSTNode, object] = {}
        self._of_referent: dict[object, frozenset] = {}
        self._of_referents: dict[int, tuple[object, frozenset]] = {}
        self._of_bindings: dict[tuple[int, str], tuple[object, frozenset]] = {}
        self._bound_at: dict[int, tuple[object, dict]] = {}

    def __getitem__(self, node):
        known = self._known.get(node)
        if known is None:
            if node is not self._module and node not in self._parents:
                raise KeyError(node)
            scope = self._scopes.get(node)
            known = self._known[node] = self._names(scope, node) if scope else set()
        return known

    def _names(self, scope, node: cst.CSTNode) -> set:
        """``scope.get_qualified_names_for(node)``, step by step, with what the same bindings answer for other
        nodes remembered: a name bound many times is otherwise resolved through all its bindings at each read."""
        accesses = scope._accesses_by_node.get(node)
        if accesses:
            names = set()
            for access in accesses:
                names |= self._of_all(access.referents)
            return names
        full_name = get_full_name_for_node(node)
        if full_name is None:
            return set()
        assignments: object = ()
        prefix = full_name
        while prefix:
            if prefix in scope:
                assignments = scope[prefix]
                break
            index = prefix.rfind(".")
            prefix = None if index == -1 else prefix[:index]
        binding = self._binding(assignments).get(node)
        if binding is not None:
            return binding.get_qualified_names_for(full_name)
        key = (id(assignments), full_name)
        found = self._of_bindings.get(key)
        if found is None:
            names = set()
            for assignment in assignments:
                names |= assignment.get_qualified_names_for(full_name)
            found = self._of_bindings[key] = (assignments, frozenset(names))
        return set(found[1])

    def _of_all(self, referents) -> frozenset:
        """The qualified names of an access's referents; accesses of one scope and name share the collection."""
        found = self._of_referents.get(id(referents))
        if found is None:
            names: set = set()
            for referent in referents:
                own = self._of_referent.get(referent)
                if own is None:
                    own = self._of_referent[referent] = frozenset(referent.get_qualified_names_for(referent.name))
                names |= own
            found = self._of_referents[id(referents)] = (referents, frozenset(names))
        return found[1]

    def _binding(self, assignments) -> dict:
        """Per node that binds one of ``assignments`` (itself, or a name of the import that binds it), the first
        of them in iteration order that it binds: ``Scope.get_qualified_names_for`` answers from that one alone."""
        found = self._bound_at.get(id(assignments))
        if found is None:
            bound: dict = {}
            for assignment in assignments:
                if isinstance(assignment, Assignment):
                    for node in _binding_nodes(assignment.node):
                        bound.setdefault(node, assignment)
            found = self._bound_at[id(assignments)] = (assignments, bound)
        return found[1]

    def __contains__(self, node) -> bool:
        return node is self._module or node in self._parents

    def __iter__(self):
        yield self._module
        yield from self._parents

    def __len__(self):
        return len(self._parents) + 1


def _binding_nodes(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """The nodes LibCST's ``_is_assignment`` says are part of the assignment at ``node``."""
    yield node
    if isinstance(node, (cst.Import, cst.ImportFrom)) and not isinstance(node.names, cst.ImportStar):
        for alias in node.names:
            yield alias.name
            if alias.asname is not None:
                yield alias.asname.name


_NEWLINE = re.compile(r"\r\n?|\n")


class _Positions(Mapping):
    """PositionProvider's table, generated one top-level statement at a time as nodes in it are asked about.

    A statement printed alone from the line it starts on gets the positions the whole module's printing gives it;
    where each starts comes from the printed code of those before it, which is far cheaper than positions.
    """

    def __init__(self, module: cst.Module, parents: Mapping, sliced: dict[cst.CSTNode, str] | None = None):
        self._module, self._parents = module, parents
        self.cut = sliced is not None
        """Whether each statement's code was cut from the source rather than printed from the module."""
        if sliced is not None:
            self.code_of = sliced
        self._computed: dict[cst.CSTNode, CodeRange] = {}
        self._generated: set[cst.CSTNode] = set()
        self._whole = False

    def __getitem__(self, node):
        found = self._computed.get(node)
        if found is None:
            self._generate(self._top_level(node))
            found = self._computed[node]
        return found

    def __contains__(self, node) -> bool:
        return node is self._module or node in self._parents

    def __iter__(self):
        self._generate(None)
        return iter(self._computed)

    def __len__(self):
        self._generate(None)
        return len(self._computed)

    def _top_level(self, node: cst.CSTNode) -> cst.CSTNode | None:
        """The module statement holding ``node``; None when the whole module must be printed (the module, its
        header and footer lines); KeyError when ``node`` is not in the module."""
        if node is self._module:
            return None
        while True:
            parent = self._parents[node]
            if parent is self._module:
                return node if node in self.code_of else None
            node = parent

    def _generate(self, statement: cst.CSTNode | None) -> None:
        if self._whole or statement in self._generated:
            return
        start = 1 if statement is None else self.start_lines[statement]
        state = PositionProvidingCodegenState(default_indent=self._module.default_indent,
                                              default_newline=self._module.default_newline, provider=self,
                                              line=start)
        if statement is None:
            self._module._codegen(state)
            self._whole = True
        else:
            statement._codegen(state)
            self._generated.add(statement)

    @functools.cached_property
    def code_of(self) -> dict[cst.CSTNode, str]:
        """The printed code of each top-level statement (given when cut from the source instead)."""
        return {statement: self._module.code_for_node(statement) for statement in self._module.body}

    @functools.cached_property
    def start_lines(self) -> dict[cst.CSTNode, int]:
        """The line each top-level statement's code starts on, counted as the position codegen counts."""
        line = 1 + sum(_newlines(self._module.code_for_node(empty)) for empty in self._module.header)
        starts = {}
        for statement, code in self.code_of.items():
            starts[statement] = line
            line += _newlines(code)
        return starts


LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
"""A text's lines, each with its line break (``\\r\\n``, ``\\r`` or ``\\n``), as LibCST and ``ast`` count them."""


def ast_tree(source: str) -> ast.Module | None:
    """The `ast` of ``source``, or None when CPython rejects it."""
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError):
        return None


def _statement_code(module: cst.Module, source: str, tree: ast.Module | None) -> dict[cst.CSTNode, str] | None:
    """Each top-level statement's code cut from the source, which LibCST prints back byte for byte: printing it
    again costs as much as printing the module. A statement starts at its leading blank and comment lines, just
    before the line ``ast`` gives its first token (or first decorator). Every cut is checked: the lines between one
    statement's last token and the next one's first hold only blanks and comments (a parenthesis on a line of its
    own, which ``ast`` leaves out of a statement, fails it); None asks for printing instead, as does a form feed
    (LibCST moves it into the indentation it precedes)."""
    if tree is None or not module.body or not module.has_trailing_newline or "\x0c" in source:
        return None
    statements = iter(tree.body)
    firsts, starts, lasts = [], [], []
    for statement in module.body:
        count = len(statement.body) if isinstance(statement, cst.SimpleStatementLine) else 1
        nodes = [next(statements, None) for _ in range(count)]
        if nodes[0] is None or nodes[-1] is None:
            return None
        decorators = getattr(nodes[0], "decorator_list", None) or ()
        starts.append(min([nodes[0].lineno, *(decorator.lineno for decorator in decorators)]))
        firsts.append(starts[-1] - len(statement.leading_lines))
        lasts.append(nodes[-1].end_lineno)
    if next(statements, None) is not None:
        return None
    lines = LINES.findall(source)
    end = len(lines) - len(module.footer)
    if firsts[0] != 1 + len(module.header) or end < lasts[-1]:
        return None
    for last, start in zip([len(module.header), *lasts], [*starts, end + 1]):
        if last >= start or any(line.strip() and not line.lstrip().startswith("#") for line in lines[last:start - 1]):
            return None
    return {statement: "".join(lines[first - 1:following - 1])
            for statement, first, following in zip(module.body, firsts, [*firsts[1:], end + 1])}


def _newlines(code: str) -> int:
    return code.count("\n") if "\r" not in code else len(_NEWLINE.findall(code))


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
    """``stop - start``, folding literals, ``range(start, start + n)``'s and ``range(1, n + 1)``'s ``n``."""
    if stop.isdigit() and start.isdigit():
        return str(int(stop) - int(start))
    expression = cst.parse_expression(stop)
    if isinstance(expression, cst.BinaryOperation) and isinstance(expression.operator, cst.Add) and not expression.lpar:
        if _code(expression.left) == start.strip():
            return _code(expression.right)
        if _code(expression.right) == start.strip():
            return _code(expression.left)
    return f"{atom(stop)} - {atom(start)}"


def _code(node: cst.CSTNode) -> str:
    return cst.Module(body=[]).code_for_node(node).strip()


def atom(text: str) -> str:
    """``text`` as an operand: parenthesised unless it is a name, call, subscript or number (an expression that
    parses only in parentheses, ``x := 2``, gets them)."""
    try:
        expression = cst.parse_expression(text)
    except cst.ParserSyntaxError:
        return f"({text})"
    atomic = (cst.Name, cst.Attribute, cst.Call, cst.Subscript, cst.Integer, cst.Float)
    if isinstance(expression, atomic) or expression.lpar:
        return text
    return f"({text})"


def names_in(node: cst.CSTNode) -> list[cst.Name]:
    """The names ``node`` reads or binds, not counting attribute names after a dot."""
    collector = _NameCollector()
    node.visit(collector)
    return collector.names


MUTATING_PREFIXES = ("update", "setdefault", "pop", "clear", "set", "merge", "override", "load")
"""How the methods that change the dict or config object they are called on begin (yacs' ``merge_from_file``)."""


SIZE_CHANGING = frozenset({"append", "extend", "insert", "remove", "pop", "popitem", "clear", "add", "discard",
                           "update"})
"""The methods of Python's lists, sets and dicts that change how many items they hold."""


def _deleted(target: cst.BaseExpression) -> cst.BaseExpression:
    """The container ``del rows[0]`` removes from: the value of the item deleted."""
    return target.value if isinstance(target, cst.Subscript) else target


def _held_root(value: cst.BaseExpression) -> str | None:
    """The name whose object ``value`` is or holds a part of: ``cfg`` of ``cfg["sched"]``, ``cfg.values()``,
    ``cfg.get("sched")``."""
    while isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute):
        value = value.func.value
    return _root_name(value)


def _local_aliases(body: cst.CSTNode, name: str) -> set[str]:
    """The names ``body`` binds to ``name``'s object or a part of it, directly or through another such name
    (``node = cfg["sched"]``, ``for section in cfg.values()``, ``node = node[key]``); ``name`` not included."""
    aliases = {name}
    for _ in range(3):
        pending, before = [body], len(aliases)
        while pending:
            node = pending.pop()
            if (isinstance(node, cst.Assign) and len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name)
                    and _held_root(node.value) in aliases):
                aliases.add(node.targets[0].target.value)
            elif isinstance(node, cst.For) and isinstance(node.target, cst.Name) and _held_root(node.iter) in aliases:
                aliases.add(node.target.value)
            pending.extend(node.children)
        if len(aliases) == before:
            break
    return aliases - {name}


def _writes_through(node: cst.CSTNode, aliases: set[str]) -> bool:
    """Whether ``node`` assigns an attribute or item of one of ``aliases``, or calls a changing method on one."""
    if isinstance(node, (cst.AssignTarget, cst.AugAssign, cst.AnnAssign)):
        return isinstance(node.target, (cst.Attribute, cst.Subscript)) and _root_name(node.target) in aliases
    return (isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and _mutating(node.func.attr.value)
            and _root_name(node.func.value) in aliases)


def _mutating(method: str) -> bool:
    return method.lstrip("_").startswith(MUTATING_PREFIXES)


def _set_by_name(call: cst.Call) -> frozenset[str] | None:
    """The attribute ``setattr(obj, "lr", ...)`` (or ``object.__setattr__``) sets, when spelled out; else None."""
    name = call.args[1].value if len(call.args) > 1 else None
    return (frozenset({name.evaluated_value}) if isinstance(name, cst.SimpleString)
            and isinstance(name.evaluated_value, str) else None)


def _method_named(func: cst.BaseExpression) -> cst.BaseExpression:
    """What a call's ``func`` names: ``obj.extend`` for ``getattr(obj, "extend")``, else ``func`` itself."""
    if (isinstance(func, cst.Call) and isinstance(func.func, cst.Name) and func.func.value == "getattr"
            and len(func.args) >= 2 and isinstance(func.args[1].value, cst.SimpleString)
            and isinstance(name := func.args[1].value.evaluated_value, str) and name.isidentifier()):
        return cst.Attribute(value=func.args[0].value, attr=cst.Name(name))
    return func


def _parameter_changes(function: cst.FunctionDef, index: int, argument: cst.Arg) -> frozenset[str] | None:
    """The attributes ``function``'s body changes on the object its call passes as ``argument`` (the
    ``index``-th): those it assigns (``config.lr = ...``), through a changing method of one (``config.opt.update``);
    None when it may change any (a changing method on it, ``setattr``, ``vars``/``__dict__``, an argument it cannot
    match to a parameter); empty when none."""
    params = [*function.params.posonly_params, *function.params.params]
    if argument.keyword is not None:
        named = [param for param in (*params, *function.params.kwonly_params)
                 if param.name.value == argument.keyword.value]
    else:
        named = params[index:index + 1]
    if not named:
        return None
    parameter = named[0].name.value
    aliases = _local_aliases(function.body, parameter)
    changed: set[str] = set()
    pending = [function.body]
    while pending:
        node = pending.pop()
        if _writes_through(node, aliases):
            return None
        if isinstance(node, (cst.AssignTarget, cst.AugAssign, cst.AnnAssign)):
            targets = [node.target]
            while targets:
                target = targets.pop()
                if isinstance(target, (cst.Tuple, cst.List)):
                    targets += [element.value for element in target.elements]
                elif isinstance(target, (cst.Attribute, cst.Subscript)) and _vars_of(target) == parameter:
                    return None
                elif isinstance(target, (cst.Attribute, cst.Subscript)) and _root_name(target) == parameter:
                    changed.add(_first_key(target))
        if isinstance(node, cst.Call):
            func = node.func
            if isinstance(func, cst.Attribute) and _mutating(func.attr.value) and parameter in (
                    _root_name(func.value), _vars_of(func.value)):
                key = _first_key(func.value) if _vars_of(func.value) is None else None
                if key is None:
                    return None
                changed.add(key)
            if isinstance(func, cst.Name) and func.value == "setattr" and any(
                    isinstance(arg.value, cst.Name) and arg.value.value == parameter for arg in node.args):
                return None
        pending.extend(node.children)
    return frozenset(changed)


@dataclass(frozen=True)
class _Chain:
    """An attribute or item chain on a name, ``root`` then each ``.attr`` or ``[key]`` as written."""

    root: str
    parts: tuple[str, ...]

    @classmethod
    def of(cls, chain: cst.BaseExpression, code) -> _Chain:
        parts = []
        while isinstance(chain, (cst.Attribute, cst.Subscript)):
            inner = chain.value
            parts.append(_written_text(code(chain))[len(_written_text(code(inner))):])
            chain = inner
        return cls(cst.ensure_type(chain, cst.Name).value, tuple(reversed(parts)))

    @property
    def text(self) -> str:
        return self.root + "".join(self.parts)

    @property
    def key(self) -> str | None:
        """What ``_first_key`` gives for this chain: the first attribute or item after the root."""
        if not self.parts:
            return None
        first = self.parts[0]
        return first[1:] if first.startswith(".") else first[1:-1].strip()

    def prefixes(self) -> list[str]:
        """The chain's text and that of each object on its way, longest first, down to the root name."""
        return [self.root + "".join(self.parts[:length]) for length in range(len(self.parts), -1, -1)]


def _first_key(chain: cst.BaseExpression) -> str | None:
    """The attribute (or item) of the root name a chain goes through first: ``lr`` of ``args.lr`` and
    ``cfg.lr.base``, ``"lr"`` of ``cfg["lr"]``; None for the name itself."""
    first = None
    while isinstance(chain, (cst.Attribute, cst.Subscript)):
        first = chain
        chain = chain.value
    if isinstance(first, cst.Attribute):
        return first.attr.value
    if isinstance(first, cst.Subscript):
        return _written_text(cst.Module([]).code_for_node(first.slice[0].slice).strip())
    return None


def _attributes_read(node: cst.CSTNode) -> list[cst.Attribute | cst.Subscript]:
    """The outermost attribute and item chains ``node`` reads on a name (``args.epochs`` in ``args.epochs *
    len(loader)``, ``cfg["lr"]``)."""
    found, pending = [], [node]
    while pending:
        current = pending.pop()
        if isinstance(current, (cst.Attribute, cst.Subscript)) and _root_name(current) is not None:
            found.append(current)
            if isinstance(current, cst.Subscript):
                pending.extend(element.slice for element in current.slice)
            continue
        pending.extend(current.children)
    return found


def _vars_of(node: cst.BaseExpression) -> str | None:
    """``args`` of a chain through ``vars(args)`` or ``args.__dict__`` (``vars(args)["lr"]``,
    ``args.__dict__.update``): what is changed through it is an attribute of ``args``."""
    while isinstance(node, (cst.Attribute, cst.Subscript)):
        if isinstance(node, cst.Attribute) and node.attr.value == "__dict__":
            return _root_name(node.value)
        node = node.value
    if (isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value == "vars"
            and len(node.args) == 1 and isinstance(node.args[0].value, cst.Name)):
        return node.args[0].value.value
    return None


def _root_name(node: cst.BaseExpression) -> str | None:
    """``args`` of ``args.opt.lr`` or ``cfg["opt"]["lr"]``; None when the chain starts elsewhere (a call)."""
    while isinstance(node, (cst.Attribute, cst.Subscript)):
        node = node.value
    return node.value if isinstance(node, cst.Name) else None


def _written_text(code: str) -> str:
    """An attribute or item chain's text as it is compared: one quote style for string keys."""
    return code.replace("'", '"')


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
