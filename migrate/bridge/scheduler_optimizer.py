"""The torch optimizer a scheduler site drives, on its way to MindSpore: where it is built (here, handed in, chosen
by a flag), its param groups, where the MindSpore optimizer can be built with the list, and the new optimizer's
text."""

from __future__ import annotations

from dataclasses import fields, replace

import libcst as cst

from migrate.analysis import atom, bind, read_names
from migrate.bridge.optimizers import WEIGHT_DECAY_DIFFERENCE, bound_arguments
from migrate.bridge.optimizers import Mapping as OptimizerMapping
from migrate.bridge.scheduler_parts import (
    BUILDER,
    CHAIN,
    CONDITION,
    FLAG,
    GROUP_KEYS,
    GROUP_WRITERS,
    GROUPS,
    ITERATOR_METHODS,
    NO_NUMERIC_EFFECT,
    OPTIMIZER_CHOICE,
    OPTIMIZERS,
    READS,
    RESUME,
    Cadence,
    ScheduleValues,
    assigned_to,
    only_raises,
)
from migrate.edit import EQUAL, SPACED_COMMA, joined_arguments, keyword_argument
from migrate.program.model import Route, bound_names, shadows_globals, substituted
from migrate.program.values import definitions
from migrate.rule import Note, Refused, blocking
from migrate.verify import Claim, Schedule


class SchedulerOptimizer:
    """The torch optimizer of a scheduler site: found, checked (param groups, a flag's choice, what it
    reads), and rebuilt as the MindSpore optimizer that takes the list, where the list exists."""

    def _method_call_statement(self, use) -> cst.SimpleStatementLine | None:
        """The line of ``use``'s method call when that call is a statement of its own."""
        expression = self.analysis.parents.get(use.call)
        line = self.analysis.parents.get(expression)
        if isinstance(expression, cst.Expr) and isinstance(line, cst.SimpleStatementLine) and len(line.body) == 1:
            return line
        return None

    def _optimizer(self, arguments, statement) -> tuple[cst.SimpleStatementLine, cst.Call, cst.BaseExpression]:
        """The line building the optimizer the scheduler drives (``x = ...`` or ``self.x = ...``, in the scheduler's
        function), its call, and how the scheduler names it."""
        optimizer = arguments["optimizer"]
        program = self.analysis.program
        call = program.origin(optimizer)
        if call is None and isinstance(optimizer, cst.Name):
            self._optimizer_choice = self._chosen_optimizers(optimizer, statement)
            call = self._optimizer_choice[0][1] if self._optimizer_choice else None
        parent = self.analysis.parents.get(call) if call is not None else None
        line = self.analysis.parents.get(parent) if isinstance(parent, cst.Assign) else None
        if (not isinstance(line, cst.SimpleStatementLine) or len(line.body) != 1 or len(parent.targets) != 1
                or not isinstance(parent.targets[0].target, (cst.Name, cst.Attribute))):
            raise Refused("MIG109", f"`{self.analysis.code(optimizer)}` is not bound once to an optimizer "
                                   f"construction here{self._bound_at(optimizer)}, so the base lr (max_lr) is "
                                   "unknown", optimizer)
        home = program.function_of(self._builder.call) if self._returns_alone() else program.function_of(statement)
        if program.function_of(line) is not home:
            self._handed = self._handed_route(line, home)
            if self._handed is None:
                raise Refused("MIG109", f"the optimizer `{self.analysis.code(optimizer)}` is built in another "
                                       f"function (line {self.analysis.line(line)}){self._handed_advice(line, home)}",
                              optimizer)
        self._optimizer_line = line
        name = self.analysis.code(parent.targets[0].target)
        tracked = program.follow(call)
        chosen = {line for line, _, _ in self._optimizer_choice}
        if any(other not in chosen for other, _ in tracked.competitors):
            statement_, _ = next((other, value) for other, value in tracked.competitors if other not in chosen)
            raise Refused("MIG109", f"`{name}` is bound again at line {self.analysis.line(statement_)}, so which "
                                   "optimizer the scheduler drives is not one construction", optimizer)
        for use in tracked.uses:
            with blocking(self._blockers, self.call):
                self._check_use(use, name)
        return line, call, optimizer

    def _handed_route(self, optimizer_line, home) -> Route | None:
        """``optimizer = SGD(...)`` then ``fit(model, optimizer, loader, epochs)``, where fit() builds the scheduler
        from the optimizer it is given and trains: the calls from the optimizer's function to the scheduler's, each
        made once, the first after the optimizer and in the same loops (so at most one scheduler per optimizer; a
        call skipped by a condition steps nothing). The list is then computed where the optimizer is built, its
        counts written with the calls' arguments. None when that is not the shape."""
        program = self.analysis.program
        owner = program.function_of(optimizer_line)
        route = program.route(self.call, owner)
        if route is None or not isinstance(home, cst.FunctionDef):
            return None
        if (self.analysis.loops(route.anchor) != self.analysis.loops(optimizer_line)
                or self.analysis.start(route.anchor) < self.analysis.end(optimizer_line)):
            return None
        return route

    def _in_optimizer_terms(self, text: str | None, optimizer_line) -> str | None:
        """``text``, written in the function that builds the scheduler, in the terms of the one that builds the
        optimizer: that function's definitions (``total = epochs * len(loader)``) written out, then its parameters
        replaced by the arguments of the calls on the way."""
        if text is None or self._handed is None:
            return text
        local = dict(definitions(self.analysis, self._handed.hops[-1].function))
        for _ in range(len(local)):
            named = {name.value for name in read_names(cst.parse_expression(text))} & local.keys()
            if not named:
                break
            text = substituted(text, {name: local[name] for name in named})
        moved = self.analysis.program.in_frame_terms(text, self._handed, self._handed.hops[-1])
        owner = self._handed.hops[0].function
        if moved is None and shadows_globals(text, self._handed.hops[-1].function, owner):
            raise Refused("MIG105", f"`{text}` reads a global that {owner.name.value}() binds to a value of its own "
                                   f"where the optimizer is built (line {self.analysis.line(optimizer_line)})")
        if moved is None:
            raise Refused("MIG105", f"`{text}` reads names of {self._handed.hops[-1].function.name.value}() that its "
                                   f"caller does not give it, so its value where the optimizer is built (line "
                                   f"{self.analysis.line(optimizer_line)}) is not visible")
        return moved

    def _handed_values(self, values: ScheduleValues, cadence: Cadence, optimizer_line,
                       optimizer_arguments) -> tuple[ScheduleValues, Cadence]:
        """The site's texts in the terms of the function that builds the optimizer. Its own lr is written there
        already, so no name it reads may be one the scheduler's function binds (it would be read as that)."""
        other = self._also_has(CHAIN, FLAG, CONDITION, BUILDER, RESUME, OPTIMIZER_CHOICE)
        if other or self._lightning is not None:
            raise Refused("MIG109", f"the optimizer is built in another function (line "
                                   f"{self.analysis.line(optimizer_line)}) and the site also has "
                                   f"{other or 'another shape'}; each converts alone, not together", self.call)
        bound = set()
        for hop in self._handed.hops[1:]:
            bound |= bound_names(hop.function)
        lr = optimizer_arguments.get("lr")
        clash = {name.value for name in read_names(lr) if name.value in bound
                 and self.analysis.program.in_frame_terms(name.value, self._handed, self._handed.hops[-1])
                 != name.value} if lr is not None else set()
        if clash:
            raise Refused("MIG109", f"the optimizer's lr `{self.analysis.code(lr)}` (line "
                                   f"{self.analysis.line(optimizer_line)}) reads `{min(clash)}`, which the function "
                                   "that builds the scheduler binds to something else", lr)

        def moved(value):
            if isinstance(value, str):
                text = self._in_optimizer_terms(value, optimizer_line)
                self._handed_names |= {name.value for name in read_names(cst.parse_expression(text))}
                return text
            if isinstance(value, Schedule):
                return replace(value, args={key: moved(text) for key, text in value.args.items()})
            if isinstance(value, Claim):
                return replace(value, source=moved(value.source), target=moved(value.target),
                               run_steps=moved(value.run_steps), agrees_for=moved(value.agrees_for),
                               positive=tuple(moved(text) for text in value.positive),
                               definitions=definitions(self.analysis, self.analysis.program.function_of(
                                   optimizer_line)))
            return value

        translated = replace(values, **{item.name: moved(getattr(values, item.name)) for item in fields(values)})
        return translated, replace(cadence, step_every=moved(cadence.step_every), run_steps=moved(cadence.run_steps))

    def _handed_place(self, optimizer_line, reads, mapping) -> cst.CSTNode:
        """The optimizer's line, where the list is computed: what the first call passes must hold its value there."""
        if mapping is None:
            raise Refused("MIG103", "the optimizer, built in another function, has no mapping", self.call)
        for node, at in reads:
            why = self.analysis.unbound_name(node, optimizer_line, at)
            if why is not None:
                raise Refused("MIG105", f"the list is computed where the optimizer is built (line "
                                       f"{self.analysis.line(optimizer_line)}), but there {why}", node)
        return optimizer_line

    def _handed_where(self, optimizer_line) -> str:
        helper = self._handed.hops[-1].function.name.value
        return (f"; the list is computed where the optimizer is built (line {self.analysis.line(optimizer_line)}), "
                f"{helper}()'s counts written with the arguments of its call at line "
                f"{self.analysis.line(self._handed.anchor)}")

    def _handed_reads(self) -> list[tuple[cst.BaseExpression, cst.CSTNode]]:
        """What the moved counts read where the optimizer is built: the first call's arguments they name, as the
        call passes them."""
        call = self._handed.anchor
        return [(argument.value, call) for argument in call.args
                if {name.value for name in read_names(argument.value)} & self._handed_names]

    def _handed_advice(self, optimizer_line, home) -> str:
        """Why an optimizer handed to the function that builds the scheduler is not followed there."""
        program = self.analysis.program
        owner = program.function_of(optimizer_line)
        route = program.route(self.call, owner)
        if route is None or not isinstance(home, cst.FunctionDef):
            return ""
        call = self.analysis.line(route.anchor)
        loop = next((loop for loop in self.analysis.loops(route.anchor)
                     if loop not in self.analysis.loops(optimizer_line)), None)
        if loop is not None:
            return (f" and handed to {home.name.value}() (called at line {call}) in a loop it is not built in (line "
                    f"{self.analysis.line(loop)}): each call builds a new scheduler on the same optimizer, restarting "
                    "the schedule, which one list given to the optimizer cannot do")
        return (f" and handed to {home.name.value}() (called at line {call}), which builds the scheduler: MindSpore "
                "takes the list when the optimizer is built, and the call does not follow it where the list can be "
                "computed")

    def _chosen_optimizers(self, optimizer: cst.Name, statement) -> list:
        """``if args.optimizer == "sgd": optimizer = SGD(...) elif ...: optimizer = Adam(...) else: raise ...``
        before the scheduler: each branch binds the name once to a mapped optimizer. With the same lr one list
        serves whichever runs; with different lrs (kept in ``_choice_lrs``) each branch builds its own. The
        branches' (line, call, mapping) in source order; [] when the bindings are not such a choice (the caller then
        reports them)."""
        scope = self.analysis.scopes.get(optimizer)
        lines, top = [], None
        for assignment in scope[optimizer.value] if scope is not None else []:
            node = getattr(assignment, "node", None)
            target = self.analysis.parents.get(node) if node is not None else None
            assign = self.analysis.parents.get(target) if isinstance(target, cst.AssignTarget) else None
            line = self.analysis.parents.get(assign) if isinstance(assign, cst.Assign) else None
            if not (isinstance(line, cst.SimpleStatementLine) and len(line.body) == 1
                    and len(assign.targets) == 1 and isinstance(assign.value, cst.Call)):
                return []
            choice = self.analysis.chain_top(line)
            if choice is None or top not in (None, choice):
                return []
            top = choice
            lines.append(line)
        if top is None or len(lines) < 2:
            return []
        blocks, exhaustive = self._branch_blocks(top)
        holders = [self.analysis.parents.get(line) for line in lines]
        block = self.analysis.parents.get(top)
        anchor = next((node for node in (statement, *self.analysis.ancestors(statement))
                       if self.analysis.parents.get(node) is block), None)
        if (not exhaustive or len(set(holders)) != len(lines)
                or any(block not in holders and not only_raises(block) for block in blocks)
                or anchor is None or self.analysis.end(top) > self.analysis.start(anchor)):
            return []
        chosen, lrs = [], {}
        for line in sorted(lines, key=self.analysis.start):
            call = line.body[0].value
            names = self.analysis.names_of(call.func) & OPTIMIZERS.keys()
            if not names:
                raise Refused("MIG103", f"the optimizer chosen at line {self.analysis.line(line)} "
                                       f"({self.analysis.code(call.func)}) has no mapping, so the choice cannot "
                                       "convert as a whole", call)
            mapping = OPTIMIZERS[next(iter(sorted(names)))]
            lr = self._optimizer_arguments(call, mapping).get("lr")
            lrs[self.analysis.line(line)] = self.analysis.code(lr) if lr is not None else mapping.default_lr
            chosen.append((line, call, mapping))
        if len(set(lrs.values())) > 1:
            for line, call, mapping in chosen:
                lr = self._optimizer_arguments(call, mapping).get("lr")
                if lr is None:
                    raise Refused("MIG109", f"the `if` at line {self.analysis.line(top)} chooses optimizers with "
                                           f"different lrs, and the one at line {self.analysis.line(line)} takes "
                                           "torch's default: give it lr= so its branch can build its own list", call)
                self._choice_lrs[line] = lr
        return chosen

    def _bound_at(self, optimizer: cst.BaseExpression) -> str:
        """Where a name bound several times is bound, for the refusal that says which binding is meant."""
        scope = self.analysis.scopes.get(optimizer) if isinstance(optimizer, cst.Name) else None
        nodes = [getattr(assignment, "node", None) for assignment in scope[optimizer.value]] if scope else []
        lines = sorted({self.analysis.line(node) for node in nodes if node is not None})
        if len(lines) < 2:
            return ""
        return (f" (it is bound at lines {', '.join(map(str, lines))}, not as a choice by one `if` whose every "
                "branch binds it or raises)")

    def _also_has(self, *shapes: str) -> str | None:
        """The first of ``shapes`` (``CHAIN``, ``FLAG``...) this site has: the shapes convert one at a time, since
        each moves the scheduler or the optimizer in its own way."""
        present = {CHAIN: self._chain is not None or self._chain_choice is not None, FLAG: bool(self._branches),
                   CONDITION: self._conditional is not None, BUILDER: self._builder is not None,
                   GROUPS: bool(self._group_lrs), RESUME: self._resume is not None,
                   OPTIMIZER_CHOICE: bool(self._optimizer_choice), READS: bool(self._reads)}
        return next((shape for shape in shapes if present[shape]), None)

    def _check_optimizer_choice(self) -> None:
        """An optimizer choice converts with a plain scheduler: the other shapes each move the optimizer too."""
        other = (self._also_has(BUILDER, GROUPS, RESUME) if self._chain_choice is not None and not self._choice_lrs
                 else self._also_has(CHAIN, FLAG, CONDITION, BUILDER, GROUPS, RESUME))
        if other:
            line = self.analysis.line(self._optimizer_choice[0][0])
            raise Refused("MIG109", f"the optimizer is chosen by the `if` around line {line} and the site also has "
                                   f"{other}; each converts alone, not together", self.call)
        chosen = {line for line, _, _ in self._optimizer_choice}
        top = self.analysis.chain_top(self._optimizer_choice[0][0])
        for block in self._branch_blocks(top)[0] if self._chain_choice is not None else ():
            extra = next((statement for statement in block.body if statement not in chosen), None)
            if extra is not None and not only_raises(block):
                raise Refused("MIG109", f"the `if` at line {self.analysis.line(top)} that chooses the optimizer moves "
                                       "after the chain's lists, and its branch also runs "
                                       f"`{self.analysis.first_line(extra)}` (line {self.analysis.line(extra)}), "
                                       "which would then run after them", extra)

    def _choice_place(self, reads) -> cst.CSTNode:
        """The ``if`` that chooses the optimizer: the list is built before it, for every branch."""
        top = self.analysis.chain_top(self._optimizer_choice[0][0])
        why = next(filter(None, (self.analysis.unbound_name(node, top, at) for node, at in reads)), None)
        if why is not None:
            raise Refused("MIG105", f"the list is built before the `if` at line {self.analysis.line(top)} that "
                                   f"chooses the optimizer, and there {why}", self.call)
        return top

    def _optimizers_chosen(self, list_name: str) -> str:
        top = self.analysis.chain_top(self._optimizer_choice[0][0])
        built = ", ".join(f"{self.analysis.code(call.func)} → {chosen.target} (line {self.analysis.line(line)})"
                          for line, call, chosen in self._optimizer_choice)
        if self._chain_choice is not None:
            return (f"; the `if` at line {self.analysis.line(top)} chooses the optimizer: it moves after the chain's "
                    f"lists (line {self.analysis.line(self._chain_choice.line)}) and each branch's optimizer takes "
                    f"{list_name} ({built})")
        if self._choice_lrs:
            return (f"; the `if` at line {self.analysis.line(top)} chooses optimizers with different lrs: each branch "
                    f"builds {list_name} from its own lr, annealed as torch anneals from it, before its optimizer "
                    f"({built})")
        return (f"; the `if` at line {self.analysis.line(top)} chooses the optimizer: {list_name} is built before it "
                f"and each branch's optimizer takes it ({built})")

    def _writes_groups(self, attribute: cst.Attribute) -> bool:
        """``opt.param_groups[0]["lr"] = …`` (or ``+=``), or a ``for g in opt.param_groups:`` whose body writes
        ``g[...]`` or calls ``g.update(...)``."""
        node, parent = attribute, self.analysis.parents.get(attribute)
        while isinstance(parent, cst.Subscript) and parent.value is node:
            node, parent = parent, self.analysis.parents.get(parent)
        if assigned_to(node, parent):
            return True
        if not (isinstance(parent, cst.For) and parent.iter is node and isinstance(parent.target, cst.Name)):
            return False
        group = parent.target
        for assignment in self.analysis.scopes[group][group.value]:
            if getattr(assignment, "node", None) is not group:
                continue
            for access in assignment.references:
                use = self.analysis.parents.get(access.node)
                if isinstance(use, cst.Subscript) and assigned_to(use, self.analysis.parents.get(use)):
                    return True
                if isinstance(use, cst.Attribute) and use.attr.value in GROUP_WRITERS:
                    return True
        return False

    def _check_param_groups(self, call: cst.Call, mapping: OptimizerMapping | None) -> None:
        """Param groups with their own "lr" get their own list (MindSpore keeps a group's plain "lr" constant).

        A list literal is read (or the list literal a name is bound to once and never changed); any other params
        expression that could hold groups is an assumption of the rewrite. Also counts the groups, which decides
        what MindSpore's ``get_lr()`` returns (a float for one, a tuple for several); None when not visible.
        """
        positional = mapping.positional if mapping else ("params",)
        params = bind(call, positional, mapping.keyword_only if mapping else ()).values.get("params")
        if params is None:
            return
        groups = self._group_literal(params)
        plain = groups is None and (self._plain_parameters(params) or self._groups_sharing_the_lr(params))
        self._group_count = (len(groups) or 1) if groups is not None else 1 if plain else None
        if groups is None:
            if not plain:
                self.assumptions.append(f"{self.analysis.code(params)} has no per-group \"lr\" (MindSpore keeps a "
                                        "group's own lr constant)")
            return
        for index, group in enumerate(groups, 1):
            if any(isinstance(element, cst.StarredDictElement) for element in group.elements):
                raise Refused("MIG105", f"param group {index} (line {self.analysis.line(group)}) unpacks `**` "
                                       "entries, so whether it sets its own lr is not visible", group)
            keys = {element.key.evaluated_value: element for element in group.elements
                    if isinstance(element.key, cst.SimpleString)}
            other = sorted(set(keys) - GROUP_KEYS) or (["a computed key"] if len(keys) < len(group.elements)
                                                       else [])
            if other:
                raise Refused("MIG104", f"param group {index} (line {self.analysis.line(group)}) sets {other[0]}, "
                                       "which a MindSpore group dict does not take (it takes params, lr and "
                                       "weight_decay)", group)
            if "lr" in keys:
                self._group_lrs.append((index, keys["lr"]))
        if self._group_lrs and self._conditional is not None:
            raise Refused("MIG105", f"param groups set their own lr (line {self.analysis.line(self._group_lrs[0][1])}) "
                                   f"and the scheduler is created under `if "
                                   f"{self.analysis.code(self._conditional.test)}:`; every branch would need one "
                                   "list per group, which is not written yet", params)
        if self._group_lrs and not isinstance(params, (cst.List, cst.Tuple)):
            raise Refused("MIG105", f"the param groups `{self.analysis.code(params)}` set their own lr at line "
                                   f"{self.analysis.line(self._group_lrs[0][1])}; one list per group is written "
                                   "when the groups are a list in the optimizer call itself", params)
        self._groups = params if isinstance(params, (cst.List, cst.Tuple)) else None

    def _group_literal(self, params: cst.BaseExpression) -> list[cst.Dict] | None:
        """The group dicts of a list/tuple literal of params (followed through a name bound once and not
        changed after), or None when what params holds is not visible."""
        if isinstance(params, cst.Name):
            assignment = self.analysis.single_assignment(params)
            bound = self.analysis.assigned_value(assignment) if assignment is not None else None
            changed = bound is None or any(not isinstance(self.analysis.parents.get(access.node), cst.Arg)
                                           for access in assignment.references)
            return None if changed else self._group_literal(bound[1])
        if not isinstance(params, (cst.List, cst.Tuple)):
            return None
        if any(isinstance(element, cst.StarredElement) for element in params.elements):
            return None
        return [element.value for element in params.elements if isinstance(element.value, cst.Dict)]

    def _groups_sharing_the_lr(self, params: cst.BaseExpression) -> bool:
        """Params that are plain or groups none of which sets its own lr (``[{"params": p, "weight_decay": w} for
        ...]``), or a name every binding of which is one of these (torchvision's ``parameters``): the optimizer
        has one lr for every group, so one list serves them and MindSpore's get_lr() is one value."""
        if isinstance(params, cst.Name):
            scope = self.analysis.scopes.get(params)
            bound = [self.analysis.assigned_value(assignment) if hasattr(assignment, "node") else None
                     for assignment in (scope[params.value] if scope is not None else [])]
            return bool(bound) and not self.analysis.changed_through(params.value) and all(
                value is not None and not isinstance(value[1], cst.Name) and self._groups_sharing_the_lr(value[1])
                for value in bound)
        if isinstance(params, (cst.ListComp, cst.GeneratorExp)) and isinstance(params.elt, cst.Dict):
            keys = [element.key for element in params.elt.elements if isinstance(element, cst.DictElement)]
            return (len(keys) == len(params.elt.elements) and all(isinstance(key, cst.SimpleString) for key in keys)
                    and not {key.evaluated_value for key in keys} - GROUP_KEYS - {"lr"}
                    and "lr" not in {key.evaluated_value for key in keys})
        return self._plain_parameters(params)

    def _plain_parameters(self, params: cst.BaseExpression) -> bool:
        """``model.parameters()``, or a comprehension/``filter``/``list`` over such, or a name bound once to one of
        these (``parameters = model.parameters()``): tensors, never groups."""
        if isinstance(params, cst.Name):
            assignment = self.analysis.single_assignment(params)
            assigned = self.analysis.assigned_value(assignment) if assignment is not None else None
            return (assigned is not None and not isinstance(assigned[1], cst.Name)
                    and not self.analysis.changed_through(params.value) and self._plain_parameters(assigned[1]))
        if isinstance(params, (cst.ListComp, cst.GeneratorExp)):
            return not isinstance(params.elt, cst.Dict) and not (
                isinstance(params.elt, cst.Call) and self.analysis.names_of(params.elt.func) & {"builtins.dict"})
        if not isinstance(params, cst.Call):
            return False
        if isinstance(params.func, cst.Attribute) and params.func.attr.value in ("parameters", "trainable_params"):
            return True
        return bool(self.analysis.names_of(params.func) & {"builtins.filter", "builtins.list"}) and any(
            self._plain_parameters(argument.value) for argument in params.args)

    def _optimizer_arguments(self, call: cst.Call, mapping: OptimizerMapping | None):
        if mapping is None:
            lr = next((argument.value for argument in call.args
                       if argument.keyword is not None and argument.keyword.value == "lr"), None)
            if lr is None:
                raise Refused("MIG109", f"{self.analysis.code(call.func)} is not a mapped optimizer and has no "
                                       "lr= argument, so the base lr (max_lr) is unknown", call)
            return {"lr": lr}
        return bound_arguments(self.analysis, call, mapping)

    def _place(self, statement, optimizer_line, optimizer: cst.Name, reads, moves: bool) -> cst.CSTNode:
        """The statement before which the schedule (and, when ``moves``, the MindSpore optimizer) is built.

        Tried in order: the optimizer's line, the scheduler's, then each statement after the scheduler's up to
        the training loop. A place fits when every expression read there has the value the original evaluated
        (``reads``: expression and where the original evaluated it) and, below the optimizer's line, nothing
        between uses the optimizer.
        """
        candidates = ([optimizer_line] if moves else []) + [statement]
        block = self.analysis.parents.get(statement)
        around_run = {self._run_loop, *self.analysis.ancestors(self._run_loop)}
        if block in around_run:
            for candidate in block.body[block.body.index(statement) + 1:]:
                candidates.append(candidate)
                if candidate in around_run:
                    break
        reasons = []
        for place in candidates:
            why = next(filter(None, (self.analysis.unbound_name(node, place, at) for node, at in reads)), None)
            if why is None and moves and place is not optimizer_line:
                why = self._optimizer_cannot_move(optimizer_line, optimizer, statement, place)
            if why is None:
                return place
            reasons.append(why)
        raise Refused("MIG105", "the schedule cannot be built where everything it reads has the value the original "
                               "used: " + "; ".join(dict.fromkeys((reasons[0], reasons[-1]))))

    def _optimizer_cannot_move(self, optimizer_line, optimizer: cst.Name, statement, place) -> str | None:
        """Why the optimizer cannot be built at ``place`` instead of its own line, or None."""
        if self.analysis.parents.get(place) is not self.analysis.parents.get(optimizer_line):
            return f"the optimizer cannot move from line {self.analysis.line(optimizer_line)} into another block"
        tracked = self.analysis.program.follow(self._creation(optimizer))
        low, high = self.analysis.end(optimizer_line), self.analysis.start(place)
        removed = (statement, self.analysis.statement(self.call), self._default_branch, self._conditional,
                   *self._choice_lines(),
                   *((self._chain.line, self._chain.warmup_line, self._chain.scheduler_line) if self._chain is not None
                     else ()))
        skipped = [(self.analysis.start(line), self.analysis.end(line)) for line in removed if line is not None]
        for node in sorted(tracked.references[1:], key=self.analysis.start):
            runs = self._runs_at(node, optimizer_line)
            where = self.analysis.start(runs) if runs is not None else None
            if where is not None and low <= where < high and not any(start <= where < end for start, end in skipped):
                through = "" if runs is node else f" (in a function called at line {self.analysis.line(runs)})"
                return (f"`{self.analysis.code(optimizer)}` is used at line {self.analysis.line(node)}{through}, so "
                        "the optimizer cannot move below that line")
        return self._read_differently_later(optimizer_line, low, high, skipped)

    def _read_differently_later(self, moved: cst.CSTNode, low, high, skipped) -> str | None:
        """A name the moved optimizer reads that is deleted between its old and new place, or that holds a one-pass
        iterator (``parameters = model.parameters()``) something reads there: built later, the optimizer would not
        get what it got."""
        for name in dict.fromkeys(name.value for name in read_names(moved)):
            between = [node for node in self.analysis.nodes(cst.Name)
                       if node.value == name and low <= self.analysis.start(node) < high
                       and not any(start <= self.analysis.start(node) < end for start, end in skipped)]
            deleted = next((node for node in between if isinstance(self.analysis.parents.get(node), cst.Del)), None)
            if deleted is not None:
                return f"`del {name}` at line {self.analysis.line(deleted)} comes before it"
            if between and self._one_pass(name, moved):
                return (f"`{name}` holds a one-pass iterator, which line {self.analysis.line(between[0])} reads "
                        "first")
        return None

    def _one_pass(self, name: str, moved: cst.CSTNode) -> bool:
        """Whether ``name`` is bound to an iterator a first pass uses up: ``model.parameters()``, a generator
        expression, ``iter``/``filter``/``map``."""
        scope = self.analysis.scopes.get(moved)
        for assignment in scope[name] if scope is not None else ():
            assigned = self.analysis.assigned_value(assignment) if hasattr(assignment, "node") else None
            value = assigned[1] if assigned is not None else None
            if isinstance(value, cst.GeneratorExp) or isinstance(value, cst.Call) and (
                    isinstance(value.func, cst.Attribute) and value.func.attr.value in ITERATOR_METHODS
                    or self.analysis.names_of(value.func) & {"builtins.iter", "builtins.filter", "builtins.map"}):
                return True
        return False

    def _runs_at(self, node: cst.CSTNode, line: cst.CSTNode) -> cst.CSTNode | None:
        """Where a use of the optimizer runs as seen from ``line``'s function: the use itself, or, inside a function
        of this module, its first call (None when it is never called)."""
        program = self.analysis.program
        frame = program.function_of(line)
        function = program.function_of(node)
        for _ in range(4):
            if function is frame or not isinstance(function, cst.FunctionDef):
                return node
            calls = program.call_sites(function)
            if not calls:
                return None
            node = min(calls, key=self.analysis.start)
            function = program.function_of(node)
        return node

    def _new_optimizer(self, line: cst.SimpleStatementLine, call: cst.Call, mapping: OptimizerMapping,
                       list_name: str, target: str, group_lists: dict) -> cst.SimpleStatementLine:
        """The MindSpore construction, edited from the torch one so its layout and comments stay."""
        renames = dict(mapping.renames)
        given, arguments = set(), []
        for index, argument in enumerate(call.args):
            name = argument.keyword.value if argument.keyword else mapping.positional[index]
            given.add(name)
            if name == "params" and argument.value is self._groups:
                arguments.append(argument.with_changes(value=self._group_dicts(argument.value, group_lists)))
            elif name == "params":
                arguments.append(argument.with_changes(value=cst.parse_expression(self._params(argument.value))))
            elif name == "lr":
                arguments.append(keyword_argument(argument, "learning_rate", cst.Name(list_name)))
            elif name == "betas":
                first, second = self._betas(argument.value)
                arguments += [keyword_argument(argument, "beta1", first).with_changes(comma=SPACED_COMMA),
                              keyword_argument(argument, "beta2", second)]
            elif name in renames:
                arguments.append(keyword_argument(argument, renames[name], argument.value))
        if "lr" not in given:
            arguments.insert(1, cst.Arg(cst.Name(list_name), keyword=cst.Name("learning_rate"), equal=EQUAL,
                                        comma=SPACED_COMMA))
        added = [cst.Arg(cst.parse_expression(value), keyword=cst.Name(renames[name]), equal=EQUAL)
                 for name, value in mapping.defaults if name not in given]
        dropped = sorted(given & set(NO_NUMERIC_EFFECT))
        if dropped:
            self.assumptions.append(f"{', '.join(dropped)} only change how torch computes, not what")
        new_call = call.with_changes(func=cst.parse_expression(target),
                                     args=joined_arguments(arguments, added, call.args[-1].comma))
        assign = line.body[0]
        return line.with_changes(body=[assign.with_changes(value=new_call)], leading_lines=())

    def _group_dicts(self, groups: cst.BaseExpression, group_lists: dict) -> cst.BaseExpression:
        """The param group list with each group's params as MindSpore takes them and its lr as its own list."""
        elements = []
        for element in groups.elements:
            if not isinstance(element.value, cst.Dict):
                elements.append(element)
                continue
            entries = []
            for entry in element.value.elements:
                key = entry.key.evaluated_value
                if key == "params":
                    entry = entry.with_changes(value=cst.parse_expression(self._params(entry.value)))
                elif entry in group_lists:
                    entry = entry.with_changes(value=cst.Name(group_lists[entry]))
                entries.append(entry)
            elements.append(element.with_changes(value=element.value.with_changes(elements=entries)))
        return groups.with_changes(elements=elements)

    def _params(self, params: cst.BaseExpression) -> str:
        if (isinstance(params, cst.Call) and not params.args and isinstance(params.func, cst.Attribute)
                and params.func.attr.value == "parameters"):
            return f"{self.analysis.code(params.func.value)}.trainable_params()"
        self.assumptions.append(f"{self.analysis.code(params)} holds MindSpore Parameters")
        return self.analysis.code(params)

    def _betas(self, betas: cst.BaseExpression) -> list[cst.BaseExpression]:
        if isinstance(betas, cst.Tuple) and len(betas.elements) == 2:
            texts = [self._float(element.value, f"beta{index}") for index, element in enumerate(betas.elements, 1)]
        else:
            text = atom(self.analysis.code(betas))
            texts = [f"float({text}[0])", f"float({text}[1])"]
        return [cst.parse_expression(text) for text in texts]

    def _semantic_notes(self, call: cst.Call, mapping: OptimizerMapping, arguments) -> list[Note]:
        notes = []
        if mapping.differences:
            notes.append(Note(call, "MIG104", mapping.differences))
        weight_decay = arguments.get("weight_decay")
        decays = dict(mapping.defaults).get("weight_decay") if weight_decay is None else self.analysis.code(weight_decay)
        if decays is not None and self.analysis.value(decays) != 0:
            notes.append(Note(call, "MIG104", f"weight_decay={decays}: {WEIGHT_DECAY_DIFFERENCE}"))
        return notes
