"""Where ``scheduler.step()`` goes for a list read once per optimizer step, and how long the run is: the
optimizer's steps found directly, in helpers reached through calls, or out of sight (``Model.train``); the batch
loop proven to make step_per_epoch steps per pass; the loops (and step budgets) around it counted in the list's own
spelling. ``ListCadence`` is the part of ``ListSite`` that answers it."""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from migrate.analysis import LOOPS, names_in, product, read_names
from migrate.bridge.list_delivery import Delivery
from migrate.bridge.list_loops import (
    insertable,
    leaves_early,
    returns_early,
    returns_inside,
)
from migrate.bridge.list_steps import optimizer_steps
from migrate.bridge.list_texts import count_text, same_expression
from migrate.bridge.list_torch import FreshName
from migrate.edit import EQUAL, joined_arguments
from migrate.program.budget import Budget, step_budget
from migrate.program.mindspore_datasets import (
    DatasetSizes,
    dataset_size_of,
    iterates,
    unenumerated,
)
from migrate.program.model import MAX_CALL_DEPTH
from migrate.rule import Note, Refused

MAX_SPELLED_VALUES = 32
"""How many expressions ``_spellings`` reads, the counts and the values of the names they read, and so on: a
bound on what a site computes from the code."""


@dataclass(frozen=True)
class Run:
    """The optimizer steps the visible loops make, as source text: at most that many when ``exact`` is False (a
    break, continue, return or condition can cut the run short). ``loop`` is the outermost of those loops;
    ``helper`` names the function the optimizer steps in when the loops are around a call of it: a warning about
    the run then goes on the list's call, as the loop and the step are in different functions."""

    steps: str
    loop: cst.CSTNode
    exact: bool
    helper: str | None = None
    resumed: tuple[str, str] | None = None
    """For a list sliced to resume (``lr[start:]``): the steps the slice skips and the loops' own steps, whose
    sum is ``steps`` (counted on the whole list)."""


@dataclass
class Cadence:
    """Where ``scheduler.step()`` goes: after ``anchor``, or by hand as ``by_hand`` says when no place is proven.
    ``epoch_call`` marks an anchor that is a call running one whole epoch (the batch loop is in the helper)."""

    anchor: cst.CSTNode | None
    description: str
    assumptions: list[str]
    by_hand: Note | None = None
    epoch_call: bool = False
    handed: tuple[cst.FunctionDef, cst.Call] | None = None
    """The helper that holds the epoch and batch loops (``fit(net, optimizer, dataset, epochs)``) and its one
    call: the scheduler is handed to it as a parameter, and steps after its batch loop."""


class ListCadence:
    """The part of ``ListSite`` that places scheduler.step() and counts the run it serves; it records the
    optimizer's step statement on the site (``step_statement``) for the reads and budgets that count from it."""

    def _cadence(self, delivery: Delivery, step_per_epoch: cst.BaseExpression, scheduler: FreshName) -> Cadence:
        steps, runs = optimizer_steps(self.analysis, delivery.optimizer_call, delivery.optimizer_name)
        every = count_text(self.analysis.code(step_per_epoch))
        per_step = self.value_of(step_per_epoch) == 1
        how_often = "right after every optimizer step" if per_step else f"once every {every} optimizer steps"
        if steps and runs:
            raise Refused("MIG106", f"the optimizer is stepped at line {self.analysis.line(steps[0])} and also by "
                                   f"`{self.analysis.code(runs[0].func)}(...)` at line {self.analysis.line(runs[0])}",
                          runs[0])
        if runs:
            lines = ", ".join(str(self.analysis.line(run)) for run in runs)
            run = runs[0]
            where = f"line{'s' if len(runs) > 1 else ''} {lines}"
            return self._by_hand(run, f"`{self.analysis.first_line(run)}` at {where} runs the optimizer out "
                                      f"of sight: call {scheduler}.step() {how_often}"
                                      + ("" if per_step else f" (at the end of each epoch when an epoch is {every} "
                                                             "batches), e.g. from a callback's on_train_epoch_end"),
                                 every)
        if not steps:
            raise Refused("MIG106", f"the optimizer `{self.analysis.code(delivery.optimizer_name)}` is never stepped "
                                   "here, so there is no place for scheduler.step()", delivery.optimizer_call)
        if len(steps) > 1:
            lines = ", ".join(str(self.analysis.line(step)) for step in steps)
            raise Refused("MIG106", f"the optimizer is stepped at lines {lines}; the rewrite needs exactly one "
                                   "step site to place scheduler.step()", steps[0])
        step = steps[0]
        statement = self.analysis.statement(step)
        self.step_statement = statement
        frame, _ = self._frame(delivery, statement)
        nested = self.program.function_of(statement) is not self.program.function_of(delivery.optimizer_line)
        if not nested and self.analysis.start(statement) < self.analysis.end(delivery.optimizer_line):
            raise Refused("MIG106", "the optimizer is stepped before it is built", statement)
        if per_step:
            place = self._per_step_place(statement, frame, delivery)
            if place is not None:
                where = (f"line {self.analysis.line(place)}" if place is statement else
                         f"after the call at line {self.analysis.line(place)}, which steps the optimizer once, at "
                         f"line {self.analysis.line(statement)}")
                return Cadence(place, f"after every optimizer step ({where})", [])
            return self._by_hand(statement, f"call {scheduler}.step() right after the optimizer step at line "
                                            f"{self.analysis.line(statement)}", every)
        if nested:
            return self._cadence_through_calls(statement, delivery, step_per_epoch, scheduler)
        batch_loop, proof = self._batch_loop(statement, delivery.optimizer_line, step_per_epoch)
        if batch_loop is not None and isinstance(proof, list):
            return Cadence(batch_loop, f"once per epoch, after the batch loop at line {self.analysis.line(batch_loop)}",
                           proof)
        return self._by_hand(batch_loop or statement,
                             f"{proof}: call {scheduler}.step() once every {every} optimizer steps (after the batch "
                             f"loop if one pass over it is {every} batches)", every)

    def _per_step_place(self, statement: cst.CSTNode, frame: cst.CSTNode, delivery: Delivery) -> cst.CSTNode | None:
        """Where ``scheduler.step()`` runs right after each optimizer step and sees the scheduler built with the
        optimizer: the step's own line, or the call of the helper that makes exactly that one step."""
        if insertable(self.analysis, statement) and self._sees(self.program.function_of(statement), delivery):
            return statement
        route = self.program.route(statement, frame)
        if route is None:
            return None
        for index in range(len(route.hops) - 2, -1, -1):
            if self._helpers_skip_or_repeat(route.hops[index + 1:]):
                return None
            hop = route.hops[index]
            call = self.analysis.statement(hop.node)
            if insertable(self.analysis, call) and self._sees(hop.function, delivery):
                return call
        return None

    def _helpers_skip_or_repeat(self, hops) -> bool:
        """Whether one call of the first of ``hops`` can make other than one pass to the last hop's node: a loop,
        a condition or an early ``return`` on the way."""
        return any(self.analysis.loops(hop.node) or self.analysis.guards(hop.node, hop.function)
                   or returns_early(hop.function) for hop in hops)

    def _sees(self, function: cst.CSTNode, delivery: Delivery) -> bool:
        """Whether the scheduler built with the optimizer can be read in ``function``: a fresh variable of the
        optimizer's function (or a closure of it, or any function when that is the module), or a fresh
        ``self.<name>`` in a method of the optimizer's class whose first parameter has the same name."""
        program = self.program
        built = program.function_of(delivery.optimizer_line)
        if delivery.owner is not None:
            return (isinstance(function, cst.FunctionDef) and program.class_of(function) is program.class_of(built)
                    and bool(function.params.params) and function.params.params[0].name.value == delivery.owner
                    and not any(isinstance(decorator.decorator, cst.Name)
                                and decorator.decorator.value in ("staticmethod", "classmethod")
                                for decorator in function.decorators))
        return function is built or built is self.analysis.module or built in set(self.analysis.ancestors(function))

    def _frame(self, delivery: Delivery, node: cst.CSTNode) -> tuple[cst.CSTNode, list[cst.CSTNode]]:
        """The function whose loops make the run that reaches ``node``, and the loops already around the
        optimizer's construction there: the optimizer's own function; or, for an optimizer stored in ``self``, the
        method of its class that leads to ``node`` through one call site per function and that the module never
        calls itself (``fit()``, called on an instance from outside)."""
        program = self.program
        built = program.function_of(delivery.optimizer_line)
        own = built, self.analysis.loops(delivery.optimizer_line)
        if delivery.owner is None or program.route(node, built) is not None:
            return own
        function = program.function_of(node)
        for _ in range(MAX_CALL_DEPTH):
            calls = program.call_sites(function) if isinstance(function, cst.FunctionDef) else []
            if not calls:
                break
            if len(calls) > 1:
                return own
            function = program.function_of(calls[0])
        else:
            return own
        if function is built or not self._sees(function, delivery):
            return own
        return function, []

    def _in_builder_terms(self, text: str | None, frame: cst.CSTNode, delivery: Delivery) -> list[str]:
        """``text``, read in ``frame``, as the optimizer's function would read it: itself, and with each
        ``self.x`` replaced by the value that function stores in it; empty when a ``self.x`` is not stored once
        there (its value in ``frame`` is not visible)."""
        built = self.program.function_of(delivery.optimizer_line)
        if text is None:
            return []
        if frame is built:
            return [text]
        translated = self.program.in_method_terms(text, built)
        return [] if translated is None else list(dict.fromkeys([text, translated[0]]))

    def _cadence_through_calls(self, statement: cst.CSTNode, delivery: Delivery, step_per_epoch: cst.BaseExpression,
                               scheduler: FreshName) -> Cadence:
        """The epoch's end when the optimizer steps in a helper reached from the optimizer's function through one
        call site per function: after the batch loop when that loop is in the optimizer's function (a train_step()
        called per batch), after the helper's call when the helper holds the batch loop (a train_one_epoch() called
        per epoch). The batch loop must visibly run step_per_epoch optimizer steps per pass, counted in the
        caller's terms."""
        analysis, program = self.analysis, self.program
        every = count_text(analysis.code(step_per_epoch))
        frame, base = self._frame(delivery, statement)
        function = program.function_of(statement)
        name = f"{function.name.value}()" if isinstance(function, cst.FunctionDef) else "a lambda"

        def by_hand(node: cst.CSTNode, why: str) -> Cadence:
            return self._by_hand(node, f"the optimizer steps inside {name} (line {analysis.line(statement)}) and "
                                       f"{why}: call {scheduler}.step() once every {every} optimizer steps, e.g. "
                                       f"after the loop that calls {name} {every} times per epoch", every)

        route = program.route(statement, frame)
        if route is None:
            calls = program.call_sites(function)
            return by_hand(statement, f"is called from {len(calls)} places" if len(calls) > 1 else
                           "is not called from the function that builds the optimizer" if calls else
                           "is never called where its calls can be followed")
        around = program.loops(route)
        if [loop for loop, _ in around[:len(base)]] != base or len(around) == len(base):
            return by_hand(statement, "no loop of its own after the optimizer is built runs it")
        loop, hop = around[-1]
        index = route.hops.index(hop)
        built = program.function_of(delivery.optimizer_line)
        if index == 0 and frame is built and analysis.start(loop) < analysis.end(delivery.optimizer_line):
            return by_hand(loop, "the loop around it starts before the optimizer is built")
        proof = self._pass_through_calls(route, loop, hop, step_per_epoch, delivery)
        if isinstance(proof, str):
            return by_hand(loop, proof)
        if frame is not built:
            runner = f"{frame.name.value}()"
            proof.append(f"{runner} runs once for each {program.class_of(built).name.value} built (a second call "
                         "would run past the list)")
        if index == 0:
            inside = f" (the optimizer steps in {name}, called once per batch)" if route.through_calls else ""
            return Cadence(loop, f"once per epoch, after the batch loop at line {analysis.line(loop)}{inside}", proof)
        helper = route.hops[1].function
        called = f"{helper.name.value}()" if isinstance(helper, cst.FunctionDef) else "a lambda"
        outer = [other for other, where in around[len(base):] if where is not route.hops[0] and other is not loop]
        handed = self._handed_helper(route, index, outer, delivery) if outer else None
        if isinstance(handed, str):
            return by_hand(outer[0], f"the loop at line {analysis.line(outer[0])} runs its batch loop several times "
                                     f"per call of {called}, which {handed}")
        if self._helpers_skip_or_repeat(route.hops[1:index]) or analysis.guards(loop, hop.function) or any(
                returns_early(other.function) for other in route.hops[1:index + 1]):
            return by_hand(loop, f"a condition or an early return can skip the batch loop at line "
                                 f"{analysis.line(loop)} in a call of {called}")
        if handed is not None:
            return Cadence(loop, f"once per epoch, after the batch loop at line {analysis.line(loop)} in {called}, "
                                 f"which holds the epochs and is handed {scheduler} (its call at line "
                                 f"{analysis.line(handed[1])} passes it)", proof, handed=handed)
        anchor = analysis.statement(route.hops[0].node)
        if not insertable(analysis, anchor):
            return by_hand(anchor, f"the call of {called} at line {analysis.line(anchor)} is not a line of its own "
                                   "a statement can follow")
        return Cadence(anchor, f"once per epoch, after each call of {called} (line {analysis.line(anchor)}), whose "
                               f"batch loop at line {analysis.line(loop)} steps the optimizer", proof, epoch_call=True)

    def _handed_edits(self, cadence: Cadence, scheduler: FreshName, replacements: dict) -> None:
        """The scheduler handed to the helper that steps it: a last parameter of its own, and its one call passing
        it by keyword."""
        helper, call = cadence.handed
        inside = [node for node in replacements if self.analysis.start(call) <= self.analysis.start(node)
                  and self.analysis.end(node) <= self.analysis.end(call)]
        if inside:
            raise Refused("MIG106", f"the call at line {self.analysis.line(call)} would hand the scheduler to "
                                   f"{helper.name.value}() and is rewritten itself", call)
        name = str(scheduler)
        parameter = cst.Param(cst.Name(name))
        replacements[helper.params] = helper.params.with_changes(
            params=joined_arguments(list(helper.params.params), [parameter], cst.MaybeSentinel.DEFAULT))
        argument = cst.Arg(cst.Name(name), keyword=cst.Name(name), equal=EQUAL)
        last = call.args[-1].comma if call.args else cst.MaybeSentinel.DEFAULT
        replacements[call] = call.with_changes(args=joined_arguments(list(call.args), [argument], last))

    def _handed_helper(self, route, index: int, outer: list, delivery: Delivery) -> tuple | str:
        """The helper that runs the epochs and their batch loops, called once from the optimizer's function after
        the optimizer is built, and its call: scheduler.step() can follow its batch loop once the scheduler is a
        parameter of its own. Else why not."""
        helper, call = route.hops[1].function, route.hops[0].node
        if (index != 1 or not isinstance(helper, cst.FunctionDef) or not isinstance(call, cst.Call)
                or delivery.owner is not None):
            return "is not one function called directly where the optimizer is built"
        parameters = helper.params
        if (not isinstance(parameters.star_arg, cst.MaybeSentinel) or parameters.kwonly_params
                or parameters.posonly_params or any(param.default is not None for param in parameters.params)):
            return "takes * or keyword-only parameters or defaults, after which a scheduler parameter cannot go"
        if (len(self.program.call_sites(helper)) != 1 or not self._sees(route.hops[0].function, delivery)
                or self.analysis.start(call) < self.analysis.end(delivery.optimizer_line)):
            return "is not called once, after the optimizer is built, where the scheduler is"
        return helper, call

    def _pass_through_calls(self, route, loop: cst.CSTNode, hop, step_per_epoch,
                            delivery: Delivery) -> list[str] | str:
        """The assumptions proving one pass of ``loop`` (in ``hop``'s function) makes step_per_epoch optimizer
        steps, one per iteration down the route; else why not."""
        analysis, program = self.analysis, self.program
        index = route.hops.index(hop)
        line = analysis.line(loop)
        if analysis.guards(hop.node, loop) or any(analysis.guards(other.node, other.function)
                                                  for other in route.hops[index + 1:]):
            return f"the optimizer step runs under a condition in the loop at line {line}"
        if leaves_early(loop) or analysis.loop_exits(loop):
            return f"the loop at line {line} can end an iteration early"
        if index > 0 and returns_inside(loop):
            return f"the loop at line {line} can return before its end"
        if any(returns_early(other.function) for other in route.hops[index + 1:]):
            return "it can return before its optimizer step"

        frame = route.hops[0].function

        def in_frame(text: str | None) -> list[str]:
            if text is not None and index > 0:
                text = program.in_frame_terms(text, route, hop)
            return self._in_builder_terms(text, frame, delivery)

        count, why = analysis.iteration_count(loop)
        counts = in_frame(count)
        candidates = [step_per_epoch, *self._alias(step_per_epoch)]
        for text in counts:
            if any(same_expression(text, analysis.code(node)) for node in candidates):
                return [f"one pass over {text[4:-1]} is {text} iterations"] if why and text.startswith("len(") else (
                    [why] if why else [])
        dataset = next(filter(None, (dataset_size_of(analysis, node) for node in candidates)), None)
        iterable = unenumerated(analysis, loop.iter) if isinstance(loop, cst.For) else None
        given = self._argument_given(route, index, iterable)
        for text in in_frame(analysis.code(iterable)) if iterable is not None else []:
            node = (iterable if text == analysis.code(iterable) else
                    given if given is not None and text == analysis.code(given) else cst.parse_expression(text))
            if dataset is not None and iterates(analysis, node, dataset):
                return [f"one pass over {text} is {dataset}.get_dataset_size() batches"]
        runs = f"`{count}` times" if count is not None else f"an unknown number of times ({why})"
        return f"the batch loop at line {line} runs {runs}, not visibly step_per_epoch={analysis.code(step_per_epoch)}"

    def _argument_given(self, route, index: int, iterable: cst.BaseExpression | None) -> cst.BaseExpression | None:
        """The caller's own argument node for a helper's parameter the batch loop iterates (``train(data_loader,
        epoch)`` called as ``train(data_loader_train, epoch)``), one call down the route: the node, not its text,
        lets the analysis follow it to the dataset it iterates."""
        if index != 1 or not isinstance(iterable, cst.Name):
            return None
        call = route.hops[0].node
        if not isinstance(call, cst.Call):
            return None
        for argument in call.args:
            parameter = self.program.parameter_for(call, argument)
            if parameter is not None and parameter.value == iterable.value:
                return argument.value
        return None

    def _by_hand(self, node: cst.CSTNode, message: str, every: str) -> Cadence:
        return Cadence(None, f"by hand once every {every} optimizer steps (MIG116)", [],
                       Note(node, "MIG116", message))

    def _batch_loop(self, statement, optimizer_line, step_per_epoch) -> tuple[cst.CSTNode | None, list[str] | str]:
        """The loop around the optimizer step and the assumptions proving it has step_per_epoch iterations, or
        the loop (if any) and why that is not proven."""
        base = self.analysis.loops(optimizer_line)
        loops = self.analysis.loops(statement)
        if loops[:len(base)] != base or len(loops) == len(base):
            return None, "the optimizer step is not in a loop of its own after the optimizer is built"
        loop = loops[-1]
        if self.analysis.start(loop) < self.analysis.end(optimizer_line):
            return None, "the loop around the optimizer step starts before the optimizer is built"
        line = self.analysis.line(loop)
        if self.analysis.guards(statement, loop):
            return loop, f"the optimizer step runs under a condition in the loop at line {line}"
        if leaves_early(loop):
            return loop, f"the loop at line {line} has a break or continue"
        count, why = self.analysis.iteration_count(loop)
        every = self.analysis.code(step_per_epoch)
        candidates = [step_per_epoch, *self._alias(step_per_epoch)]
        counted = loop.iter if isinstance(loop, cst.For) else loop.test
        changed = self._changed_since_counted(counted, loop, [step_per_epoch])
        if changed is not None:
            return loop, f"the batch loop at line {line} is not counted as step_per_epoch={every} was: {changed}"
        if count is not None and any(same_expression(count, self.analysis.code(node)) for node in candidates):
            return loop, [why] if why else []
        dataset = next(filter(None, (dataset_size_of(self.analysis, node) for node in candidates)), None)
        iterable = unenumerated(self.analysis, loop.iter) if isinstance(loop, cst.For) else None
        if dataset is not None and iterable is not None and iterates(self.analysis, iterable, dataset):
            return loop, [f"one pass over {self.analysis.code(iterable)} is {dataset}.get_dataset_size() batches"]
        runs = f"{count} times" if count is not None else f"an unknown number of times ({why})"
        return loop, f"the batch loop at line {line} runs {runs}, not visibly step_per_epoch={every}"

    def _alias(self, node: cst.BaseExpression) -> list[cst.BaseExpression]:
        """The value of a name bound once to it in this function, e.g. ``steps = dataset.get_dataset_size()``, or
        of a ``self.steps`` the method holding it stores once (``in_method_terms``)."""
        if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name) and node.value.value == "self":
            moved = self.program.in_method_terms(self.analysis.code(node), self.program.function_of(node))
            return list(moved[1]) if moved is not None else []
        if not isinstance(node, cst.Name):
            return []
        assignment = self.analysis.single_assignment(node)
        bound = self.analysis.assigned_value(assignment) if assignment is not None else None
        return [bound[1]] if bound is not None else []

    def _run(self, cadence: Cadence, delivery: Delivery, arguments) -> Run | None:
        """The run the loops around ``scheduler.step()``'s place show, in optimizer steps; None when a loop's count
        is not visible (a while loop, an iterable of unknown length), the scheduler is stepped by hand, or the
        optimizer steps in a helper not reached from the optimizer's function through one call site per function.

        The place is the optimizer step itself (one step per innermost iteration, the loops around a helper's call
        included) or the proven batch loop (as many steps per pass as step_per_epoch). Counts are written with the
        names the list's arguments use, so the verifier samples one unknown where the code has one quantity under
        two spellings."""
        anchor = cadence.anchor
        if anchor is None:
            return None
        program = self.program
        frame, base = self._frame(delivery, anchor)
        route = program.route(anchor, frame)
        if route is None:
            return None
        around = program.loops(route)[len(base):]
        loops = [loop for loop, _ in around]
        spellings = self._spellings([arguments["total_step"], arguments["step_per_epoch"]])
        budget = self._budget(around, route)
        counts = [self._loop_count(loop, spellings, self._argument_given(route, route.hops.index(hop), (
            unenumerated(self.analysis, loop.iter) if isinstance(loop, cst.For) else None))) for loop, hop in around]
        if budget is not None:
            counts[0] = budget.count
            if budget.counted is not loops[0]:
                counts = counts[:1]
        counts = [count if count is None or hop is route.hops[0] else program.in_frame_terms(count, route, hop)
                  for count, (_, hop) in zip(counts, around)]
        counts = [(self._in_builder_terms(count, frame, delivery) or [None])[-1] for count in counts]
        counts = [spellings.get(count, count) if count is not None else None for count in counts]
        if self._counts_change(around, route, arguments, anchor):
            return None
        if budget is not None and counts[0] is not None:
            whole = budget.counted is not loops[0]
            self.assumptions.append(
                f"`while {self.analysis.code(loops[0].test)}` (line {self.analysis.line(loops[0])}) "
                + (f"is a budget of {counts[0]} optimizer steps: its counter grows with each step and the batch loop "
                   f"at line {self.analysis.line(budget.counted)} leaves when it is spent" if whole else
                   f"runs {counts[0]} times"))
            if whole:
                return Run(counts[0], loops[0], not returns_inside(loops[0]))
        if isinstance(anchor, LOOPS) or cadence.epoch_call:
            counts.append(self.analysis.code(arguments["step_per_epoch"]))
        if isinstance(anchor, LOOPS):
            loops.append(anchor)
        if not loops or any(count is None for count in counts):
            return None
        exact = (not program.guards(route, route.hops[0].function)
                 and not any(leaves_early(loop) or returns_inside(loop) for loop in loops)
                 and not any(returns_early(hop.function) for hop in route.hops[1:]))
        helper = route.hops[-1].function if route.through_calls else None
        named = f"{helper.name.value}()" if isinstance(helper, cst.FunctionDef) else "a lambda"
        steps = product(*counts)
        steps = next((name for value, name in spellings.items() if same_expression(value, steps)), steps)
        return Run(steps, loops[0], exact, named if helper is not None else None)

    def _counts_change(self, around, route, arguments, anchor: cst.CSTNode) -> bool:
        """Whether a loop of the list's function (the batch loop too) counts with a name the list's counts read
        that may change between the list and the loop (``args.epochs += 2``, ``steps //= 2``), or with a name the
        value of one of them read where it was bound (``dataset`` of ``steps = dataset.get_dataset_size()``,
        batched or rebuilt after): the same text is then not the same value. The reason joins the site's
        assumptions, and the run is out of sight."""
        counts = [arguments["total_step"], arguments["step_per_epoch"]]
        loops = [loop for loop, hop in around if hop is route.hops[0]]
        if isinstance(anchor, LOOPS) and not route.through_calls:
            loops.append(anchor)
        counted = [(loop.iter if isinstance(loop, cst.For) else loop.test, loop,
                    f"the loop at line {self.analysis.line(loop)}") for loop in loops]
        if route.through_calls:
            call = route.hops[0].node
            counted.append((call, call, f"the call at line {self.analysis.line(call)}"))
        for expression, at, what in counted:
            why = self._changed_since_counted(expression, at, counts)
            if why is not None:
                self.assumptions.append(f"{what} is not counted: it reads what the list's counts read, but {why}")
                return True
        return False

    def _changed_since_counted(self, expression: cst.CSTNode, at: cst.CSTNode,
                               counts: list[cst.BaseExpression]) -> str | None:
        """Why ``expression``, evaluated at ``at``, may not count what ``counts`` counted where the list was built:
        a name they read is bound again in between, or a name read by the value one of them was bound to
        (``dataset`` of ``steps = dataset.get_dataset_size()``) is bound again after that binding."""
        names = [name for count in counts for name in read_names(count)]
        windows = [(self.analysis.statement(self.list_node), {name.value for name in names})]
        for name in names:
            assignment = self.analysis.single_assignment(name)
            bound = self.analysis.assigned_value(assignment) if assignment is not None else None
            if bound is not None:
                windows.append((bound[0], {read.value for read in read_names(bound[1])}))
        for place, roots in windows:
            why = self.analysis.unbound_name(expression, place, at, only=roots)
            if why is not None:
                return why
        return None

    def _budget(self, around, route) -> Budget | None:
        """The step budget of the run's outermost loop, a ``while`` in the function that makes the run: its
        iterations, or the whole run when its counter counts the optimizer steps (``while step < total_steps``
        around the batch loop, which leaves when the budget is spent)."""
        if not around or self.step_statement is None:
            return None
        loop, hop = around[0]
        if not isinstance(loop, cst.While) or hop is not route.hops[0]:
            return None
        return step_budget(self.analysis, loop, self.step_statement, checked_first=True)

    def _helper_run_not_visible(self, anchor: cst.CSTNode, delivery: Delivery, total: str) -> list[Note]:
        """MIG102 when the optimizer steps in a helper that is not called from one place inside a loop: no run
        length to compare with the list, which may end before the run does."""
        program = self.program
        helper = program.function_of(anchor)
        frame, base = self._frame(delivery, anchor)
        if helper is frame:
            return []
        route = program.route(anchor, frame)
        if route is not None and program.loops(route)[len(base):]:
            return []
        name = f"{helper.name.value}()" if isinstance(helper, cst.FunctionDef) else "a lambda"
        calls = program.call_sites(helper)
        called = (f"called from {len(calls)} places" if len(calls) > 1 else
                  "not called from a loop here" if calls else "not called where its calls can be followed")
        return [Note(self.call, "MIG102", f"the optimizer steps inside {name} (line {self.analysis.line(anchor)}), "
                                      f"{called}, so the run's length is not visible and can exceed the list's "
                                      f"total_step={total} entries: MindSpore raises at optimizer step {total} and "
                                      "the original program stops there, while torch's scheduler runs on")]

    def _spellings(self, expressions: list[cst.BaseExpression]) -> dict[str, str]:
        """For each name these expressions read that is bound once here to a value (``steps = len(loader)``), the
        value's text mapped to the name, and so on through those values (``total = epochs * steps``, ``steps =
        dataset.get_dataset_size()``: the run's loops are then ``epochs`` and ``steps``); each
        ``dataset.get_dataset_size()`` they call maps to its own text."""
        spellings: dict[str, str] = {}
        pending, seen = list(expressions), set()
        while pending and len(seen) < MAX_SPELLED_VALUES:
            expression = pending.pop(0)
            if id(expression) in seen:
                continue
            seen.add(id(expression))
            for name in names_in(expression):
                for value in self._alias(name):
                    spellings.setdefault(self.analysis.code(value), name.value)
                    pending.append(value)
            finder = DatasetSizes(self.analysis)
            expression.visit(finder)
            for text in finder.found:
                spellings.setdefault(text, text)
        return spellings

    def _loop_count(self, loop: cst.CSTNode, spellings: dict[str, str],
                    given: cst.BaseExpression | None = None) -> str | None:
        """How many times ``loop`` runs, in the list's own spelling where it has one; a pass over a MindSpore
        dataset (or its iterators) is ``dataset.get_dataset_size()`` batches, also when the loop iterates a
        helper's parameter its one caller ``given`` such an iterator."""
        iterable = unenumerated(self.analysis, loop.iter) if isinstance(loop, cst.For) else None
        for candidate in (iterable, given) if iterable is not None else ():
            for text, spelling in spellings.items():
                dataset = dataset_size_of(self.analysis, cst.parse_expression(text))
                if candidate is not None and dataset is not None and iterates(self.analysis, candidate, dataset):
                    return spelling
        count, _ = self.analysis.iteration_count(loop)
        if count is None:
            return None
        return spellings.get(count, count)
