"""The module's functions, who calls them, and the route from a statement to a site through those calls."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass

import libcst as cst

from migrate.analysis import Analysis, atom, child_nodes, names_in
from migrate.program.flow import Follower, Tracked, unpacked_pairs

FRAMES = (cst.FunctionDef, cst.Lambda, cst.Module)
MAX_CALL_DEPTH = 8


@dataclass(frozen=True)
class Hop:
    """One step of a route: ``node`` inside ``function``. Every hop but the last is a call; its ``arguments`` give
    the called function's parameters as argument texts in this hop's terms (parameter name → text)."""

    node: cst.CSTNode
    function: cst.CSTNode
    arguments: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Route:
    """How a site is reached from a frame: the hops from the frame's own statement down to the site."""

    hops: tuple[Hop, ...]

    @property
    def anchor(self) -> cst.CSTNode:
        """The node in the frame itself: the site, or the call that leads to it."""
        return self.hops[0].node

    @property
    def through_calls(self) -> bool:
        return len(self.hops) > 1


class Program:
    """Questions about the whole module: built once per file from the analysis the rules already share."""

    def __init__(self, analysis: Analysis):
        self.analysis = analysis
        self._calls: dict[int, list[cst.Call]] | None = None
        self._callees: dict[int, cst.FunctionDef] = {}
        self._tracked: dict[int, Tracked] = {}

    @functools.cached_property
    def stated(self) -> tuple[tuple[str, object], ...]:
        """The values the program states for unknowns it does not fix (argparse defaults), for the verifier."""
        from migrate.program.values import stated_defaults

        return tuple(sorted(stated_defaults(self.analysis).items()))

    @functools.cached_property
    def definitions(self) -> dict[cst.CSTNode, tuple[tuple[str, str], ...]]:
        """Each function's names bound once to an expression, for the verifier (``migrate.program.values``)."""
        from migrate.program.values import all_definitions

        return all_definitions(self.analysis)

    def follow(self, creation: cst.Call) -> Tracked:
        """Where the object ``creation`` makes is stored, how it is used, and what else shares its places."""
        key = id(creation)
        if key not in self._tracked:
            self._tracked[key] = Follower(self, creation).run()
        return self._tracked[key]

    def origin(self, expression: cst.BaseExpression) -> cst.Call | None:
        """The call whose result ``expression`` holds: followed back through a variable bound once, a ``self``
        attribute set once, or a parameter of a function called from one place. None when that is not one call."""
        for _ in range(MAX_CALL_DEPTH):
            if isinstance(expression, cst.Call):
                return expression
            if isinstance(expression, cst.Attribute) and self.is_self(expression.value):
                stores = [node for node, is_store in self._self_attributes(expression) if is_store]
                values = [self._assigned_value(node) for node in stores]
                if len(values) != 1 or values[0] is stores[0]:
                    return None
                expression = values[0]
                continue
            if not isinstance(expression, cst.Name):
                return None
            scope = self.analysis.scopes.get(expression)
            assignments = [assignment for assignment in scope[expression.value]] if scope is not None else []
            if len(assignments) != 1 or getattr(assignments[0], "node", None) is None:
                return None
            node = assignments[0].node
            if isinstance(node, cst.Param):
                expression = self._argument_for(node)
            else:
                value = self._assigned_value(node)
                expression = value if value is not node else None
            if expression is None:
                return None
        return None

    def _argument_for(self, parameter: cst.Param) -> cst.BaseExpression | None:
        """The argument the one call of the parameter's function passes to it."""
        function = self.function_of(parameter)
        calls = self.call_sites(function) if isinstance(function, cst.FunctionDef) else []
        if len(calls) != 1:
            return None
        for argument in calls[0].args:
            found = self.parameter_for(calls[0], argument)
            if found is not None and found.value == parameter.name.value:
                return argument.value
        return None

    def function_of(self, node: cst.CSTNode) -> cst.CSTNode:
        """The function (or lambda, or the module) whose body holds ``node``; class bodies belong to the module."""
        for candidate in self.analysis.ancestors(node):
            if isinstance(candidate, FRAMES):
                return candidate
        return self.analysis.module

    def instance_of_own_class(self, expression: cst.BaseExpression) -> cst.ClassDef | None:
        """The class of this module whose instance ``expression`` holds (``scaler = Scaler()``), whatever it
        derives from: its methods do what its body says, not what a library class of the same method does."""
        built = self.origin(expression)
        return self.own_class(built.func) if built is not None else None

    def own_class(self, name: cst.BaseExpression) -> cst.ClassDef | None:
        """The class of this module ``name`` refers to (bound once, by its ``class`` statement), else None."""
        if not isinstance(name, cst.Name):
            return None
        assignments = self.analysis.bindings(self.analysis.scopes.get(name), name.value)
        node = getattr(assignments[0], "node", None) if len(assignments) == 1 else None
        return node if isinstance(node, cst.ClassDef) else None

    def class_of(self, function: cst.CSTNode) -> cst.ClassDef | None:
        parent = self.analysis.parents.get(function)
        block = self.analysis.parents.get(parent) if isinstance(parent, cst.IndentedBlock) else None
        return block if isinstance(block, cst.ClassDef) else None

    def call_sites(self, function: cst.CSTNode) -> list[cst.Call]:
        """Every call of ``function`` in the module: by its name, as ``self.<name>()`` within its class, or (for
        ``__init__``) as the call of its class."""
        if self._calls is None:
            self._index_calls()
        return self._calls.get(id(function), [])

    def callee(self, call: cst.Call) -> cst.FunctionDef | None:
        if self._calls is None:
            self._index_calls()
        return self._callees.get(id(call))

    def _index_calls(self) -> None:
        self._calls = {}
        for call in self.analysis.nodes(cst.Call):
            function = self._resolve(call)
            if function is not None:
                self._callees[id(call)] = function
                self._calls.setdefault(id(function), []).append(call)

    def _resolve(self, call: cst.Call) -> cst.FunctionDef | None:
        func = call.func
        if isinstance(func, cst.Name):
            scope = self.analysis.scopes.get(func)
            if scope is None:
                return None
            assignments = list(scope[func.value])
            node = getattr(assignments[0], "node", None) if len(assignments) == 1 else None
            if isinstance(node, cst.FunctionDef):
                return node
            if isinstance(node, cst.ClassDef) and not node.decorators:
                return _method(node, "__init__")
            return None
        if isinstance(func, cst.Attribute) and self.is_self(func.value):
            owner = self.class_of(self.function_of(call))
            return _method(owner, func.attr.value) if owner is not None else None
        return None

    def is_self(self, node: cst.CSTNode) -> bool:
        """Whether ``node`` is the first parameter of the method it appears in (``self``)."""
        if not isinstance(node, cst.Name):
            return False
        function = self.function_of(node)
        if not isinstance(function, cst.FunctionDef) or self.class_of(function) is None:
            return False
        parameters = function.params.params
        return bool(parameters) and parameters[0].name.value == node.value and not _is_static(function)

    def parameter_for(self, call: cst.Call, argument: cst.Arg) -> cst.Name | None:
        """The callee's parameter that receives ``argument``, when the callee is a function of this module."""
        function = self.callee(call)
        if function is None:
            return None
        parameters = list(function.params.params)
        if self.class_of(function) is not None and (isinstance(call.func, cst.Attribute)
                                                    or function.name.value == "__init__"):
            parameters = parameters[1:]
        if argument.keyword is not None:
            names = [parameter for parameter in (*parameters, *function.params.kwonly_params)
                     if parameter.name.value == argument.keyword.value]
            return names[0].name if names else None
        index = list(call.args).index(argument)
        if any(earlier.keyword is not None or earlier.star for earlier in call.args[:index]):
            return None
        return parameters[index].name if index < len(parameters) else None

    def arguments(self, call: cst.Call) -> tuple[tuple[str, str], ...]:
        """Parameter name → the caller's argument text, for the parameters ``call`` gives by name or position."""
        pairs = []
        for argument in call.args:
            parameter = self.parameter_for(call, argument)
            if parameter is not None:
                pairs.append((parameter.value, self.analysis.code(argument.value)))
        return tuple(pairs)

    def variable_references(self, target: cst.Name) -> list[cst.Name]:
        """Every read of the variable ``target`` binds, in its scope and the scopes nested in it."""
        scope = self.analysis.scopes.get(target)
        if scope is None:
            return []
        found: dict[int, cst.Name] = {}
        for assignment in scope[target.value]:
            if getattr(assignment, "scope", None) is not scope:
                continue
            for access in assignment.references:
                if isinstance(access.node, cst.Name):
                    found[id(access.node)] = access.node
        return sorted(found.values(), key=self.analysis.start)

    def other_values(self, target: cst.Name, statement: cst.CSTNode) -> Iterator[tuple[cst.CSTNode, cst.CSTNode]]:
        """The other assignments of the variable ``target`` binds: (statement, assigned value or binding node)."""
        scope = self.analysis.scopes.get(target)
        if scope is None:
            return
        nodes = [node for assignment in scope[target.value]
                 if (node := getattr(assignment, "node", None)) is not None and node is not target
                 and getattr(assignment, "scope", None) is scope]
        for node in sorted(nodes, key=self.analysis.start):
            where = self._statement_or_node(node)
            if where is statement:
                continue
            yield where, self._assigned_value(node)

    def attribute_references(self, target: cst.Attribute) -> list[cst.Attribute]:
        """Every read of ``self.<attr>`` in the methods of the class that assigns ``target``."""
        return [node for node, is_store in self._self_attributes(target) if not is_store]

    def other_attribute_values(self, target: cst.Attribute,
                               statement: cst.CSTNode) -> Iterator[tuple[cst.CSTNode, cst.CSTNode]]:
        for node, is_store in self._self_attributes(target):
            if is_store and node is not target:
                yield self.analysis.statement(node), self._assigned_value(node)

    def _self_attributes(self, target: cst.Attribute) -> list[tuple[cst.Attribute, bool]]:
        owner = self.class_of(self.function_of(target))
        if owner is None:
            return []
        return [(node, self._is_store(node)) for node in self._class_attributes(owner, target.attr.value)]

    def in_method_terms(self, text: str, method: cst.CSTNode, evaluated: bool = False,
                        written_at: cst.CSTNode | None = None) -> tuple[str, list[cst.CSTNode]] | None:
        """``text`` with each ``self.x`` replaced by the value ``method`` stores in it, and those values (what the
        text now reads). None when a ``self.x`` is not stored exactly once in the class, by a statement of
        ``method``'s own body, or an ``x`` of another object is assigned in the module (``trainer.epochs = 6``,
        maybe this instance): its value where ``method`` runs is not visible then. When the text is to be
        ``evaluated`` (written into the program), None for a value that evaluating again may change
        (``_builds_anew``), but for a loader whose length is fixed when it is stored (``_sized_loader``), which
        stays ``self.x``, the one object the store made, and is written into the program only ``written_at`` a
        statement of the same body after that store, where ``self.x`` already holds it."""
        owner = self.class_of(method) if isinstance(method, cst.FunctionDef) else None
        expression = cst.parse_expression(text)
        wanted = _SelfAttributes()
        expression.visit(wanted)
        if not wanted.names:
            return text, []
        if owner is None:
            return None
        values: dict[str, cst.BaseExpression] = {}
        for name in wanted.names:
            stores = [node for node in self._class_attributes(owner, name) if self._is_store(node)]
            line = self.analysis.statement(stores[0]) if len(stores) == 1 else None
            if line is None or self.analysis.parents.get(line) is not method.body:
                return None
            if self.analysis.attribute_set_from_outside(name):
                return None
            value = self._assigned_value(stores[0])
            if value is stores[0]:
                return None
            if self._builds_anew(value):
                after_the_store = (written_at is not None and self.analysis.parents.get(written_at) is method.body
                                   and self.analysis.end(line) <= self.analysis.start(written_at))
                if self._sized_loader(owner, name, value) and (after_the_store or not evaluated):
                    continue
                if evaluated:
                    return None
            values[name] = value
        replaced = expression.visit(_SelfSubstitution({name: cst.parse_expression(atom(self.analysis.code(value)))
                                                       for name, value in values.items()}))
        return cst.Module(body=[]).code_for_node(replaced), list(values.values())

    def _sized_loader(self, owner: cst.ClassDef, name: str, value: cst.BaseExpression) -> bool:
        """Whether an attribute ``name`` stored from ``value`` keeps the length it had when stored, so that
        ``len(self.x)`` read after the store is the length every later pass over it has: a ``DataLoader`` of a
        dataset built in the same call (nothing else holds it), reading nothing of ``self``, nothing assigned or
        resized through it anywhere (``t.loader.dataset.tensors = ...``), in a class no class of the module derives
        from (a subclass may store another loader), in a module that does not reach attributes by name
        (``vars()``, ``__dict__``, ``setattr``)."""
        if not (isinstance(value, cst.Call) and self.analysis.names_of(value.func) & SIZED_LOADERS):
            return False
        dataset = next((argument.value for argument in value.args
                        if argument.keyword is None and not argument.star
                        or argument.keyword is not None and argument.keyword.value == "dataset"), None)
        if not isinstance(dataset, cst.Call) or any(name.value == "self" for name in names_in(value)):
            return False
        derived = any(isinstance(base.value, cst.Name) and base.value.value == owner.name.value
                      for node in self.analysis.module.body for base in getattr(node, "bases", ()))
        return (not derived and not self.analysis.reaches_attributes_by_name
                and not self.analysis.written_through_attribute(name))

    def _builds_anew(self, value: cst.BaseExpression) -> bool:
        """Whether evaluating ``value`` again may not give the same object or count: it calls something other than
        a builtin that only reads (``DataLoader(list(stream))`` consumes a generator, ``torch.randn`` draws)."""
        return any(not self.analysis.names_of(call.func) & READING_CALLS for call in calls_in(value))

    def in_instance_terms(self, text: str, method: cst.CSTNode,
                          frame: cst.CSTNode, evaluated: bool = False) -> tuple[str, list[cst.CSTNode]] | None:
        """``text``, written in a method, in the terms of ``frame``, which builds the one instance of its class
        (``trainer = Trainer(model, loader, epochs=10)``) and calls ``method`` on it once, outside any loop: each
        ``self.x`` replaced by what ``__init__`` stores in it, written with the constructor's arguments (or a
        parameter's literal default), and the arguments it now reads. None when that is not visible: a ``self.x``
        stored other than once in ``__init__``'s own body, a value reading ``__init__``'s locals, an attribute of the
        instance set from outside, or ``method`` called otherwise."""
        construction = self.construction_in(method, frame)
        if construction is None or not self._called_once_on(construction, method):
            return None
        init = self.callee(construction)
        moved = self.in_method_terms(text, init, evaluated)
        if moved is None:
            return None
        arguments = dict(self.arguments(construction))
        for parameter in (*init.params.params[1:], *init.params.kwonly_params):
            if parameter.name.value not in arguments and parameter.default is not None \
                    and not names_in(parameter.default):
                arguments[parameter.name.value] = self.analysis.code(parameter.default)
        own = init.params.params[0].name.value if init.params.params else None
        read = {name.value for name in names_in(cst.parse_expression(moved[0]))}
        if (own in read or reads_locals(moved[0], init, arguments, method=True)
                or shadows_globals(text, method, frame) or shadows_globals(moved[0], init, frame)):
            return None
        given = [argument.value for argument in construction.args
                 if (parameter := self.parameter_for(construction, argument)) is not None and parameter.value in read]
        text = substituted(moved[0], {name: value for name, value in arguments.items() if name in read})
        return cst.Module(body=[]).code_for_node(cst.parse_expression(text).visit(_FoldedOffsets())), given

    def construction_in(self, method: cst.CSTNode, frame: cst.CSTNode) -> cst.Call | None:
        """The one construction of ``method``'s class in the module, when ``frame`` makes it."""
        owner = self.class_of(method) if isinstance(method, cst.FunctionDef) else None
        init = _method(owner, "__init__") if owner is not None else None
        calls = self.call_sites(init) if init is not None else []
        return calls[0] if len(calls) == 1 and self.function_of(calls[0]) is frame else None

    def _called_once_on(self, construction: cst.Call, method: cst.FunctionDef) -> bool:
        """``method`` is called on the instance ``construction`` builds once, in no loop of its own: right on it
        (``Trainer(...).fit()``), or on the name it is bound to, whose every use calls a method (none sets an
        attribute)."""
        parent = self.analysis.parents.get(construction)
        called = self.analysis.parents.get(parent)
        if isinstance(parent, cst.Attribute) and isinstance(called, cst.Call) and called.func is parent:
            return parent.attr.value == method.name.value
        if not (isinstance(parent, cst.Assign) and len(parent.targets) == 1
                and isinstance(parent.targets[0].target, cst.Name)):
            return False
        calls = []
        for use in self.variable_references(parent.targets[0].target):
            attribute = self.analysis.parents.get(use)
            call = self.analysis.parents.get(attribute)
            if not (isinstance(attribute, cst.Attribute) and isinstance(call, cst.Call) and call.func is attribute):
                return False
            if attribute.attr.value == method.name.value:
                calls.append(call)
        return len(calls) == 1 and self.analysis.loops(calls[0]) == self.analysis.loops(construction)

    def _class_attributes(self, owner: cst.ClassDef, name: str) -> list[cst.Attribute]:
        collector = _Attributes(name)
        owner.visit(collector)
        return [node for node in collector.found if self.is_self(node.value)]

    def _is_store(self, node: cst.Attribute) -> bool:
        """Whether ``node`` is bound here: an assignment's target (or one of its unpacked targets), a ``for`` or
        comprehension target, a ``with ... as`` name, or deleted."""
        parent = self.analysis.parents.get(node)
        if isinstance(parent, cst.Element) and self._unpacked_value(node) is not None:
            return True
        target, holder = node, parent
        while isinstance(holder, (cst.Element, cst.Tuple, cst.List)):
            target, holder = holder, self.analysis.parents.get(holder)
        return (isinstance(holder, (cst.AssignTarget, cst.AnnAssign, cst.AugAssign, cst.For, cst.CompFor, cst.Del))
                and holder.target is target or isinstance(holder, cst.AsName) and holder.name is target)

    def _unpacked_value(self, node: cst.CSTNode) -> cst.CSTNode | None:
        """For ``self.a, self.b = a, b``: the value at ``node``'s place in the tuple on the right."""
        target = self.analysis.parents.get(self.analysis.parents.get(node))
        pairs = unpacked_pairs(self.analysis.parents.get(self.analysis.parents.get(target)))
        return next((value for left, value in pairs or () if left is node), None)

    def _assigned_value(self, node: cst.CSTNode) -> cst.CSTNode:
        if (unpacked := self._unpacked_value(node)) is not None:
            return unpacked
        parent = self.analysis.parents.get(node)
        if isinstance(parent, cst.AssignTarget):
            assign = self.analysis.parents.get(parent)
            if isinstance(assign, cst.Assign) and parent.target is node:
                return assign.value
        if isinstance(parent, cst.AnnAssign) and parent.target is node and parent.value is not None:
            return parent.value
        return node

    def _statement_or_node(self, node: cst.CSTNode) -> cst.CSTNode:
        try:
            return self.analysis.statement(node)
        except ValueError:
            return node

    def route(self, site: cst.CSTNode, frame: cst.CSTNode) -> Route | None:
        """The hops from ``frame`` to ``site``: each function on the way must be called from exactly one place, so
        the count of its executions is the count of that call's; None when the site is not reached that way."""
        hops = []
        node, function, arguments = site, self.function_of(site), ()
        for _ in range(MAX_CALL_DEPTH):
            hops.append(Hop(node, function, arguments))
            if function is frame:
                return Route(tuple(reversed(hops)))
            calls = self.call_sites(function)
            if len(calls) != 1:
                return None
            node, arguments = calls[0], self.arguments(calls[0])
            function = self.function_of(node)
        return None

    def loops(self, route: Route) -> list[tuple[cst.CSTNode, Hop]]:
        """The loops around the route's hops, outermost first, each with the hop whose function holds it."""
        return [(loop, hop) for hop in route.hops for loop in self.analysis.loops(hop.node)]

    def guards(self, route: Route, stop: cst.CSTNode | None) -> list[cst.CSTNode]:
        """Control flow that can skip the site: in the frame up to ``stop``, and anywhere in the called functions."""
        found = list(self.analysis.guards(route.anchor, stop)) if stop is not None else []
        for hop in route.hops[1:]:
            found += self.analysis.guards(hop.node, hop.function)
        return found

    def in_frame_terms(self, text: str, route: Route, hop: Hop) -> str | None:
        """``text``, written in ``hop``'s function, in the frame's terms: the parameters replaced by the callers'
        arguments hop by hop. None when it reads a local of a called function, a parameter no caller gives, or a
        global a caller binds to a value of its own."""
        index = route.hops.index(hop)
        for caller in reversed(route.hops[:index]):
            inner = route.hops[route.hops.index(caller) + 1].function
            arguments = dict(caller.arguments)
            if (reads_locals(text, inner, arguments, method=self.class_of(inner) is not None)
                    or shadows_globals(text, inner, caller.function)):
                return None
            text = substituted(text, arguments)
        return text


#: Calls a definition may make: they read their arguments and change nothing, so the value is the same wherever the
#: verifier reads it (``total_steps = args.epochs * len(loader)``).
READING_CALLS = {"builtins.len", "builtins.int", "builtins.float", "builtins.min", "builtins.max", "builtins.abs",
                 "builtins.round", "math.ceil", "math.floor"}


def calls_in(node: cst.CSTNode) -> list[cst.Call]:
    """Every call ``node`` makes, nested ones included, in the order a visitor meets them (found by a walk over the
    nodes' fields: a visitor pass rebuilds every node)."""
    found: list[cst.Call] = []
    pending: list[cst.CSTNode] = [node]
    while pending:
        current = pending.pop()
        if type(current) is cst.Call:
            found.append(current)
        pending.extend(reversed(child_nodes(current)))
    return found


def own_returns(node: cst.CSTNode) -> list[cst.Return]:
    """The ``return`` statements in ``node`` that return from its function (none of a function defined inside)."""
    finder = _Returns()
    node.visit(finder)
    return finder.found


def _method(owner: cst.ClassDef, name: str) -> cst.FunctionDef | None:
    for statement in owner.body.body:
        if isinstance(statement, cst.FunctionDef) and statement.name.value == name:
            return statement
    return None


def _is_static(function: cst.FunctionDef) -> bool:
    return any(isinstance(decorator.decorator, cst.Name) and decorator.decorator.value == "staticmethod"
               for decorator in function.decorators)


class _FoldedOffsets(cst.CSTTransformer):
    """``(n + 1) - 1`` → ``n``: a loop over ``range(self.start, self.n + 1)`` counted once the start is known."""

    def leave_BinaryOperation(self, original, updated):
        inner = updated.left
        if (isinstance(updated.operator, cst.Subtract) and isinstance(inner, cst.BinaryOperation)
                and isinstance(inner.operator, cst.Add) and isinstance(updated.right, cst.Integer)
                and isinstance(inner.right, cst.Integer) and inner.right.value == updated.right.value):
            kept = inner.left
            atomic = isinstance(kept, (cst.Name, cst.Attribute, cst.Call, cst.Subscript, cst.Integer, cst.Float))
            return kept if atomic or kept.lpar else kept.with_changes(lpar=updated.lpar, rpar=updated.rpar)
        return updated


def substituted(text: str, arguments: dict[str, str]) -> str:
    """``text`` with the names in ``arguments`` (a callee's parameters, a function's definitions) replaced by their
    expressions."""
    if not arguments:
        return text
    replacements = {name: cst.parse_expression(atom(value)) for name, value in arguments.items()}
    replaced = cst.parse_expression(text).visit(_Substitution(replacements))
    return cst.Module(body=[]).code_for_node(replaced)


def reads_locals(text: str, function: cst.CSTNode, arguments: dict[str, str], method: bool) -> bool:
    """Whether ``text`` reads a name bound inside ``function`` that the caller does not give (a local, or a
    parameter left to its default) or that the body binds again (a parameter rebound, ``dataloaders = {...}``);
    ``self`` of a method called as ``self.m()`` means the same object."""
    if not isinstance(function, cst.FunctionDef):
        return False
    parameters = [parameter.name.value for parameter in function.params.params]
    own = parameters[0] if parameters and method else None
    bound, rebound = bound_names(function), body_bindings(function)
    return any(name.value != own and (name.value in bound and name.value not in arguments or name.value in rebound)
               for name in names_in(cst.parse_expression(text)))


def shadows_globals(text: str, inner: cst.CSTNode, outer: cst.CSTNode) -> bool:
    """Whether ``text``, written in ``inner``, reads a global that ``outer`` binds locally: moved into ``outer`` it
    would read that local instead."""
    if not isinstance(outer, cst.FunctionDef):
        return False
    own = bound_names(inner) if isinstance(inner, cst.FunctionDef) else set()
    return bool(({name.value for name in names_in(cst.parse_expression(text))} - own) & bound_names(outer))


def body_bindings(function: cst.FunctionDef) -> set[str]:
    """The names a function's body binds (assignments, loop targets), not counting nested functions."""
    collector = _Bound()
    function.body.visit(collector)
    return collector.names


def bound_names(function: cst.FunctionDef) -> set[str]:
    """The names a function binds: its parameters and what its body binds."""
    return body_bindings(function) | {parameter.name.value for parameter in (*function.params.params,
                                                                             *function.params.kwonly_params)}


class _Returns(cst.CSTVisitor):
    def __init__(self):
        self.found: list[cst.Return] = []

    def visit_Return(self, node: cst.Return) -> None:
        self.found.append(node)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False


class _Attributes(cst.CSTVisitor):
    def __init__(self, name: str):
        self.name = name
        self.found: list[cst.Attribute] = []

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if node.attr.value == self.name:
            self.found.append(node)


class _SelfAttributes(cst.CSTVisitor):
    def __init__(self):
        self.names: list[str] = []

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if isinstance(node.value, cst.Name) and node.value.value == "self" and node.attr.value not in self.names:
            self.names.append(node.attr.value)


SIZED_LOADERS = frozenset({"torch.utils.data.DataLoader", "torch.utils.data.dataloader.DataLoader"})
"""Loaders whose length is fixed by the dataset and batching they are built with."""


class _SelfSubstitution(cst.CSTTransformer):
    def __init__(self, values: dict[str, cst.BaseExpression]):
        super().__init__()
        self.values = values

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
        if isinstance(original.value, cst.Name) and original.value.value == "self" and original.attr.value in self.values:
            return self.values[original.attr.value]
        return updated


class _Bound(cst.CSTVisitor):
    def __init__(self):
        self.names: set[str] = set()

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self.names |= {name.value for name in names_in(node.target)}

    def visit_For(self, node: cst.For) -> None:
        self.names |= {name.value for name in names_in(node.target)}

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False


class _Substitution(cst.CSTTransformer):
    def __init__(self, arguments: dict[str, cst.BaseExpression]):
        super().__init__()
        self.arguments = arguments

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.Attribute:
        return updated.with_changes(attr=original.attr)

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.BaseExpression:
        replacement = self.arguments.get(original.value)
        return replacement if replacement is not None else updated

    def leave_Arg(self, original: cst.Arg, updated: cst.Arg) -> cst.Arg:
        """A call's argument needs no parentheses around an operation (``int(n * k)``, not ``int((n * k))``)."""
        value = updated.value
        if (isinstance(original.value, cst.Name) and original.value.value in self.arguments and not updated.star
                and isinstance(value, (cst.BinaryOperation, cst.UnaryOperation)) and len(value.lpar) == 1):
            return updated.with_changes(value=value.with_changes(lpar=[], rpar=[]))
        return updated
