"""How often a scheduler site's scheduler steps and for how long: the optimizer step it follows (in the loop, in
a helper, in a builder, under Lightning), the loops' counts, and whole epochs."""

from __future__ import annotations

import functools

import libcst as cst

from migrate.analysis import product
from migrate.bridge.scheduler_parts import (
    BUILDER,
    CHAIN,
    CONDITION,
    FLAG,
    OPTIMIZER_CHOICE,
    READS,
    RESUME,
    Cadence,
    LightningReturn,
    may_leave,
    string_value,
)
from migrate.bridge.torch_schedulers import written_whole
from migrate.program import ARGUMENT, Use
from migrate.program.budget import Cap, batch_cap, step_budget
from migrate.program.builder import in_builder_terms
from migrate.program.cadence import ACCUMULATION, NotVisible, cadence
from migrate.program.model import substituted
from migrate.rule import Note, Refused


class SchedulerCadence:
    """A scheduler site's cadence: optimizer steps per scheduler step, the run's length where the loops
    show it, and the assumptions both rest on."""

    def _lightning_module(self, owner: cst.ClassDef | None, depth: int = 4) -> bool:
        """Whether ``owner`` derives from Lightning's ``LightningModule``: directly, through classes of this module,
        or through a class imported from elsewhere in a module that imports Lightning (``BenchmarkModule`` of a
        library built on it). Only then does a Trainer call its ``configure_optimizers`` and step what it returns;
        a plain ``torch.nn.Module`` with such a method is driven by the script's own loop."""
        if owner is None or depth == 0:
            return False
        for base in owner.bases:
            names = self.analysis.names_of(base.value)
            if any(name.endswith("LightningModule") for name in names):
                return True
            own = self.analysis.program.own_class(base.value)
            if own is not None and self._lightning_module(own, depth - 1):
                return True
            if own is None and names and not any(name.startswith(("torch.", "builtins.")) for name in names) \
                    and self._imports_lightning:
                return True
        return False

    @functools.cached_property
    def _imports_lightning(self) -> bool:
        modules = [self.analysis.code(alias.name) for node in self.analysis.nodes(cst.Import) for alias in node.names]
        modules += [self.analysis.code(node.module) for node in self.analysis.nodes(cst.ImportFrom) if node.module]
        return any(module.split(".")[0] in ("lightning", "pytorch_lightning") for module in modules)

    def _lightning_return(self, use: Use) -> LightningReturn | None:
        """The scheduler returned from a LightningModule's ``configure_optimizers``: ``[optimizer], [scheduler]``,
        ``{"optimizer": ..., "lr_scheduler": scheduler}`` or a scheduler config dict ``{"scheduler": scheduler,
        "interval": "epoch" | "step"}`` in either; a ``frequency`` other than 1 or a ``monitor`` is not followed."""
        function = self.analysis.program.function_of(self.call)
        if not (isinstance(function, cst.FunctionDef) and function.name.value == "configure_optimizers"
                and self._lightning_module(self.analysis.program.class_of(function))):
            return None
        node, interval = use.node, "epoch"
        parent = self.analysis.parents.get(node)
        if isinstance(parent, cst.DictElement) and string_value(parent.key) == "scheduler":
            config = self.analysis.parents[parent]
            entries = {string_value(element.key): element.value for element in config.elements
                       if isinstance(element, cst.DictElement)}
            if set(entries) - {"scheduler", "interval", "frequency", "name"} or len(entries) != len(config.elements):
                return None
            interval = string_value(entries.get("interval", cst.SimpleString('"epoch"')))
            frequency = entries.get("frequency")
            if interval not in ("epoch", "step") or frequency is not None and self.analysis.code(frequency) != "1":
                return None
            node, parent = config, self.analysis.parents.get(config)
        if isinstance(parent, cst.DictElement) and string_value(parent.key) == "lr_scheduler":
            returned = self.analysis.parents[parent]
            if len(returned.elements) != 2:
                return None
        elif isinstance(parent, cst.Element) and isinstance(self.analysis.parents.get(parent), cst.List):
            listed = self.analysis.parents[parent]
            returned = self.analysis.parents.get(self.analysis.parents.get(listed))
            if len(listed.elements) != 1 or not (isinstance(returned, cst.Tuple) and len(returned.elements) == 2):
                return None
        else:
            return None
        statement = self.analysis.parents.get(returned)
        if not (isinstance(statement, cst.Return) and statement.value is returned):
            return None
        return LightningReturn(returned, interval)

    def _lightning_cadence(self) -> Cadence:
        """Lightning steps an "epoch" scheduler after each epoch's batches and a "step" one after each optimizer
        step; the run is ``max_epochs`` epochs of ``num_training_batches`` optimizer steps (the MIG115 assumptions)."""
        other = self._also_has(CHAIN, FLAG, CONDITION, BUILDER, RESUME, OPTIMIZER_CHOICE, READS)
        if other:
            raise Refused("MIG115", f"the scheduler is returned to Lightning and the site also has {other}; "
                                   "each converts alone, not together", self._lightning.value)
        batches, epochs = "self.trainer.num_training_batches", "self.trainer.max_epochs"
        run = product(epochs, batches)
        if self._lightning.interval == "step":
            return Cadence("1", run, False, [])
        return Cadence(batches, run, True, [])

    def _lightning_note(self, owner: str, list_name: str) -> Note:
        every = ("after every epoch's batches" if self._lightning.interval == "epoch"
                 else "after every optimizer step")
        return Note(self._lightning.value, "MIG115",
                    f"Lightning's Trainer stepped this scheduler {every} (interval \"{self._lightning.interval}\"); "
                    f"configure_optimizers now returns the MindSpore optimizer {owner} with {list_name}, one entry "
                    "per optimizer step of self.trainer.max_epochs epochs of self.trainer.num_training_batches "
                    "batches (assumes one optimizer step per batch: accumulate_grad_batches=1, no max_steps); the "
                    "Trainer drives torch optimizers only, so port the training loop to MindSpore with that run")

    def _cadence(self, statement, steps, optimizer: cst.Name) -> Cadence:
        step = steps[0]
        scope = self.analysis.enclosing_scope(statement)
        optimizer_step = self._optimizer_step(optimizer)
        self._optimizer_step_node = optimizer_step
        if self.analysis.enclosing_scope(optimizer_step) is not scope or self.analysis.enclosing_scope(step) is not scope:
            return self._helper_cadence(statement, step, optimizer_step)
        base = self.analysis.loops(statement)
        scheduler_loops = self.analysis.loops(step)
        optimizer_loops = self.analysis.loops(optimizer_step)
        if optimizer_loops[:len(base)] != base or len(optimizer_loops) == len(base):
            raise Refused("MIG106", "optimizer.step() is not in a loop of its own after the scheduler is built",
                          optimizer_step)
        run_loops = optimizer_loops[len(base):]
        self._loop_nodes = [self.analysis.counted_iterable(loop) for loop in run_loops if isinstance(loop, cst.For)]
        self._run_loop = run_loops[0]
        together = self._stepped_together(optimizer_step, step, optimizer_loops[-1])
        if self.analysis.guards(optimizer_step, optimizer_loops[-1]) and not together:
            raise Refused("MIG106", "optimizer.step() runs under a condition, so the optimizer steps per epoch are "
                                   "not visible", optimizer_step)
        if scheduler_loops == optimizer_loops:
            if self.analysis.start(step) < self.analysis.start(optimizer_step):
                raise Refused("MIG106", "scheduler.step() runs before optimizer.step() in the same loop: every "
                                       "optimizer step would use the next step's lr", step)
            if not together:
                self._unguarded(step, scheduler_loops[-1])
            for leaving in self.analysis.loop_exits(optimizer_loops[-1], run_loops[0]):
                if self.analysis.start(optimizer_step) < self.analysis.start(leaving) < self.analysis.start(step):
                    raise Refused("MIG106", f"{self._exit_text(leaving)} comes between optimizer.step() and "
                                           "scheduler.step(): an optimizer step can go without its scheduler step, "
                                           "which a list indexed by optimizer step cannot follow", leaving)
            run, assumptions = self._counts(run_loops, optimizer_step)
            if together:
                assumptions.append(ACCUMULATION.format(line=self.analysis.line(together[0])))
            return Cadence("1", run, False, assumptions)
        if scheduler_loops == optimizer_loops[:-1] and len(scheduler_loops) > len(base):
            batch_loop = optimizer_loops[-1]
            if self.analysis.start(step) < self.analysis.end(batch_loop):
                self._epoch_start = self._steps_first(step, batch_loop, scheduler_loops[-1], run_loops[0])
            self._unguarded(step, scheduler_loops[-1])
            self._unguarded(batch_loop, scheduler_loops[-1])
            cap = batch_cap(self.analysis, batch_loop, optimizer_step)
            self._check_whole_epochs(batch_loop, scheduler_loops[-1], step, run_loops[0], cap)
            per_epoch, why = self.analysis.iteration_count(batch_loop)
            if per_epoch is None:
                raise Refused("MIG106", f"the optimizer steps per epoch are not visible: {why}", batch_loop)
            if cap is not None:
                per_epoch = f"min({per_epoch}, {cap.count})"
                self._loop_nodes.append(cap.limit)
            assumptions = [why] if why else []
            if cap is not None:
                assumptions.append(f"{cap.count} > 0 (MindSpore needs step_per_epoch > 0)")
                self._positive.append(cap.count)
            run, more = self._counts(run_loops, optimizer_step)
            return Cadence(per_epoch, run, True, assumptions + [a for a in more if a not in assumptions],
                           tuple(self._early_exits))
        raise Refused("MIG106", "scheduler.step() is neither in the optimizer's loop nor right after its batch "
                               "loop, so its cadence is not visible", step)

    def _creation(self, optimizer: cst.BaseExpression) -> cst.Call | None:
        """The optimizer's construction: the one call it holds, or the first branch of an optimizer choice (the
        branches bind the same name, so they share its uses)."""
        return self._optimizer_choice[0][1] if self._optimizer_choice else self.analysis.program.origin(optimizer)

    def _optimizer_step(self, optimizer: cst.Name) -> cst.CSTNode:
        """The one statement where the optimizer steps: ``optimizer.step()`` or ``scaler.step(optimizer)``, here
        or in a function of this module the optimizer reaches as a global or a parameter."""
        tracked = self.analysis.program.follow(self._creation(optimizer))
        sites = [self.analysis.statement(use.call) for use in tracked.methods("step")]
        stepped_by = [use.call for use in tracked.of_kind(ARGUMENT)
                      if isinstance(use.call.func, cst.Attribute) and use.call.func.attr.value == "step"]
        for call in stepped_by:
            own = self.analysis.program.instance_of_own_class(call.func.value)
            if own is not None:
                raise Refused("MIG106", f"`{self.analysis.code(call)}` at line {self.analysis.line(call)} calls the "
                                       f"step() of {own.name.value}, a class of this module, which may step the "
                                       "optimizer any number of times: the optimizer steps are not visible", call)
        sites += [self.analysis.statement(call) for call in stepped_by]
        sites = self._one_of_two_branches(sites)
        if len(sites) != 1:
            lines = ", ".join(str(self.analysis.line(site)) for site in sites)
            raise Refused("MIG106", f"optimizer.step() is called {len(sites)} times" + (f" (lines {lines})" if lines
                                   else "") + "; the rewrite needs exactly one call site to count optimizer steps")
        return sites[0]

    def _one_of_two_branches(self, sites: list[cst.CSTNode]) -> list[cst.CSTNode]:
        """``[the if]`` for two step sites, one in each branch of an ``if``/``else`` (``if scaler is not None:
        scaler.step(optimizer)`` ``else: optimizer.step()``), each a statement of its branch itself in a branch
        that nothing can leave early: whichever runs, the ``if`` steps the optimizer once. Else ``sites``."""
        if len(sites) != 2:
            return sites
        blocks = [self.analysis.parents.get(site) for site in sites]
        conditional = next((owner for block in blocks if isinstance(owner := self.analysis.parents.get(block), cst.If)),
                           None)
        if not (conditional is not None and isinstance(conditional.orelse, cst.Else)
                and {id(block) for block in blocks} == {id(conditional.body), id(conditional.orelse.body)}):
            return sites
        if any(may_leave(block) for block in blocks):
            return sites
        return [conditional]

    def _helper_cadence(self, statement, step, optimizer_step) -> Cadence:
        """The optimizer steps in a function called from the scheduler's loop (``train(epoch)``)."""
        try:
            found = cadence(self.analysis.program, step, optimizer_step, statement,
                            tuple(self._step_guards.values()))
        except NotVisible as error:
            raise Refused("MIG106", error.message, error.node) from None
        self._loop_nodes = found.reads
        program = self.analysis.program
        into = program.route(step, found.runner) if found.runner is not program.function_of(step) else found.route
        if into is not None and into.through_calls:
            in_runner = found.run_loop is not None and program.function_of(found.run_loop) is found.runner
            inside = (found.step_every,) if in_runner else (
                found.step_every, found.run_steps)
            self._counted_at = [(cst.parse_expression(text), into.hops[0].node) for text in inside
                                if text is not None]
        self._run_loop = found.run_loop
        self._runner = found.runner
        if found.epoch_start:
            self._epoch_start = self._steps_first_allowed(step, BUILDER)
        assumptions = list(found.assumptions)
        if found.route.through_calls:
            assumptions.append(f"{found.route.hops[1].function.name.value}() runs its loop once per call")
        program = self.analysis.program
        home = program.function_of(statement)
        if self._builder is not None:
            return self._builder_cadence(found, assumptions, step)
        if found.runner is not home and isinstance(found.runner, cst.FunctionDef):
            assumptions.append(f"{found.runner.name.value}() runs once for each scheduler built at line "
                               f"{self.analysis.line(statement)}")
        counts = []
        for text in (found.step_every, found.run_steps):
            moved = (program.in_method_terms(text, home, evaluated=True, written_at=self._optimizer_line)
                     if text is not None else (None, []))
            if moved is None:
                moved = program.in_instance_terms(text, found.runner, home, evaluated=True)
            if moved is None and (built := program.construction_in(found.runner, home)) is not None:
                raise Refused("MIG106", f"`{text}` reads attributes of the {self.analysis.code(built.func)} built at "
                                       f"line {self.analysis.line(built)}, which the list can read only when "
                                       f"{found.runner.name.value}() is called on it once, outside any loop, no "
                                       "attribute of it is set from outside, __init__ sets each from its "
                                       "arguments, and no global it reads is bound where the optimizer is built",
                              step)
            if moved is None:
                raise Refused("MIG106", f"`{text}` reads attributes whose value where the optimizer is built "
                                       f"(line {self.analysis.line(statement)}) is not visible", step)
            resized = (self.analysis.size_changed(cst.parse_expression(moved[0]), self.analysis.start(statement),
                                                  self.analysis.end(home)) if moved[0] is not None else None)
            if resized is not None:
                raise Refused("MIG106", f"`{text}` is `{moved[0]}` where the optimizer is built (line "
                                       f"{self.analysis.line(statement)}), and `{self.analysis.first_line(resized)}` "
                                       f"at line {self.analysis.line(resized)} changes its size before the run", step)
            counts.append(moved[0])
            self._loop_nodes += moved[1]
        if found.runner is not home:
            self._check_held_from_construction(counts, home, step)
        return Cadence(counts[0], counts[1], found.per_epoch, assumptions, tuple(found.early_exits))

    def _check_held_from_construction(self, counts: list[str | None], home, step) -> None:
        """The list is built when ``__init__`` runs, the run later, in another method: what the counts read through
        ``__init__``'s parameters (the caller's ``args``, ``cfg``) must not change after the instance is built
        (``trainer = Trainer(args); args.epochs = 5; trainer.fit()``). Refused (MIG106) when it may."""
        program, analysis = self.analysis.program, self.analysis
        if not (isinstance(home, cst.FunctionDef) and home.name.value == "__init__"):
            return
        for construction in program.call_sites(home):
            given = dict(program.arguments(construction))
            scope = analysis.enclosing_scope(construction)
            end = analysis.end(scope) if scope is not analysis.module else (10**9, 0)
            for text in counts:
                if text is None:
                    continue
                expression = cst.parse_expression(substituted(text, given))
                why = analysis.attribute_changed(expression, analysis.end(construction), end)
                resized = analysis.size_changed(expression, analysis.end(construction), end)
                if why is None and resized is not None:
                    why = f"`{analysis.first_line(resized)}` at line {analysis.line(resized)} changes its size"
                if why is not None:
                    raise Refused("MIG106", f"the list is built when {analysis.code(construction.func)}(...) runs "
                                           f"(line {analysis.line(construction)}) and the run reads "
                                           f"`{analysis.code(expression)}` later: {why}", step)

    def _builder_cadence(self, found, assumptions: list[str], step) -> Cadence:
        """The cadence in the builder's terms: what only the caller knows comes in as new parameters, given at
        its call, where everything they read must already hold the value the loops read."""
        builder, program = self._builder, self.analysis.program
        every = in_builder_terms(program, builder, found.step_every, "step_per_epoch" if found.per_epoch
                                 else "step_every")
        run = in_builder_terms(program, builder, found.run_steps, "total_step") if found.run_steps else None
        anchor = self._optimizer_line if self._returns_alone() else builder.call_line
        for node in self._loop_nodes:
            why = self.analysis.unbound_name(node, anchor, node)
            if why is not None:
                where = (f"from its call, which moves to line {self.analysis.line(anchor)}" if self._returns_alone()
                         else f"from its call at line {self.analysis.line(anchor)}")
                raise Refused("MIG105", f"{builder.function.name.value}() would need `{self.analysis.code(node)}` "
                                       f"{where}, but {why}", step)
        self._loop_nodes = []
        return Cadence(every, run, found.per_epoch, assumptions, tuple(found.early_exits))

    def _check_whole_epochs(self, batch_loop, epoch_loop, step, outermost, cap: Cap | None) -> None:
        """Every epoch must be a whole pass of the batch loop followed by scheduler.step(), or the end of the run.

        A ``break``/``continue`` of the batch loop makes an epoch shorter than the list's ``step_per_epoch``; one
        of the epoch loop between the batch loop and scheduler.step() skips a scheduler step (a ``break`` of the
        outermost run loop ends the run instead, which keeps every step that ran as it was).
        """
        early = [leaving for leaving in self.analysis.loop_exits(batch_loop, outermost)
                 if cap is None or leaving is not cap.exit]
        raised = [leaving for leaving in early if not isinstance(leaving, (cst.Break, cst.Continue))]
        if raised:
            raise Refused("MIG106", f"{self._exit_text(raised[0])} can end an epoch's batch loop early, so an epoch "
                                   "can have fewer optimizer steps than the list's step_per_epoch and the two "
                                   "schedules drift apart", raised[0])
        self._early_exits = early
        for leaving in self.analysis.loop_exits(epoch_loop, outermost):
            ends_run = isinstance(leaving, cst.Break) and epoch_loop is outermost
            between = self.analysis.start(batch_loop) < self.analysis.start(leaving) < self.analysis.start(step)
            if between and not ends_run:
                raise Refused("MIG106", f"{self._exit_text(leaving)} can skip scheduler.step() after an epoch's "
                                       "optimizer steps, which the list cannot follow", leaving)

    def _steps_first(self, step, batch_loop, epoch_loop, outermost) -> bool:
        """``scheduler.step()`` before the epoch's batch loop (torch's order before 1.1): each epoch trains at the
        next scheduler epoch's lr. A ``continue`` between the two would step the scheduler without the epoch's
        batches."""
        if self.analysis.end(step) > self.analysis.start(batch_loop):
            raise Refused("MIG106", "scheduler.step() runs inside the epoch's batch loop, but not after the optimizer's "
                                   "step, so its cadence is not visible", step)
        for leaving in self.analysis.loop_exits(epoch_loop, outermost):
            ends_run = isinstance(leaving, cst.Break) and epoch_loop is outermost
            if self.analysis.end(step) <= self.analysis.start(leaving) < self.analysis.start(batch_loop) \
                    and not ends_run:
                raise Refused("MIG106", f"{self._exit_text(leaving)} can skip an epoch's batches after its "
                                       "scheduler.step(), which the list cannot follow", leaving)
        return self._steps_first_allowed(step)

    def _steps_first_allowed(self, step, *more: str) -> bool:
        other = self._also_has(RESUME, CHAIN, FLAG, *more)
        if other:
            raise Refused("MIG106", f"scheduler.step() runs at the start of each epoch, before its batches, and the "
                                   f"site also has {other}; each converts alone, not together", step)
        return True

    def _exit_text(self, leaving: cst.CSTNode) -> str:
        """An early exit as a message names it: `continue` at line 30 (under `if not torch.isfinite(loss):`)."""
        keyword = {cst.Break: "break", cst.Continue: "continue", cst.Raise: "raise"}[type(leaving)]
        condition = next((node for node in self.analysis.ancestors(leaving) if isinstance(node, cst.If)), None)
        under = f" (under `if {self.analysis.code(condition.test)}:`)" if condition is not None else ""
        return f"`{keyword}` at line {self.analysis.line(leaving)}{under}"

    def _stepped_together(self, optimizer_step, step, loop) -> list[cst.CSTNode]:
        """The ``if`` statements that hold both optimizer.step() and scheduler.step() and nothing else can skip
        (``if (i + 1) % accumulate == 0:``): a list indexed by the optimizer's step count follows them exactly."""
        guards = self.analysis.guards(optimizer_step, loop)
        own = [guard for guard in self.analysis.guards(step, loop) if guard is not self._step_guards.get(step)]
        if not guards or len(own) != len(guards) or any(
                mine is not theirs or not isinstance(mine, cst.If) for mine, theirs in zip(own, guards)):
            return []
        return guards

    def _unguarded(self, node: cst.CSTNode, loop: cst.CSTNode) -> None:
        guards = [guard for guard in self.analysis.guards(node, loop) if guard is not self._step_guards.get(node)]
        if guards:
            raise Refused("MIG106", "scheduler.step() runs under a condition, so how often it runs is not "
                                   "visible" + self.analysis.phase_refusal(guards), node)

    def _counts(self, loops, optimizer_step) -> tuple[str | None, list[str]]:
        """The run length in optimizer steps (None when a loop's length is not visible) and what that assumes;
        a ``while`` step budget of the outermost run loop counts its loop, or the whole run when it counts
        optimizer steps (inside another loop its counter may restart, so the run would be longer)."""
        counts, assumptions = [], []
        for loop in loops:
            budget = step_budget(self.analysis, loop, optimizer_step) if loop is loops[0] else None
            if budget is not None:
                self._loop_nodes.append(budget.limit)
                if budget.counted is not loop:
                    return budget.count, assumptions
                counts.append(budget.count)
                continue
            count, why = self.analysis.iteration_count(loop)
            if count is None:
                return None, assumptions
            cap = batch_cap(self.analysis, loop, optimizer_step) if loop is loops[-1] else None
            counts.append(f"min({count}, {cap.count})" if cap is not None else count)
            if why:
                assumptions.append(why)
        return product(*counts), assumptions

    def _count(self, node: cst.BaseExpression, name: str) -> str:
        """``node`` as a whole positive int for MindSpore, or Refused."""
        text = self.analysis.code(node)
        if written_whole(text) and not written_whole(text, self._fractional):
            raise Refused("MIG105", f"{name}={text} reads an argument the command line may give as a fraction "
                                   f"(argparse type=float), which torch takes and {self.LIST_FUNCTION} needs as a "
                                   "whole number: declare it type=int, or write int(...)", node)
        value = self._value(node)
        if value is None and not written_whole(text):
            raise Refused("MIG105", f"{name}={text} may not be a whole number (a float or a true division), which "
                                   f"torch takes and {self.LIST_FUNCTION} needs whole: write int(...) or //", node)
        if value is not None:
            if isinstance(value, bool) or float(value) <= 0 or float(value) != int(value):
                raise Refused("MIG105", f"{name}={self.analysis.code(node)}: {self.LIST_FUNCTION} needs a whole number "
                                       "> 0", node)
            return self.analysis.code(node) if isinstance(value, int) else str(int(value))
        if self.analysis.static_type(node) is int:
            self.assumptions.append(f"{text} is above 0")
            self._positive.append(text)
            return text
        self.assumptions.append(f"{self.analysis.code(node)} is a whole number above 0")
        self._positive.append(self.analysis.code(node))
        if isinstance(node, cst.Call) and "builtins.float" in self.analysis.names_of(node.func) and len(node.args) == 1:
            return f"int({self.analysis.code(node.args[0].value)})"
        return f"int({self.analysis.code(node)})"

    def _float(self, node: cst.BaseExpression, name: str) -> str:
        value = self._value(node)
        text = self.analysis.code(node)
        if isinstance(value, bool):
            raise Refused("MIG105", f"{name}={text} is not a number", node)
        if value is not None and value < 0:
            raise Refused("MIG105", f"{name}={text} is negative: {self.LIST_FUNCTION} needs min_lr >= 0 and "
                                   "max_lr > 0", node)
        if isinstance(node, cst.Integer):
            return f"{value}.0"
        if self.analysis.static_type(node) is float:
            return text
        return f"float({text})"

    def _value(self, node: cst.BaseExpression):
        return self.analysis.value(self.analysis.code(node))
