"""How a MindSpore per-step list reaches its optimizer: through float wrappers (``Tensor``, ``np.array``,
``astype``), names bound once, ``self`` attributes, a ``warmup_lr`` list summed before it, a resume slice or a param
group's ``"lr"``, to the ``learning_rate`` of one or several mapped optimizers; every other use refused at its line.

``ListDelivery`` is the part of ``ListSite`` (``migrate/bridge/list_to_scheduler.py``) that follows the list.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst
from libcst.metadata import Assignment

from migrate.analysis import atom, bind, child_nodes, difference
from migrate.bridge.list_texts import dict_key, written_into, written_into_refusal
from migrate.bridge.optimizers import Mapping as OptimizerMapping
from migrate.bridge.optimizers import towards
from migrate.rule import Refused, blocking

OPTIMIZERS = towards("torch")
TENSORS = {"mindspore.Tensor", "mindspore.common.Tensor", "mindspore.common.tensor.Tensor"}
ARRAYS = {"numpy.array", "numpy.asarray"}
WARMUP = {"mindspore.nn.warmup_lr", "mindspore.nn.dynamic_lr.warmup_lr"}
WARMUP_SIGNATURE = ("learning_rate", "total_step", "step_per_epoch", "warmup_epoch")


@dataclass(frozen=True)
class Warmup:
    """``warmup_lr(...)`` concatenated before the list (``warmup + lr``): its call, its arguments, and the line
    that binds it to a name when it is not written in the sum itself."""

    call: cst.Call
    arguments: dict
    line: cst.SimpleStatementLine | None


@dataclass(frozen=True)
class HandWarmup:
    """A warmup written out, ``[element for index in range(length)]`` (model zoos' per-step ramps, ``[lr * (i + 1) /
    warmup_steps for i in range(warmup_steps)]``), concatenated before the list: the comprehension, its variable,
    element and length, and the line that binds it to a name when it is not written in the sum itself."""

    comprehension: cst.ListComp | cst.GeneratorExp
    index: str
    element: cst.BaseExpression
    bounds: tuple[cst.BaseExpression, ...]
    line: cst.SimpleStatementLine | None
    element_text: str
    """The element counted from 0 (``range(1, n + 1)``'s ``i`` written ``(i + 1)``)."""
    length: str

    @property
    def call(self) -> cst.ListComp | cst.GeneratorExp:
        """Where the warmup is, for messages (a ``warmup_lr`` call's place)."""
        return self.comprehension


@dataclass
class Delivery:
    """The path of the list to its optimizer: the statements that only carry it, and the optimizer's construction."""

    carriers: list[cst.SimpleStatementLine]
    optimizer_call: cst.Call
    optimizer_line: cst.SimpleStatementLine
    optimizer_name: cst.Name | cst.Attribute
    mapping: OptimizerMapping

    @property
    def owner(self) -> str | None:
        """``self`` when the optimizer is an attribute of the instance (``self.optimizer``), else None."""
        target = self.optimizer_name
        return target.value.value if isinstance(target, cst.Attribute) else None


class ListDelivery:
    """The part of ``ListSite`` that follows the list to the optimizers that take it, recording on the site what it
    meets on the way: a warmup summed before it, a resume slice, ``lr[step]`` reads, the other optimizers it feeds."""

    def _delivery(self) -> Delivery:
        arg, carriers = self._follow(self.list_node)
        optimizer_call = self.analysis.parents[arg]
        mapping = OPTIMIZERS[next(iter(sorted(self.analysis.names_of(optimizer_call.func) & OPTIMIZERS.keys())))]
        line, name = self._optimizer_binding(optimizer_call)
        scope, loops = self.analysis.enclosing_scope(line), self.analysis.loops(line)
        for statement in (self.analysis.statement(self.list_node), *carriers):
            if self.analysis.enclosing_scope(statement) is not scope or self.analysis.loops(statement) != loops:
                raise Refused("MIG109", f"the list is built at line {self.analysis.line(statement)} but the optimizer "
                                       f"taking it at line {self.analysis.line(line)}, in another function or loop",
                              optimizer_call)
        return Delivery(carriers, optimizer_call, line, name, mapping)

    def _other_deliveries(self) -> list[Delivery]:
        """The other optimizers the list itself feeds (``optimizer_g`` and ``optimizer_d`` of a GAN), each built in
        the list's function and loop like the first."""
        deliveries = []
        for use in self.other_uses:
            arg, carriers = self._follow(use)
            optimizer_call = self.analysis.parents[arg]
            mapping = OPTIMIZERS[next(iter(sorted(self.analysis.names_of(optimizer_call.func) & OPTIMIZERS.keys())))]
            line, name = self._optimizer_binding(optimizer_call)
            if (self.analysis.enclosing_scope(line) is not self.analysis.enclosing_scope(self.list_node)
                    or self.analysis.loops(line) != self.analysis.loops(self.list_node)):
                raise Refused("MIG109", f"the list also feeds the optimizer at line {self.analysis.line(line)}, in "
                                       "another function or loop", optimizer_call)
            deliveries.append(Delivery(carriers, optimizer_call, line, name, mapping))
        return deliveries

    def _follow(self, node: cst.BaseExpression) -> tuple[cst.Arg, list[cst.SimpleStatementLine]]:
        """From the list to the optimizer argument taking it, through float wrappers and single-use names."""
        carriers: list[cst.SimpleStatementLine] = []
        while True:
            node = self._unwrapped(node)
            parent = self.analysis.parents.get(node)
            if isinstance(parent, cst.Arg) and parent.value is node:
                return self._learning_rate_argument(parent), carriers
            if isinstance(parent, cst.DictElement) and parent.value is node and dict_key(parent) == "lr":
                return self._groups_argument(parent), carriers
            if isinstance(parent, cst.Subscript) and parent.value is node and self._resume_slice(parent):
                node = parent
                continue
            if (isinstance(parent, cst.BinaryOperation) and isinstance(parent.operator, cst.Add)
                    and parent.right is node and self.warmup is None):
                self.warmup = self._warmup(parent.left)
                if self.warmup is not None:
                    if self.warmup.line is not None:
                        carriers.append(self.warmup.line)
                        carriers.sort(key=self.analysis.start)
                    node = parent
                    continue
            if isinstance(parent, cst.Assign) and parent.value is node:
                line, name = self._carrier(parent, node)
                carriers.append(line)
                node = (self._only_attribute_use(line, name) if isinstance(name, cst.Attribute)
                        else self._only_use(line, name))
                continue
            raise self._other_use(node, parent)

    def _warmup(self, left: cst.BaseExpression) -> Warmup | HandWarmup | None:
        """``warmup_lr(...)``, or a warmup written out as a list comprehension (``HandWarmup``), or a name bound once
        to either and read only here, on the left of ``left + list``."""
        line = None
        call = left
        if isinstance(left, cst.Name):
            assignment = self.analysis.single_assignment(left)
            bound = self.analysis.assigned_value(assignment) if assignment is not None else None
            if bound is None:
                return None
            line, call = bound
        if (isinstance(call, cst.Call) and self.analysis.names_of(call.func) == {"builtins.list"}
                and len(call.args) == 1 and isinstance(call.args[0].value, (cst.ListComp, cst.GeneratorExp))):
            call = call.args[0].value
        hand = isinstance(call, (cst.ListComp, cst.GeneratorExp))
        if not hand and (not isinstance(call, cst.Call) or not self.analysis.names_of(call.func) & WARMUP):
            return None
        if isinstance(left, cst.Name):
            others = [access.node for access in assignment.references if access.node is not left]
            if others:
                raise Refused("MIG107", f"the warmup list `{left.value}` is also used at line "
                                       f"{self.analysis.line(others[0])}, so it cannot be removed with the list", left)
        if hand:
            return self._hand_warmup(call, line)
        bound = bind(call, WARMUP_SIGNATURE)
        missing = [name for name in WARMUP_SIGNATURE if name not in bound.values]
        if bound.error or missing:
            raise Refused("MIG105", "cannot read the arguments of warmup_lr: "
                                   + (bound.error or f"without {', '.join(missing)}"), call)
        return Warmup(call, dict(bound.values), line)

    def _hand_warmup(self, comprehension: cst.ListComp | cst.GeneratorExp,
                     line: cst.SimpleStatementLine | None) -> HandWarmup:
        """``[element for index in range(length)]`` (or ``range(start, stop)``, or ``list(...)`` of either) as a
        warmup: one ``for`` over ``range`` of one or two arguments, no ``if``, the variable a plain name, an element
        with no lambda or comprehension of its own. Refused (MIG118) otherwise, naming the shape that converts."""
        clause = comprehension.for_in
        iterable = clause.iter
        ranged = (isinstance(iterable, cst.Call) and self.analysis.names_of(iterable.func) == {"builtins.range"}
                  and len(iterable.args) in (1, 2)
                  and not any(argument.star or argument.keyword for argument in iterable.args))
        nested = any(isinstance(node, (cst.Lambda, cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp))
                     for node in _subtree(comprehension.elt))
        if (clause.inner_for_in is not None or clause.ifs or clause.asynchronous is not None
                or not isinstance(clause.target, cst.Name) or not ranged or nested):
            raise Refused("MIG118", f"the warmup list at line {self.analysis.line(comprehension)} is "
                                   f"`{self.analysis.code(comprehension)}`; a warmup written out converts as one "
                                   "`[expression for i in range(n)]`, one element per optimizer step", comprehension)
        index = clause.target.value
        bounds = tuple(argument.value for argument in iterable.args)
        element = self.analysis.code(comprehension.elt)
        length = self.analysis.code(bounds[0])
        if len(bounds) == 2:
            start = self.analysis.code(bounds[0])
            element = cst.Module([]).code_for_node(
                comprehension.elt.visit(_Renamed(index, cst.parse_expression(f"({index} + {atom(start)})"))))
            length = difference(self.analysis.code(bounds[1]), start)
        return HandWarmup(comprehension, index, comprehension.elt, bounds, line, element, length)

    def _unwrapped(self, node: cst.BaseExpression) -> cst.BaseExpression:
        """The outermost of ``Tensor(node[, float32])``, ``np.array(node[, dtype])``, ``….astype(np.float32)``.

        A MindSpore optimizer turns any of them into the same float32 tensor it makes from the list itself.
        """
        while True:
            arg = self.analysis.parents.get(node)
            call = self.analysis.parents.get(arg) if isinstance(arg, cst.Arg) else None
            if (isinstance(call, cst.Call) and call.args[0] is arg and arg.keyword is None and not arg.star
                    and self.analysis.names_of(call.func) & (TENSORS | ARRAYS)
                    and len(call.args) <= 2 and all(self._float_dtype(other) for other in call.args[1:])):
                node = call
                continue
            attribute = self.analysis.parents.get(node)
            call = self.analysis.parents.get(attribute) if isinstance(attribute, cst.Attribute) else None
            if (isinstance(call, cst.Call) and call.func is attribute and attribute.value is node
                    and attribute.attr.value == "astype" and isinstance(node, cst.Call)
                    and self.analysis.names_of(node.func) & ARRAYS
                    and len(call.args) == 1 and self._float_dtype(call.args[0])):
                node = call
                continue
            return node

    def _float_dtype(self, argument: cst.Arg) -> bool:
        if argument.star or (argument.keyword is not None and argument.keyword.value != "dtype"):
            return False
        for name in self.analysis.names_of(argument.value):
            package, _, leaf = name.partition(".")
            if name == "builtins.float" or (package in ("mindspore", "numpy")
                                            and leaf.rsplit(".", 1)[-1] in ("float32", "float64")):
                return True
        return False

    def _learning_rate_argument(self, arg: cst.Arg) -> cst.Arg:
        call = self.analysis.parents[arg]
        index = next(index for index, candidate in enumerate(call.args) if candidate is arg)
        slot = arg.keyword.value if arg.keyword is not None else ("learning_rate" if index == 1 else None)
        names = self.analysis.names_of(call.func)
        function = self.analysis.code(call.func)
        if slot == "learning_rate" and names & OPTIMIZERS.keys():
            return arg
        if slot == "learning_rate" and any(name.startswith("mindspore.nn.") for name in names):
            raise Refused("MIG103", f"{function} has no torch mapping here (only SGD, Momentum, Adam and "
                                   "AdamWeightDecay), and a torch scheduler needs a torch optimizer", call)
        raise Refused("MIG107", f"the list is passed to `{function}(...)` at line {self.analysis.line(call)}; a "
                               "torch scheduler cannot stand in for it there", call)

    def _carrier(self, assign: cst.Assign, value: cst.BaseExpression) -> tuple[cst.SimpleStatementLine, cst.Name]:
        line = self.analysis.parents.get(assign)
        target = assign.targets[0].target if len(assign.targets) == 1 else None
        simple = isinstance(line, cst.SimpleStatementLine) and len(line.body) == 1
        if simple and isinstance(target, cst.Attribute) and self.program.is_self(target.value):
            return line, target
        if not isinstance(target, cst.Name) or not simple:
            raise Refused("MIG107", "the list is stored in something other than one variable or one attribute of "
                                   "self, so its uses cannot be followed", value)
        return line, target

    def _only_attribute_use(self, line: cst.SimpleStatementLine, target: cst.Attribute) -> cst.Attribute:
        """The one read of ``self.<attr>`` in its class, which stores it only at ``line``."""
        attribute = self.analysis.code(target)
        for statement, _ in self.program.other_attribute_values(target, line):
            raise Refused("MIG107", f"`{attribute}` is also assigned at line {self.analysis.line(statement)}, so the "
                                   "list cannot be followed to its use", statement)
        reads = self.program.attribute_references(target)
        if len(reads) == 1:
            return reads[0]
        if not reads:
            raise Refused("MIG107", f"the list `{attribute}` is never given to an optimizer here")
        lines = ", ".join(str(self.analysis.line(read)) for read in reads)
        raise Refused("MIG107", f"the list `{attribute}` is read at lines {lines}; a torch scheduler can stand in for "
                               "it only where one optimizer takes it", reads[1])

    def _holds_the_list(self, line: cst.SimpleStatementLine) -> bool:
        """Whether ``line`` binds the list function's own list (not a Tensor made from it)."""
        return line.body[0].value is self.list_node

    def _indexed_by_name(self, use: cst.Name) -> bool:
        """``lr[step]``: one element read at a variable index (a candidate for the optimizer's current lr)."""
        parent = self.analysis.parents.get(use)
        return (isinstance(parent, cst.Subscript) and parent.value is use and len(parent.slice) == 1
                and isinstance(parent.slice[0].slice, cst.Index) and isinstance(parent.slice[0].slice.value, cst.Name)
                and not isinstance(self.analysis.parents.get(parent), (cst.AssignTarget, cst.Del, cst.AugAssign)))

    def _only_use(self, line: cst.SimpleStatementLine, name: cst.Name) -> cst.Name:
        """The one read of the value ``line`` binds to ``name``, up to the next assignment of the name."""
        scope = self.analysis.scopes[name]
        assignments = sorted((assignment for assignment in scope[name.value] if isinstance(assignment, Assignment)),
                             key=lambda assignment: self.analysis.start(assignment.node))
        unsupported = None
        if self.choice is None:
            found = self._choice(line, name, assignments)
            if isinstance(found, str):
                unsupported = found
            elif found is not None:
                self.choice = found
                return found.use
        elif any(line is chosen for chosen, _ in self.choice.lines):
            raise Refused("MIG107", f"the list reaches `{name.value}` in more than one branch of the `if` at line "
                                   f"{self.analysis.line(self.choice.conditional)} (lines "
                                   f"{', '.join(str(self.analysis.line(chosen)) for chosen, _ in self.choice.lines)}"
                                   "): the rule converts a choice whose branches each build their own list", line)
        else:
            assignments = [assignment for assignment in assignments if not self._in_choice(assignment)]
        block = self.analysis.parents[line]
        statements = []
        for assignment in assignments:
            bound = self.analysis.assigned_value(assignment) if type(assignment) is Assignment else None
            if bound is None or self.analysis.parents.get(bound[0]) is not block:
                raise Refused("MIG107", unsupported or f"`{name.value}` is also bound at line "
                                                      f"{self.analysis.line(assignment.node)}, so the list cannot be "
                                                      "followed to its use", assignment.node)
            statements.append(bound[0])
        later = sorted((s for s in statements if self.analysis.start(s) > self.analysis.start(line)),
                       key=self.analysis.start)
        first = min(self.analysis.start(s) for s in statements)
        limit = self.analysis.end(later[0]) if later else None
        reads = {access.node for assignment in assignments for access in assignment.references}
        uses = []
        for read in sorted(reads, key=self.analysis.start):
            position = self.analysis.start(read)
            if position < first:
                raise Refused("MIG107", f"`{name.value}` is read at line {position[0]} before the list is assigned "
                                       "to it", read)
            if self.analysis.end(line) <= position and (limit is None or position < limit):
                uses.append(read)
        if self._holds_the_list(line):
            self.step_reads += [self.analysis.parents[use] for use in uses if self._indexed_by_name(use)]
            uses = [use for use in uses if not self._indexed_by_name(use)]
        if len(uses) == 1:
            return uses[0]
        if not uses:
            raise Refused("MIG107", f"the list `{name.value}` is never given to an optimizer here")
        followed = []
        for use in uses:
            with blocking(self.blockers, self.call):
                followed.append((use, self._follow(use)))
        uses, reached = [use for use, _ in followed], [found for _, found in followed]
        if not uses:
            last = self.blockers.pop()
            raise Refused(last.code, last.message, last.node)
        if len(uses) == 1:
            return uses[0]
        if (self._holds_the_list(line) and len({id(self.analysis.parents[arg]) for arg, _ in reached}) == 1
                and not any(carriers for _, carriers in reached)):
            return uses[0]
        if self.other_uses or self.warmup is not None or not self._holds_the_list(line):
            lines = ", ".join(str(self.analysis.line(use)) for use in uses)
            raise Refused("MIG107", f"the list `{name.value}` feeds several optimizers (lines {lines}) through "
                                   "another list or a wrapper; each would need its own scheduler")
        self.other_uses = uses[1:]
        return uses[0]

    def _other_use(self, node: cst.BaseExpression, parent) -> Refused:
        if isinstance(parent, cst.Subscript) and parent.value is node and written_into(self.analysis, parent):
            return Refused("MIG107", written_into_refusal(self.analysis, parent, self.pair.scheduler_name), parent)
        if isinstance(parent, cst.Subscript) and parent.value is node:
            text = self.analysis.code(parent)
            return Refused("MIG107", f"`{text}` at line {self.analysis.line(parent)} reads one element of the list; "
                                    "a torch scheduler has no list (the lr of step i is "
                                    "scheduler.get_last_lr()[0] while step i runs)", parent)
        if isinstance(parent, cst.BinaryOperation) and isinstance(parent.operator, (cst.Multiply, cst.Divide)):
            return Refused("MIG107", f"`{self.analysis.code(parent)}` at line {self.analysis.line(parent)} "
                                    "multiplies or divides the list (a NumPy array or tensor so scales every lr, a "
                                    "Python list times n repeats itself): the rule converts a list given to its "
                                    "optimizer as built", parent)
        if isinstance(parent, cst.BinaryOperation):
            other = parent.right if parent.left is node else parent.left
            warmup = isinstance(other, cst.Call) and self.analysis.names_of(other.func) & WARMUP
            what = "a warmup_lr list" if warmup else f"`{self.analysis.code(other)}`"
            return Refused("MIG118", f"the list is combined with {what} at line {self.analysis.line(parent)}: "
                                    f"one list of several phases has no single {self.pair.scheduler_name} "
                                    "equivalent"
                                    + ("; only a warmup_lr list before it (warmup_lr(...) + "
                                       f"{self.pair.function}(...)) converts, to SequentialLR" if warmup else ""),
                           parent)
        if isinstance(parent, cst.Return):
            function = next((scope for scope in self.analysis.ancestors(parent)
                             if isinstance(scope, cst.FunctionDef)), None)
            where = f"`{function.name.value}()`" if function is not None else "the function"
            return Refused("MIG107", f"the list is returned from {where}; the rule converts a list built and given "
                                    "to its optimizer in one function: build it where the optimizer is built",
                           parent)
        if isinstance(parent, cst.IfExp) and node is not parent.test:
            return Refused("MIG107", f"the list is one side of `... if {self.analysis.code(parent.test)} else ...` at "
                                    f"line {self.analysis.line(parent)}: the rule follows a list chosen by a flag "
                                    "written as an `if`/`else` whose branches bind the name", parent)
        statement = self.analysis.statement(node)
        return Refused("MIG107", f"the list is used at line {self.analysis.line(node)} "
                                f"(`{self.analysis.first_line(statement)}`), not given to an optimizer", node)

    def _optimizer_binding(self, call: cst.Call) -> tuple[cst.SimpleStatementLine, cst.Name | cst.Attribute]:
        parent = self.analysis.parents.get(call)
        target = parent.targets[0].target if isinstance(parent, cst.Assign) and len(parent.targets) == 1 else None
        line = self.analysis.parents.get(parent)
        if (isinstance(target, cst.Attribute) and self.program.is_self(target.value)
                and isinstance(line, cst.SimpleStatementLine) and len(line.body) == 1):
            for statement, _ in self.program.other_attribute_values(target, line):
                raise Refused("MIG106", f"`{self.analysis.code(target)}` is also assigned at line "
                                       f"{self.analysis.line(statement)}, so its steps cannot be followed", statement)
            return line, target
        assignment = self.analysis.single_assignment(target) if isinstance(target, cst.Name) else None
        bound = self.analysis.assigned_value(assignment) if assignment is not None else None
        if bound is None or bound[1] is not call:
            raise Refused("MIG109", f"the optimizer `{self.analysis.code(call.func)}(...)` is not bound to one "
                                   "variable, so there is nothing for the scheduler to drive", call)
        return bound[0], target

    def _groups_argument(self, entry: cst.DictElement) -> cst.Arg:
        """The optimizer's params argument when the list is a param group's ``"lr"``: the group dicts in a list
        written in the optimizer call, or bound once to a name the call alone reads."""
        analysis = self.analysis
        element = analysis.parents.get(analysis.parents.get(entry))
        literal = analysis.parents.get(element)
        line = analysis.line(entry)
        if not isinstance(element, cst.Element) or not isinstance(literal, (cst.List, cst.Tuple)):
            raise Refused("MIG107", f"the list is the \"lr\" of a dict at line {line} that is not in a list of "
                                   "param groups", entry)
        holder = analysis.parents.get(literal)
        passed = literal
        if isinstance(holder, cst.Assign) and holder.value is literal:
            target = holder.targets[0].target if len(holder.targets) == 1 else None
            assignment = analysis.single_assignment(target) if isinstance(target, cst.Name) else None
            reads = [access.node for access in assignment.references] if assignment is not None else []
            if assignment is None or analysis.assigned_value(assignment) is None or len(reads) != 1:
                what = (f"`{analysis.code(target)}` is read at lines "
                        f"{', '.join(str(analysis.line(read)) for read in reads)}" if len(reads) > 1 else
                        "they are not bound once to one variable read once")
                raise Refused("MIG107", f"the list is a param group's \"lr\" (line {line}), and {what}: the "
                                       "rule converts param groups handed to one optimizer alone", entry)
            passed = reads[0]
            holder = analysis.parents.get(passed)
        call = analysis.parents.get(holder) if isinstance(holder, cst.Arg) and holder.value is passed else None
        names = analysis.names_of(call.func) if isinstance(call, cst.Call) else set()
        if names & OPTIMIZERS.keys():
            mapping = OPTIMIZERS[next(iter(sorted(names & OPTIMIZERS.keys())))]
            if bind(call, mapping.positional, mapping.keyword_only).values.get("params") is passed:
                return holder
        if any(name.startswith("mindspore.nn.") for name in names):
            raise Refused("MIG103", f"{analysis.code(call.func)} has no torch mapping here (only SGD, Momentum, Adam "
                                   "and AdamWeightDecay), and a torch scheduler needs a torch optimizer", call)
        raise Refused("MIG107", f"the list is a param group's \"lr\" (line {line}), and the groups are not the params "
                               "of an optimizer here", entry)


class _Renamed(cst.CSTTransformer):
    """Each ``Name`` ``name`` replaced by ``value`` (the element holds no scope of its own: no lambda, no
    comprehension)."""

    def __init__(self, name: str, value: cst.BaseExpression):
        super().__init__()
        self.name, self.value = name, value

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.BaseExpression:
        return self.value if original.value == self.name else updated

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.Attribute:
        return updated.with_changes(attr=original.attr)

    def leave_Arg(self, original: cst.Arg, updated: cst.Arg) -> cst.Arg:
        return updated.with_changes(keyword=original.keyword)


def _subtree(node: cst.CSTNode) -> list[cst.CSTNode]:
    """Every node under ``node``, itself included (a walk over the fields, which rebuilds no node)."""
    found, pending = [], [node]
    while pending:
        current = pending.pop()
        found.append(current)
        pending.extend(child_nodes(current))
    return found
