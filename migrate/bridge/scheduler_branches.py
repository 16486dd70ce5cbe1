"""Where a scheduler site's scheduler comes from when it is not one plain call: chosen by a flag's `if`, chained
after a warmup (``SequentialLR``, ``ChainedScheduler``), or returned by a builder function; each branch's list,
the chain's and the choice's, and the refusals that say why such a shape cannot convert."""

from __future__ import annotations

import re
from dataclasses import replace

import libcst as cst

from migrate import verify
from migrate.analysis import atom, bind, product, read_names
from migrate.bridge.scheduler_parts import (
    CONDITION,
    FLAG,
    GROUPS,
    OPTIMIZERS,
    SCHEDULER_MODULE,
    Cadence,
    Chain,
    ChainChoice,
    Elsewhere,
    ScheduleValues,
    bearing_on,
    built_only_if,
    only_raises,
    same_expression,
)
from migrate.bridge.torch_schedulers import SIBLINGS, Frame, Listed
from migrate.program import STORED, Use
from migrate.program.builder import returning_builder_of
from migrate.program.model import calls_in
from migrate.rule import Refused
from migrate.verify import Claim, Schedule


class SchedulerBranches:
    """A scheduler site's scheduler reached through branches, a chain or a builder: each shape recognised,
    rewritten as lists (one per branch or member) or refused with the reason."""

    def _unfollowed(self, target, tracked) -> str:
        """Why the scheduler cannot be followed to its step() calls: the other values its variable holds, each
        with its line, or where it goes instead."""
        parent = self.analysis.parents.get(self.call)
        function = self.analysis.program.function_of(self.call)
        if target is None and isinstance(parent, cst.Return) and isinstance(function, cst.FunctionDef):
            return (f"{function.name.value}() returns the scheduler; a builder that returns it alone converts when "
                    "it is called once, its result bound to a name, its optimizer parameter used only for the "
                    "scheduler and no other call in its body (its call moves before the optimizer is built)")
        if target is None and isinstance(parent, cst.Lambda):
            return (f"a lambda (line {self.analysis.line(parent)}) builds the scheduler; the rule follows a builder "
                    "written as a function that returns it (`def make_scheduler(optimizer): return ...`), not a "
                    "lambda")
        if target is None:
            return "the scheduler is not bound to a variable, so its step() calls cannot be followed"
        name = self.analysis.code(target)
        through = [statement for statement, _ in tracked.competitors
                   if not self.analysis.first_line(statement).startswith((f"{name} =", f"{name}: "))]
        others = [f"line {self.analysis.line(statement)} (`{self.analysis.first_line(statement if through else value)}`)"
                  for statement, value in tracked.competitors]
        holder = (f"`{name}` is used through a name that" if through else f"`{name}`")
        if others:
            return (f"{holder} also holds other values: {', '.join(others)}; one list can "
                    f"stand only for this {self.NAME}, which would become a {self.LIST_FUNCTION} list given to the "
                    "optimizer")
        lines = ", ".join(str(self.analysis.line(binding.statement)) for binding in tracked.bindings[1:])
        function = self.analysis.program.function_of(self.call)
        calls = self.analysis.program.call_sites(function) if isinstance(function, cst.FunctionDef) else []
        if len(calls) > 1:
            return (f"{function.name.value}() builds the scheduler and returns it to {len(calls)} calls (lines "
                    f"{', '.join(str(self.analysis.line(call)) for call in calls)}); a builder converts when it has "
                    "one call, since the list it would build needs each caller's loop")
        return (f"the scheduler is passed on and bound again (line {lines}); the list must be computed where the "
                "optimizer is built" if lines else
                f"`{self.analysis.code(target)}` is bound in a way its step() calls cannot be followed through")

    def _returned_after_branches(self, tracked) -> str:
        """A hint for a builder whose flag's branches bind the scheduler and one ``return`` hands it back: the
        shape with a ``return`` in each branch converts."""
        program = self.analysis.program
        builder = program.function_of(tracked.bindings[0].statement) if tracked.bindings else None
        if not tracked.competitors or not isinstance(builder, cst.FunctionDef) or not any(
                program.function_of(binding.statement) is not builder for binding in tracked.bindings) or not all(
                program.function_of(statement) is builder and self.analysis.chain_top(statement) is not None
                for statement, _ in tracked.competitors):
            return ""
        return ("; a builder whose flag chooses the scheduler converts when each branch returns its own "
                "(`if ...: return StepLR(...)` `else: return CosineAnnealingLR(...)`)")

    def _flag_branches(self, tracked, line, unfollowed: str) -> dict:
        """``if flag: scheduler = <this>(...) elif ...: scheduler = StepLR(...) else: ...``: every branch
        of one ``if`` chain binds the scheduler once, to a scheduler of the same optimizer that has a list form (or
        to None). The branches by statement, with the value each binds."""
        bound = {binding: value for binding, value in tracked.competitors}
        bound[line] = self.call
        default, top = self._default_then_override(bound)
        top = top or self.analysis.chain_top(line)
        if top is None:
            raise Refused("MIG107", f"{unfollowed}; the variable is not chosen by a flag's `if` (the one way several "
                                   "values convert together): give each training phase's scheduler and optimizer "
                                   "names of their own, then convert")
        blocks, exhaustive = self._branch_blocks(top)
        self._check_owner(list(bound.values()))
        optimizer = self.analysis.code(bind(self.call, self.SIGNATURE).values["optimizer"])
        problems = []
        if not exhaustive and default is None:
            problems.append("not every path through the flag's `if` binds it")
        if exhaustive and default is not None:
            problems.append(f"line {self.analysis.line(default)} is replaced on every path through the `if`")
        blocks = [block for block in blocks if not only_raises(block)]
        for statement, value in bound.items():
            if statement is default:
                if not isinstance(value, cst.Call) or value is not self.call and not self._sibling(value, optimizer):
                    problems.append(f"line {self.analysis.line(statement)} (`{self.analysis.first_line(value)}`) has "
                                    "no list form here")
            elif self.analysis.parents.get(statement) not in blocks:
                problems.append(f"line {self.analysis.line(statement)} is not a branch of that `if`")
            elif isinstance(value, cst.Name) and value.value == "None":
                continue
            elif not isinstance(value, cst.Call) or value is not self.call and not self._sibling(value, optimizer):
                problems.append(f"line {self.analysis.line(statement)} (`{self.analysis.first_line(value)}`) has no "
                                "list form here")
        holders = {self.analysis.parents.get(statement) for statement in bound if statement is not default}
        if len(holders) != len(bound) - (default is not None):
            problems.append("a branch binds it twice")
        elif any(block not in holders for block in blocks):
            problems.append("a branch of that `if` neither binds it nor raises")
        if problems:
            raise Refused("MIG107", f"{unfollowed}; the branches convert together only when each becomes a list: "
                                   + "; ".join(problems))
        self._conditional, self._default_branch = top, default
        return {statement: bound[statement] for statement in sorted(bound, key=self.analysis.start)}

    def _default_then_override(self, bound: dict) -> tuple[cst.SimpleStatementLine | None, cst.If | None]:
        """``scheduler = StepLR(...)`` right before ``if args.cosine: scheduler = CosineAnnealingLR(...)``: the
        first binding is the choice's ``else``. That binding and the ``if`` whose branches bind the rest; (None, None)
        for any other shape."""
        outside = [statement for statement in bound if self.analysis.chain_top(statement) is None]
        tops = {id(top): top for statement in bound if (top := self.analysis.chain_top(statement)) is not None}
        if len(outside) != 1 or len(tops) != 1:
            return None, None
        default, top = outside[0], next(iter(tops.values()))
        block = self.analysis.parents.get(default)
        body = list(getattr(block, "body", ()))
        if (self.analysis.parents.get(top) is not block or default not in body
                or body.index(default) + 1 >= len(body) or body[body.index(default) + 1] is not top):
            return None, None
        return default, top

    def _branch_blocks(self, top: cst.If) -> tuple[list, bool]:
        """The bodies of an ``if``/``elif``/``else`` chain, and whether it ends with an ``else`` (some branch
        runs whatever the flags)."""
        blocks, node = [], top
        while isinstance(node, cst.If):
            blocks.append(node.body)
            node = node.orelse
        if isinstance(node, cst.Else):
            blocks.append(node.body)
        return blocks, isinstance(node, cst.Else)

    def _sibling(self, call: cst.Call, optimizer: str) -> bool:
        names = self.analysis.names_of(call.func) & SIBLINGS.keys()
        if not names:
            return False
        sibling = SIBLINGS[next(iter(names))]
        bound = bind(call, ("optimizer", *sibling.signature))
        given = bound.values.get("optimizer")
        return (not bound.error and "last_epoch" not in bound.values and given is not None
                and self.analysis.code(given) == optimizer)

    def _warmup_chain(self, tracked, line) -> Chain | None:
        """``SequentialLR(optimizer, [LinearLR(optimizer, ...), this], milestones=[M])``, each scheduler bound to a
        variable used only there: the chain becomes one list. Any other chain holding this scheduler is refused by
        name, since it alone is not what the optimizer follows."""
        holding = self._chain_holding(tracked)
        if holding is None:
            return None
        chain_call, element = holding
        names = self.analysis.names_of(chain_call.func)
        where = f"{self.analysis.code(chain_call.func)}(...) at line {self.analysis.line(chain_call)}"
        refusal = (f"this {self.NAME} is part of {where}; the optimizer follows the chain, so the {self.SHORT_NAME} "
                   "alone cannot become its list: ")
        sequential = SCHEDULER_MODULE + "SequentialLR" in names
        if not sequential and not (self.MULTIPLIES and SCHEDULER_MODULE + "ChainedScheduler" in names):
            raise Refused("MIG107", refusal + f"only SequentialLR({self.WARMUP_KIND}, {self.NAME}) converts",
                          chain_call)
        bound = bind(chain_call, ("optimizer", "schedulers", "milestones", "last_epoch") if sequential
                     else ("schedulers", "optimizer")).values
        inner = bound.get("schedulers")
        milestones = bound.get("milestones")
        chosen = [f"`{self.analysis.code(item.value)}`" for item in getattr(inner, "elements", ())
                  if isinstance(item.value, cst.Name) and self.analysis.program.origin(item.value) is None]
        if chosen or len(tracked.uses) != 1:
            why = self._chosen_chain(tracked, chain_call, element) if sequential else "it is no SequentialLR"
            if why is None or not chosen:
                return None
            several = [item for item in getattr(inner, "elements", ()) if isinstance(item.value, cst.Name)
                       and len(self._member_values(item.value)) > 1]
            if not several:
                raise Refused("MIG107", refusal + why, chain_call)
            raise Refused("MIG107", refusal + f"{', '.join(chosen)} {'is' if len(chosen) == 1 else 'are'} not bound "
                                             "to one scheduler construction (chosen in a flag's branches, or given "
                                             "from elsewhere), and a chain converts only when each of its "
                                             f"schedulers is one, or a flag's `if` chooses each of the two: {why}",
                          chain_call)
        if (not isinstance(inner, cst.List) or len(inner.elements) != 2 or inner.elements[1] is not element
                or sequential and (not isinstance(milestones, cst.List) or len(milestones.elements) != 1)
                or "last_epoch" in bound):
            raise Refused("MIG107", refusal + f"it converts as [{self.WARMUP_KIND}, {self.NAME}] with one milestone",
                          chain_call)
        warmup_call = self.analysis.program.origin(inner.elements[0].value)
        warmup_names = self.analysis.names_of(warmup_call.func) & self.WARMUPS if warmup_call is not None else set()
        if not warmup_names:
            raise Refused("MIG107", refusal + f"its warmup is not a {self.WARMUP_KIND} the rule can read", chain_call)
        warmup_name = min(warmup_names)
        warmup = bind(warmup_call, ("optimizer", *SIBLINGS[warmup_name].signature))
        warmup_tracked = self.analysis.program.follow(warmup_call)
        chain_line = self.analysis.statement(chain_call)
        warmup_line = self.analysis.statement(warmup_call)
        if (warmup.error or "last_epoch" in warmup.values or len(warmup_tracked.uses) != 1
                or chain_line in (warmup_line, line)
                or warmup_tracked.competitors or not isinstance(chain_line, cst.SimpleStatementLine)
                or not isinstance(chain_line.body[0], cst.Assign | cst.Return)
                or isinstance(chain_line.body[0], cst.Assign) and len(chain_line.body[0].targets) != 1
                or self.analysis.parents.get(chain_call) is not chain_line.body[0]):
            raise Refused("MIG107", refusal + f"its {self.WARMUP_KIND} or the chain is used or bound in a way the "
                                             "rule does not follow (each scheduler bound to a variable the chain "
                                             "alone uses)", chain_call)
        returned = self.analysis.parents.get(chain_call)
        if isinstance(returned, cst.Return):
            self._chain_builder(chain_call, returned, bound.get("optimizer"), (warmup_line, line), refusal)
        for optimizer in (warmup.values.get("optimizer"), bound.get("optimizer", None if sequential else False)):
            if optimizer is False:
                continue
            if optimizer is None or self.analysis.code(optimizer) != self.analysis.code(
                    bind(self.call, self.SIGNATURE).values["optimizer"]):
                raise Refused("MIG107", refusal + "its schedulers drive different optimizers", chain_call)
        return Chain(chain_call, chain_line, warmup_call, warmup_line, line, dict(warmup.values),
                     milestones.elements[0].value if sequential else None, warmup_name)

    def _chain_builder(self, chain_call: cst.Call, returned: cst.Return, optimizer, members: tuple,
                       refusal: str) -> None:
        """``return SequentialLR(optimizer, [warmup, cosine], ...)`` at the end of a builder called once: the
        builder returns the chain's list instead, and its member schedulers' lines go with the chain."""
        tracked = self.analysis.program.follow(chain_call)
        function = self.analysis.program.function_of(chain_call)
        if len(tracked.bindings) == 1 and optimizer is not None:
            self._builder = returning_builder_of(self.analysis.program, returned, tracked.bindings[0].statement,
                                                 optimizer, absorbed=members)
        if self._builder is None or any(self.analysis.program.function_of(member) is not function
                                        for member in members):
            self._builder = None
            owner = f"{function.name.value}()" if isinstance(function, cst.FunctionDef) else "the function"
            raise Refused("MIG107", refusal + f"{owner} returns the chain, and only a builder called once, whose other "
                                             "statements build the chain's schedulers from the optimizer it is "
                                             "given, returns its list instead", chain_call)

    def _chosen_chain(self, tracked, chain_call: cst.Call, element: cst.Element) -> str | None:
        """torchvision's recipe: ``if flag: main = StepLR(...) elif ...: main = CosineAnnealingLR(...)``, then
        ``if W > 0: (if method: warmup = LinearLR(...) else: warmup = ConstantLR(...)); scheduler =
        SequentialLR(optimizer, [warmup, main], milestones=[W]) else: scheduler = main``. Sets
        ``self._chain_choice`` (and the main's branches) when the chain has that shape, else says why not; a warmup's
        site leaves the chain to the main's."""
        analysis = self.analysis
        bound = bind(chain_call, ("optimizer", "schedulers", "milestones", "last_epoch")).values
        inner, milestones = bound.get("schedulers"), bound.get("milestones")
        members = getattr(inner, "elements", ())
        if (not isinstance(inner, cst.List) or len(members) != 2 or not isinstance(milestones, cst.List)
                or len(milestones.elements) != 1 or "last_epoch" in bound):
            return "it converts as [warmup, scheduler] with one milestone"
        if members[0] is element:
            main = self._member_values(members[1].value)
            if isinstance(main, str):
                return main
            if any(isinstance(value, cst.Call) and analysis.names_of(value.func) & (
                    SIBLINGS.keys() | {SCHEDULER_MODULE + "CosineAnnealingLR"}) for value in main.values()):
                raise Elsewhere
            return "the scheduler it runs after the warmup is no scheduler a rule converts"
        chain_line = analysis.statement(chain_call)
        assign = chain_line.body[0] if isinstance(chain_line, cst.SimpleStatementLine) else None
        if (not isinstance(assign, cst.Assign) or len(assign.targets) != 1 or analysis.parents.get(chain_call)
                is not assign or not isinstance(assign.targets[0].target, cst.Name) or len(chain_line.body) != 1):
            return "the chain is not bound to a variable of its own"
        optimizer = analysis.code(bind(self.call, self.SIGNATURE).values["optimizer"])
        if bound.get("optimizer") is None or analysis.code(bound["optimizer"]) != optimizer:
            return "its schedulers drive different optimizers"
        warmups = self._member_values(members[0].value)
        if isinstance(warmups, str):
            return warmups
        for line, value in warmups.items():
            if not isinstance(value, cst.Call) or not self._sibling(value, optimizer):
                return (f"the warmup of line {analysis.line(line)} (`{analysis.first_line(value)}`) is no scheduler "
                        "of the same optimizer with a list form")
            if len(analysis.program.follow(value).uses) != 1:
                return (f"the warmup of line {analysis.line(line)} (`{analysis.first_line(value)}`) is also used "
                        "otherwise than in the chain")
        warmup_top = analysis.chain_top(next(iter(warmups))) if len(warmups) > 1 else None
        chained = analysis.program.follow(chain_call)
        alone = None
        if chained.competitors:
            alone, value = chained.competitors[0]
            outer = analysis.parents.get(analysis.parents.get(chain_line))
            if (len(chained.competitors) != 1 or not isinstance(value, cst.Name)
                    or value.value != analysis.code(members[1].value) or not isinstance(outer, cst.If)
                    or outer.body is not analysis.parents.get(chain_line) or not isinstance(outer.orelse, cst.Else)
                    or analysis.parents.get(alone) is not outer.orelse.body):
                return ("the chain's variable is also bound otherwise than by `else: scheduler = main` after the "
                        "`if` that builds the chain")
        others = {id(use.node) for use in tracked.uses if use.kind != STORED}
        if others != ({id(use.node) for use in chained.uses} if alone is not None else set()):
            return "the scheduler is also used otherwise than through the chain"
        last = analysis.parents.get(analysis.parents.get(chain_line)) if alone is not None else chain_line
        construction = warmup_top or next(iter(warmups))
        if analysis.parents.get(construction) is not analysis.parents.get(chain_line) or analysis.start(
                construction) > analysis.start(chain_line):
            return "the warmup is not built right before the chain, in its block"
        self._chain_choice = ChainChoice(chain_call, chain_line, milestones.elements[0].value, warmups, warmup_top,
                                         alone, last)
        return None

    def _member_values(self, member: cst.BaseExpression) -> dict | str:
        """What a chain's member variable holds: each statement binding it, with its value; when several, they are
        the branches of one flag's ``if`` (a branch that raises binds nothing), every path binding it once."""
        analysis = self.analysis
        if not isinstance(member, cst.Name):
            return f"`{analysis.code(member)}` is no variable"
        found = {}
        for assignment in analysis.bindings(analysis.scopes.get(member), member.value):
            assigned = analysis.assigned_value(assignment) if hasattr(assignment, "node") else None
            if assigned is None:
                return f"`{member.value}` is bound otherwise than by `{member.value} = ...` on a line of its own"
            found[assigned[0]] = assigned[1]
        if len(found) < 2:
            return found or f"`{member.value}` is not bound here"
        top = analysis.chain_top(next(iter(found)))
        blocks, exhaustive = self._branch_blocks(top) if top is not None else ([], False)
        holders = [analysis.parents.get(line) for line in found]
        if (top is None or not exhaustive or len(set(map(id, holders))) != len(found)
                or any(block not in holders and not only_raises(block) for block in blocks)
                or any(holder not in blocks for holder in holders)):
            return (f"`{member.value}` is bound in several places that are not the branches of one flag's `if` "
                    "(with an `else`), each binding it once or raising")
        return found

    def _chain_holding(self, tracked) -> tuple[cst.Call, cst.Element] | None:
        """The scheduler chain (``SequentialLR``, ``ChainedScheduler``...) whose list of schedulers is this
        scheduler's only use, and its element there."""
        stored = [use for use in tracked.uses if use.kind == STORED]
        if len(stored) != 1:
            return None
        element = self.analysis.parents.get(stored[0].node)
        chain_call = self.analysis.parents.get(self.analysis.parents.get(self.analysis.parents.get(element)))
        names = self.analysis.names_of(chain_call.func) if isinstance(chain_call, cst.Call) else set()
        if not any(name.startswith(SCHEDULER_MODULE) for name in names):
            return None
        return chain_call, element

    def _none_binding(self, tracked, line: cst.SimpleStatementLine) -> cst.SimpleStatementLine | None:
        """``scheduler = None`` before the ``if`` that creates the scheduler, in the same block: a scheduler
        created only under a flag. The only other value the variable may hold; None when that is not the shape."""
        if len(tracked.competitors) != 1:
            return None
        binding, value = tracked.competitors[0]
        conditional = self._condition_of(line)
        if (not (isinstance(value, cst.Name) and value.value == "None") or conditional is None
                or not isinstance(binding, cst.SimpleStatementLine) or len(binding.body) != 1
                or self.analysis.parents.get(binding) is not self.analysis.parents.get(conditional)
                or self.analysis.start(binding) > self.analysis.start(conditional)):
            return None
        return binding

    def _guarded_by_its_flag(self, line, step) -> None:
        """``if args.cosine: scheduler = CosineAnnealingLR(...)`` and ``if args.cosine: scheduler.step()``: the
        step runs exactly when the scheduler exists, so the list takes the flag's branch and the optimizer otherwise
        keeps its constant lr, as with a scheduler bound to None first. The test must be the same, read no call and
        nothing bound or set twice, and the guard hold the step alone."""
        created, guard = self._condition_of(line), self._condition_of(step)
        if (created is None or guard is None or guard is created or len(guard.body.body) != 1
                or self.analysis.code(guard.test) != self.analysis.code(created.test)
                or not self._stable_test(created.test)):
            return
        self._conditional = self._flag_guard = created
        self._step_guards[step] = guard

    def _stable_test(self, test: cst.BaseExpression) -> bool:
        """A flag's test that holds the same value wherever it is read: no call, each name bound once, and no
        attribute it reads (``args.cosine``) set anywhere in the module."""
        if calls_in(test) or any(self.analysis.single_assignment(name) is None for name in read_names(test)):
            return False
        read = {self.analysis.code(node) for node in self.analysis.nodes(cst.Attribute)
                if test in self.analysis.ancestors(node) or node is test}
        return not any(self.analysis.code(node) in read for node in self.analysis.nodes(cst.Attribute)
                       if isinstance(self.analysis.parents.get(node), (cst.AssignTarget, cst.AugAssign, cst.AnnAssign)))

    def _condition_of(self, line: cst.SimpleStatementLine) -> cst.If | None:
        """The ``if`` (without ``else``) whose body holds ``line`` directly."""
        block = self.analysis.parents.get(line)
        conditional = self.analysis.parents.get(block)
        if isinstance(conditional, cst.If) and conditional.body is block and conditional.orelse is None:
            return conditional
        return None

    def _guard_step(self, use: Use, steps: list[cst.SimpleStatementLine]) -> None:
        """A None test of the scheduler must be ``if scheduler is not None:`` (or ``if scheduler:``) around a
        step() alone, with no ``else``: the whole ``if`` then goes with the step. (A scheduler never bound to None
        passes the test every time, so its step runs as if unguarded.)"""
        test = self.analysis.parents.get(use.node)
        if isinstance(test, cst.Comparison) and isinstance(test.comparisons[0].operator, cst.IsNot):
            conditional = self.analysis.parents.get(test)
        else:
            conditional = test
        guarded = next((step for step in steps if self._condition_of(step) is conditional), None)
        line = self.analysis.line(use.node)
        if (not isinstance(conditional, cst.If) or conditional.test not in (use.node, test) or guarded is None
                or conditional.orelse is not None):
            quoted = self.analysis.first_line(self.analysis.statement(use.node))
            raise Refused("MIG107", f"the scheduler is tested at line {line} (`{quoted}`); only `if scheduler is not "
                                   "None: scheduler.step()`, with no else, goes with the list", use.node)
        if len(conditional.body.body) != 1:
            other = next(statement for statement in conditional.body.body if statement is not guarded)
            raise Refused("MIG107", f"`if {self.analysis.code(conditional.test)}:` at line {line} does more than "
                                   f"step the scheduler (line {self.analysis.line(other)}: `"
                                   f"{self.analysis.first_line(other)}`); only the step() can go with the list",
                          use.node)
        self._step_guards[guarded] = conditional

    def _after_condition(self, statement, optimizer_line, optimizer: cst.Name, reads, mapping) -> cst.CSTNode:
        """Where the MindSpore optimizer is built when the scheduler is created under a flag: right after that
        ``if``, with the list (or the constant lr) the flag chose."""
        conditional = self._chain_choice.last if self._chain_choice is not None else self._conditional
        moved = self.analysis.chain_top(optimizer_line) if self._optimizer_choice else optimizer_line
        block = self.analysis.parents.get(conditional)
        following = block.body[block.body.index(conditional) + 1:] if hasattr(block, "body") else []
        why = None
        if mapping is None:
            why = "the optimizer has no mapping, so it cannot be built after the flag's `if`"
        elif not following:
            why = (f"nothing follows {'the `if` at ' if isinstance(conditional, cst.If) else ''}line "
                   f"{self.analysis.line(conditional)} to build the optimizer before")
        elif self.analysis.parents.get(moved) is not block:
            why = f"the optimizer (line {self.analysis.line(optimizer_line)}) is built in another block"
        else:
            for node, at in reads:
                places = ([statement, *self._branches, *self._choice_lines()] if at in self._loop_nodes
                          else [statement] if at is statement else [following[0]])
                for place in places:
                    why = why or self.analysis.unbound_name(node, place, at)
            lr = self._lr_argument(optimizer_line)
            constants = [self._none_first] if self._none_first is not None else [
                branch for branch, value in self._branches.items() if isinstance(value, cst.Name)]
            for place in constants if lr is not None else []:
                why = why or self.analysis.unbound_name(lr, place, optimizer_line)
            why = why or self._optimizer_cannot_move(moved, optimizer, conditional, following[0])
        if why is not None and self._chain_choice is not None:
            raise Refused("MIG105", f"the rewrite builds the MindSpore optimizer after the chain (line "
                                   f"{self.analysis.line(self._chain_choice.line)}), where the lists exist, but "
                                   f"{why}", statement)
        if why is not None:
            raise Refused("MIG105", f"the scheduler is created under `if {self.analysis.code(conditional.test)}:` "
                                   f"and {why}", statement)
        return following[0]

    def _choice_lines(self) -> list[cst.CSTNode]:
        """The lines a chain of chosen members builds lists at besides the main's branches."""
        choice = self._chain_choice
        if choice is None:
            return []
        return [*choice.warmups, choice.line, *([choice.alone] if choice.alone is not None else [])]

    def _member_list_name(self, list_name: str) -> str:
        """A fresh name for the list a chain's chosen main scheduler becomes (``main_lr_scheduler`` →
        ``main_lr_schedule``)."""
        members = bind(self._chain_choice.call, ("optimizer", "schedulers")).values["schedulers"].elements
        return self._list_variable(members[1].value, list_name)

    def _list_variable(self, variable: cst.BaseExpression, fallback: str) -> str:
        name = variable.value if isinstance(variable, cst.Name) else fallback
        renamed = re.sub(r"sched(uler)?", "schedule", name)
        return self.analysis.fresh_name(renamed if renamed != name else f"{name}_lrs")

    def _split_at_the_warmup(self, cadence: Cadence) -> None:
        """A chain's chosen main runs from the milestone on: its run and list leave out the warmup's steps (where
        the main runs alone the milestone is 0, so they cover that run too; ``_run_steps``, ``_list_steps``)."""
        if cadence.run_steps is None:
            raise Refused("MIG102", "the training length is not visible: the chain's lists are written for the "
                                   "run's optimizer steps, and MindSpore raises one step past the end",
                          self._chain_choice.call)
        self._choice_split = product(self._count(self._chain_choice.milestone, "milestone"), cadence.step_every)

    def _alone_verdict(self, claim: Claim, tested: str) -> verify.Verdict:
        """A main's claim where the scheduler runs alone: what the ``if`` tests above 0 (the milestone, or its factor
        ``W`` in ``iters_per_epoch * W``) read as 0, which makes the milestone 0 (the `else` of `if W > 0`)."""
        milestone = re.compile(r"(?<![\w.])" + re.escape(tested) + r"(?![\w(])")

        def at_zero(schedule: Schedule) -> Schedule:
            return replace(schedule, args={key: milestone.sub("0", text) for key, text in schedule.args.items()})

        return verify.verify(replace(
            claim, source=at_zero(claim.source), target=at_zero(claim.target),
            run_steps=milestone.sub("0", claim.run_steps), agrees_for=None,
            positive=tuple(text for text in claim.positive if not milestone.search(text))), self.analysis.constants)

    def _choice_lists(self, replacements: dict, list_name: str, main_list: str, values: ScheduleValues,
                      cadence: Cadence, package: str) -> dict:
        """A chain of chosen members: each warmup branch becomes its list over the milestone's optimizer steps, the
        chain the warmup list then the main's (torch restarts the main at the milestone), the ``else`` the main's
        list alone. Every warmup is verified with every main against torch's SequentialLR. The main's branches
        (in ``replacements``) build their list only when the run gets past the warmup: torch never steps the main
        otherwise, and its arguments (``T_max=epochs - warmup``) may then be out of MindSpore's range."""
        choice = self._chain_choice
        if self._epoch_start:
            raise Refused("MIG106", "scheduler.step() runs at the start of each epoch; a chain converts only when "
                                   "stepped after the epoch's optimizer steps", choice.call)
        milestone = self._count(choice.milestone, "milestone")
        guard = self.analysis.parents.get(self.analysis.parents.get(choice.line))
        factors = _factors(choice.milestone)
        tested = next((factor for factor in factors if choice.alone is not None and same_expression(
            self.analysis.code(guard.test), f"{self.analysis.code(factor)} > 0")), None)
        guarded = tested is not None
        self._assume_positive((self.analysis.code(choice.milestone),
                               *(self.analysis.code(factor) for factor in factors if factor is not tested)))
        if choice.alone is not None and not guarded:
            raise Refused("MIG107", f"the chain is built under `if {self.analysis.code(guard.test)}:` and the "
                                   "scheduler runs alone otherwise; the rewrite builds the scheduler's list only "
                                   "for a run that gets past the warmup, which the `else` follows only when the "
                                   f"test is `{self.analysis.code(choice.milestone)} > 0` (or a factor of it above "
                                   "0)", guard)
        split = product(milestone, cadence.step_every)
        whole = values.total_step.removesuffix(f" - {atom(split)}")
        past_warmup = f"{atom(whole)} > {atom(split)}"
        own = self.analysis.statement(self.call)
        for line in dict.fromkeys((own, *self._branches)):
            why = self.analysis.unbound_name(choice.milestone, line, choice.line)
            if why is not None:
                raise Refused("MIG105", f"the scheduler of line {self.analysis.line(line)} is built as a list only "
                                       f"when the run gets past the warmup, which reads "
                                       f"{self.analysis.code(choice.milestone)} there, but {why}", line)
            if isinstance(replacements.get(line), list):
                replacements[line] = [built_only_if(statement, past_warmup) for statement in replacements[line]]
        members = bind(choice.call, ("optimizer", "schedulers")).values["schedulers"].elements
        warmup_list = self._list_variable(members[0].value, "warmup_lr")
        source = values.claim.source.args
        frame = Frame(source["base_lr"], values.max_lr, cadence.step_every, values.step_per_epoch, split,
                      f"{package}.nn", (self.analysis.fresh_name("step"), self.analysis.fresh_name("milestone")))
        mains = {own: Listed("", values.claim.source, values.claim.target, tuple(values.claim.positive)),
                 **self._branch_listed}
        for main_line, main in mains.items() if choice.alone is not None else ():
            verdict = self._alone_verdict(replace(values.claim, source=main.source, target=main.target, positive=(
                *bearing_on(values.claim, main.source, main.target), *main.positive)), self.analysis.code(tested))
            if verdict.kind != verify.EQUIVALENT:
                raise Refused("MIG105", f"the scheduler of line {self.analysis.line(main_line)} alone (line "
                                       f"{self.analysis.line(choice.alone)}, where the milestone is 0) would not keep "
                                       f"its learning rates as its list: {verdict.detail}", main_line)
        if choice.alone is not None:
            self.assumptions.append(f"{self.analysis.code(choice.milestone)} is 0 where the scheduler runs alone "
                                    "(line " f"{self.analysis.line(choice.alone)}), not below (checked at 0)")
        built = []
        for line, value in choice.warmups.items():
            name = next(iter(self.analysis.names_of(value.func) & SIBLINGS.keys()))
            where = f"the {name.removeprefix(SCHEDULER_MODULE)} warmup (line {self.analysis.line(line)})"
            listed = self._scheduler_list(name, bind(value, ("optimizer", *SIBLINGS[name].signature)).values, frame,
                                          value, where)
            for main_line, main in mains.items():
                claim = replace(values.claim, source=Schedule(
                    f"torch.SequentialLR[{listed.source.model},{main.source.model}]", {
                        "base_lr": source["base_lr"], "step_every": source["step_every"],
                        "milestones": f"[{milestone}]",
                        **{f"{index}.{key}": text for index, part in enumerate((listed, main))
                           for key, text in part.source.args.items() if key not in ("base_lr", "step_every")}}),
                    target=Schedule(f"mindspore.concat[{listed.target.model},{main.target.model}]", {
                        "split": split, **{f"{index}.{key}": text for index, part in enumerate((listed, main))
                                           for key, text in part.target.args.items()}}),
                    agrees_for=None, positive=(*bearing_on(values.claim, listed.source, main.source, listed.target,
                                                            main.target), *listed.positive, *main.positive))
                verdict = verify.verify(claim, self.analysis.constants)
                if verdict.kind != verify.EQUIVALENT:
                    raise Refused("MIG105", f"{where} then the scheduler of line {self.analysis.line(main_line)} "
                                           f"would not keep their learning rates as one list: {verdict.detail}",
                                  value)
            built.append(f"{where} → its list [{verdict.kind} with each scheduler: {verdict.detail}]")
            statement = cst.parse_statement(f"{warmup_list} = {listed.expression}\n")
            replacements[line] = [line.with_changes(body=statement.body)]
        replacements[choice.line] = [choice.line.with_changes(
            body=cst.parse_statement(f"{list_name} = {warmup_list} + {main_list}\n").body)]
        if choice.alone is not None:
            replacements[choice.alone] = [choice.alone.with_changes(
                body=cst.parse_statement(f"{list_name} = {main_list}\n").body)]
        if guarded:
            self.assumptions = [assumption for assumption in self.assumptions if not assumption.startswith(
                f"{self.analysis.code(choice.milestone)} > 0 ")]
        self._choice_verdicts.append(
            f"; the SequentialLR of line {self.analysis.line(choice.line)} becomes {list_name} = {warmup_list} + "
            f"{main_list} (the warmup's list for {self.analysis.code(choice.milestone)} scheduler steps, then the "
            "scheduler's from its start, where torch restarts it)"
            + (f", and {list_name} = {main_list} where line {self.analysis.line(choice.alone)} used the scheduler "
               "alone" if choice.alone is not None else "") + ": " + "; ".join(built))
        return replacements

    def _lr_argument(self, optimizer_line) -> cst.BaseExpression | None:
        call = optimizer_line.body[0].value
        mapping = OPTIMIZERS[next(iter(sorted(self.analysis.names_of(call.func) & OPTIMIZERS.keys())))]
        return bind(call, mapping.positional, mapping.keyword_only).values.get("lr")

    def _constant_lr(self, line, list_name: str, optimizer_arguments) -> list[cst.SimpleStatementLine]:
        """``scheduler = None`` becomes the optimizer's constant lr, which the flag's branch replaces by the list."""
        lr = optimizer_arguments.get("lr")
        text = self.analysis.code(lr) if lr is not None else self._default_lr
        assignment = cst.parse_statement(f"{list_name} = {text}\n")
        return [line.with_changes(body=assignment.body)]

    def _branch_lists(self, list_name: str, values: ScheduleValues, cadence: Cadence, package: str,
                      optimizer_arguments, returned: bool = False) -> dict:
        """Each other branch's scheduler as its list (verified here, since the fix's claim is this site's), or
        the constant lr for a None branch."""
        replacements = {}
        frame = None
        for line, value in self._branches.items():
            if value is self.call:
                continue
            if isinstance(value, cst.Name):
                replacements[line] = self._constant_lr(line, list_name, optimizer_arguments)
                continue
            where = f"the {self.analysis.code(value.func)} branch (line {self.analysis.line(line)})"
            if cadence.run_steps is None:
                raise Refused("MIG106", f"{where} needs the run length for its list, and the loops do not show it",
                              value)
            frame = frame or Frame(values.claim.source.args["base_lr"], values.max_lr, cadence.step_every,
                                   values.step_per_epoch, values.total_step, f"{package}.nn",
                                   (self.analysis.fresh_name("step"), self.analysis.fresh_name("milestone")))
            name = next(iter(self.analysis.names_of(value.func) & SIBLINGS.keys()))
            listed = self._scheduler_list(name, bind(value, ("optimizer", *SIBLINGS[name].signature)).values, frame,
                                          value, where)
            self._branch_listed[line] = listed
            claim = replace(values.claim, source=listed.source, target=listed.target, agrees_for=None,
                            positive=(*bearing_on(values.claim, listed.source, listed.target), *listed.positive))
            verdict = verify.verify(claim, self.analysis.constants)
            if verdict.kind != verify.EQUIVALENT:
                raise Refused("MIG105", f"{where} would not keep its learning rates as a list: {verdict.detail}",
                              value)
            built = listed.expression.split("(")[0] + "(...)" if "(" in listed.expression.split("[")[0] \
                else "a list of its rates"
            self._branch_verdicts.append(f"{where} → {built} [{verdict.kind}: {verdict.detail}]")
            statement = cst.parse_statement(f"return {listed.expression}\n" if returned
                                            else f"{list_name} = {listed.expression}\n")
            replacements[line] = [line.with_changes(body=statement.body)]
        return replacements

    def _builder_gets(self) -> str:
        builder = self._builder
        given = ", ".join(f"{name}={value}" for name, value in builder.added.items())
        if self._returns_alone():
            return (f"; {builder.function.name.value}() returns the list instead of the scheduler, without "
                    f"`{builder.consumed.name.value}`" + (f" and with {given}" if given else "")
                    + f"; its call moves from line {self.analysis.line(builder.call)} to before the optimizer "
                      f"(line {self.analysis.line(self._optimizer_line)}), which takes the list")
        kept = len(builder.returned.value.elements) - 1
        returns = "the MindSpore optimizer alone" if kept == 1 else f"its other {kept} values, without the scheduler"
        return (f"; {builder.function.name.value}() returns {returns}"
                + (f" and gets {given} from its call at line {self.analysis.line(builder.call)}" if given else ""))

    def _returned_branches(self) -> dict:
        """A builder's returns, each ending a branch of its flag's ``if``: this scheduler and schedulers of the
        same optimizer with a list form, by return line."""
        optimizer = self._builder.consumed.name.value
        self._check_owner([returned.value for returned in self._builder.returns])
        branches = {}
        for returned in self._builder.returns:
            line = self.analysis.statement(returned)
            if returned.value is not self.call and not self._sibling(returned.value, optimizer):
                raise Refused("MIG107", f"{self._builder.function.name.value}() returns "
                                        f"`{self.analysis.first_line(returned.value)}` at line "
                                        f"{self.analysis.line(returned)}, which has no list form here; its branches "
                                        "convert together only when each returns a scheduler that becomes a list",
                              returned)
            branches[line] = returned.value
        return branches

    def _returns_alone(self) -> bool:
        """The scheduler comes from a builder that returns it alone, built from the optimizer it is given."""
        return self._builder is not None and self._builder.index is None

    def _returning_builder_place(self, optimizer_line) -> cst.CSTNode:
        """The optimizer's line, before which the builder's call moves (it must read the same values there), and
        only a plain scheduler: the other shapes each move the scheduler's construction too."""
        other = self._also_has(CONDITION, GROUPS, *((FLAG,) if len(self._builder.returns) == 1 else ()))
        if other:
            raise Refused("MIG107", f"{self._builder.function.name.value}() returns the scheduler and the site also "
                                   f"has {other}; each converts alone, not together", self.call)
        for argument in self._builder.call.args:
            why = self.analysis.unbound_name(argument.value, optimizer_line, argument.value)
            if why is not None and argument.value is not self._builder_argument():
                raise Refused("MIG105", f"the call of {self._builder.function.name.value}() would move before the "
                                       f"optimizer (line {self.analysis.line(optimizer_line)}), but there {why}",
                              argument.value)
        return optimizer_line

    def _builder_argument(self) -> cst.BaseExpression | None:
        program = self.analysis.program
        return next((argument.value for argument in self._builder.call.args
                     if (received := program.parameter_for(self._builder.call, argument)) is not None
                     and received.value == self._builder.consumed.name.value), None)

    def _chosen(self) -> str:
        chooser = (f"{self._builder.function.name.value}() returns the list of whichever branch runs"
                   if self._returns_alone() else f"the `if` at line {self.analysis.line(self._conditional)} "
                                                  "chooses the list")
        return (f"; {chooser}: "
                + "; ".join(self._branch_verdicts or ["the other branches keep the optimizer's constant lr"]))

    def _otherwise(self, list_name: str) -> str:
        conditional = self._condition_of(self.analysis.statement(self.call))
        return (f" when `{self.analysis.code(conditional.test)}` holds; otherwise {list_name} is the constant lr "
                "the torch optimizer kept")


def _factors(expression: cst.BaseExpression) -> list[cst.BaseExpression]:
    """The expression and, when it is a product (``iters_per_epoch * args.lr_warmup_epochs``), each of its
    factors: with the other factors above 0, the product is above 0 exactly when one of them is."""
    leaves, pending = [], [expression]
    while pending:
        node = pending.pop()
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Multiply):
            pending += [node.right, node.left]
        else:
            leaves.append(node)
    return [expression, *leaves] if len(leaves) > 1 else [expression]
