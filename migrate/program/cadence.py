"""How many optimizer steps run between two steps of a schedule object, and how long the run is.

A schedule object (torch's scheduler) is stepped at one statement; the optimizer steps at one site, in the same
function or in a helper the stepping function calls once per iteration (``train(epoch)``, ``self.train_epoch()``,
``train_one_epoch(model, loader, optimizer)``). The count of optimizer steps per schedule step is the product of the
loops between the two, written in the stepping function's terms (a helper's parameters replaced by the caller's
arguments), and is exact only when nothing can skip or cut short an iteration on the way.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from migrate.analysis import product, read_names
from migrate.program.budget import step_budget
from migrate.program.model import MAX_CALL_DEPTH, Hop, Program, Route, own_returns, reads_locals


ACCUMULATION = ("optimizer.step() and scheduler.step() run together under the condition at line {line} (gradient "
                "accumulation): the list is read at the optimizer's own step count, and is sized as if every batch "
                "stepped")


class NotVisible(Exception):
    """The cadence cannot be read from the code: ``message`` says why, at ``node``."""

    def __init__(self, message: str, node: cst.CSTNode | None = None):
        super().__init__(message)
        self.message, self.node = message, node


@dataclass
class Cadence:
    """``step_every`` optimizer steps per schedule step (text in the stepping function's terms), the run length in
    optimizer steps when every loop's count is visible, what the counts assume, and the expressions they read
    (in the stepping function, or a called function's names that are not its parameters)."""

    step_every: str
    per_epoch: bool
    run_steps: str | None
    assumptions: list[str] = field(default_factory=list)
    reads: list[cst.CSTNode] = field(default_factory=list)
    route: Route | None = None
    run_loop: cst.CSTNode | None = None
    runner: cst.CSTNode | None = None
    """The function the counts are written in: where the object is built, or the outermost function that runs
    the stepping one through a single call at each level."""
    early_exits: list[cst.CSTNode] = field(default_factory=list)
    """``break``/``continue`` statements that can end a pass of a counted loop early: its count is then the most
    a pass runs, which the caller must say."""
    epoch_start: bool = False
    """The schedule is stepped at the start of each epoch, before its batches (each epoch trains at the next
    schedule epoch's lr)."""


def cadence(program: Program, step: cst.CSTNode, optimizer_site: cst.CSTNode, created: cst.CSTNode,
            allowed_guards: tuple[cst.CSTNode, ...] = ()) -> Cadence:
    """The cadence of the schedule stepped at statement ``step`` over the optimizer stepping at ``optimizer_site``;
    ``created`` is where the schedule object is built. Raises NotVisible."""
    analysis = program.analysis
    frame = program.function_of(step)
    route = program.route(optimizer_site, frame)
    if route is None:
        raise NotVisible(_unreached(program, optimizer_site, frame), optimizer_site)
    base_route = program.route(created, frame)
    base = analysis.loops(base_route.anchor) if base_route is not None else []
    scheduler_loops = analysis.loops(step)
    effective = [(loop, hop) for hop in route.hops for loop in analysis.loops(hop.node)]
    depth = len(scheduler_loops)
    if scheduler_loops[:len(base)] != base or [loop for loop, _ in effective[:depth]] != scheduler_loops:
        raise NotVisible("scheduler.step() is neither in the optimizer's loop nor right after its batch loop, so its "
                         "cadence is not visible", step)
    extra = effective[depth:]
    if len(effective) == len(base):
        raise NotVisible("optimizer.step() is not in a loop of its own after the scheduler is built", route.anchor)
    once_per_call = depth == len(base)
    if once_per_call and (base_route is not None or not isinstance(frame, cst.FunctionDef)):
        raise NotVisible("scheduler.step() is not in the training loop", step)
    innermost = scheduler_loops[-1] if scheduler_loops else frame
    steps_first = _check_order(program, step, route, innermost, extra)
    together = _check_unguarded(program, step, route, innermost, allowed_guards)
    result = Cadence("1", bool(extra), None, route=route, epoch_start=steps_first)
    if together:
        result.assumptions.append(ACCUMULATION.format(line=analysis.line(together[0])))
    counts = [_count(program, route, loop, hop, result) for loop, hop in extra]
    result.step_every = product(*counts) if counts else "1"
    if once_per_call:
        _check_no_early_return(program, frame, step)
        result.run_steps = result.step_every
        return _lifted(program, result, step, created, needs_loop=True)
    _check_run_loops(program, scheduler_loops[len(base):], step)
    run = [_run_count(program, route, loop, result) for loop in scheduler_loops[len(base):]]
    if all(count is not None for count in run):
        result.run_steps = product(*run, result.step_every)
    result.run_loop = scheduler_loops[len(base)]
    return _lifted(program, result, step, created)


def _check_no_early_return(program: Program, frame: cst.CSTNode, step: cst.CSTNode) -> None:
    """scheduler.step() at the end of a helper (``train_one_epoch(..., scheduler)``) runs once per call only when
    no ``return`` can leave the helper before it."""
    for exit_ in own_returns(frame.body):
        if program.analysis.start(exit_) < program.analysis.start(step):
            raise NotVisible(f"`return` at line {program.analysis.line(exit_)} can leave {frame.name.value}() before "
                             "scheduler.step(), so how often it runs is not visible", exit_)


def _lifted(program: Program, result: Cadence, step: cst.CSTNode, created: cst.CSTNode,
            needs_loop: bool = False) -> Cadence:
    """``result`` written where the stepping function is called from: a ``train_one_epoch(..., scheduler)`` that
    steps per batch runs once per iteration of its caller's epoch loop, so that loop multiplies the run, and the
    counts read the caller's names, not the helper's parameters. Raises NotVisible when a function on the way is
    called from several places or a loop's count is not visible there."""
    analysis = program.analysis
    frame = program.function_of(step)
    result.runner = runner = frame
    if program.route(created, frame) is not None:
        return result
    for _ in range(MAX_CALL_DEPTH):
        if (program.route(created, runner) is not None or not isinstance(runner, cst.FunctionDef)
                or not program.call_sites(runner)):
            break
        calls = program.call_sites(runner)
        if len(calls) > 1:
            lines = ", ".join(str(analysis.line(call)) for call in calls)
            raise NotVisible(f"scheduler.step() runs in {runner.name.value}(), which is called from lines {lines}, so "
                             "how many times it runs for one scheduler is not visible", step)
        runner = program.function_of(calls[0])
    else:
        raise NotVisible("scheduler.step() is reached through more nested calls than the rule follows", step)
    result.runner = runner
    route = program.route(step, runner)
    built = program.route(created, runner)
    looped = runner is not frame and route is not None and _count_from(program, result, route,
                                                                         built.anchor if built else None)
    if needs_loop and not looped:
        raise NotVisible(f"scheduler.step() runs once per call of {frame.name.value}(), which no loop of the "
                         "function that builds the scheduler calls, so it is not in the training loop", step)
    if built is None and isinstance(runner, cst.FunctionDef):
        method = program.class_of(runner) is not None
        for text in (result.step_every, result.run_steps):
            if text is not None and reads_locals(text, runner, {}, method):
                raise NotVisible(f"the optimizer steps are counted as `{text}`, which reads names of "
                                 f"{runner.name.value}() that are not visible where the scheduler is built", step)
    return result


def _count_from(program: Program, result: Cadence, route: Route, created: cst.CSTNode | None) -> bool:
    """Rewrites ``result``'s counts in the terms of the route's first function, multiplying the run by the loops
    on the way (those around ``created``, the object's construction there, run once per object); whether there
    are such loops."""
    analysis = program.analysis
    frame = route.hops[-1].function
    built = set(analysis.loops(created)) if created is not None else set()
    outer = [(loop, hop) for hop in route.hops[:-1] for loop in analysis.loops(hop.node) if loop not in built]
    moved = [program.in_frame_terms(text, route, route.hops[-1]) if text is not None else None
             for text in (result.step_every, result.run_steps)]
    if moved[0] is None or result.run_steps is not None and moved[1] is None:
        raise NotVisible(f"the optimizer steps counted in {frame.name.value}() read names its caller does not "
                         "give it, or that it binds again, so they are not visible where the scheduler is built",
                         route.hops[-1].node)
    counts, limits = [], []
    for loop, hop in outer:
        budget = step_budget(analysis, loop, hop.node) if isinstance(loop, cst.While) else None
        if budget is not None and budget.counted is loop and hop is route.hops[0]:
            limits.append(budget.limit)
        count, why = ((budget.count, None) if budget is not None and budget.counted is loop
                      else analysis.iteration_count(loop))
        text = program.in_frame_terms(count, route, hop) if count is not None else None
        if why and text is not None:
            result.assumptions.append(why)
        counts.append(text)
    result.step_every = moved[0]
    known = moved[1] is not None and all(count is not None for count in counts)
    result.run_steps = product(*counts, moved[1]) if known else None
    call = route.anchor
    if isinstance(call, cst.Call):
        wanted = {name.value for text in (*counts, *moved) if text is not None
                  for name in read_names(cst.parse_expression(text))}
        result.reads = [analysis.counted_iterable(loop) for loop, hop in outer
                        if hop is route.hops[0] and isinstance(loop, cst.For)] + limits
        result.reads += [argument.value for argument in call.args
                         if {name.value for name in read_names(argument.value)} & wanted]
    return bool(outer)


def _unreached(program: Program, site: cst.CSTNode, frame: cst.CSTNode) -> str:
    line = program.analysis.line(site)
    function = program.function_of(site)
    if not isinstance(function, cst.FunctionDef):
        return f"optimizer.step() at line {line} is not reached from the function where scheduler.step() runs"
    calls = program.call_sites(function)
    where = ", ".join(str(program.analysis.line(call)) for call in calls)
    owner = program.class_of(function)
    how = (f"called from lines {where}" if len(calls) > 1 else
           f"called from line {where}, outside the function where scheduler.step() runs" if calls else
           f"a method of {owner.name.value}, whose calls on an instance are not followed" if owner is not None else
           "never called in this module")
    return f"optimizer.step() at line {line} is in `{function.name.value}()`, {how}, so how often it runs is not visible"


def _check_order(program: Program, step, route: Route, loop: cst.CSTNode, extra) -> bool:
    """The optimizer's steps of an iteration come before the schedule's step in the same iteration, or, for a
    schedule stepped once per epoch, all after it (torch's order before 1.1, ``scheduler.step(); train(...)``):
    whether they come after."""
    analysis = program.analysis
    frame_extra = [candidate for candidate, hop in extra if hop is route.hops[0]]
    before = frame_extra[0] if frame_extra else route.anchor
    if analysis.start(step) >= analysis.end(before):
        return False
    if not extra or analysis.end(step) > analysis.start(before):
        raise NotVisible("scheduler.step() runs before optimizer.step() in the same loop: every optimizer step would "
                         "use the next step's lr" if not extra else "scheduler.step() runs inside the epoch's batches, "
                         "but not after the optimizer's step, so its cadence is not visible", step)
    return True


def _check_unguarded(program: Program, step, route: Route, loop, allowed) -> list[cst.CSTNode]:
    """Raises NotVisible when a condition can skip either step, except the ``if`` statements that hold both
    (gradient accumulation), which it returns."""
    analysis = program.analysis
    own = [guard for guard in analysis.guards(step, loop) if guard not in allowed]
    shared = program.guards(route, loop)
    together = (own if own and not route.through_calls and len(shared) == len(own)
                and all(mine is theirs and isinstance(mine, cst.If) for mine, theirs in zip(own, shared)) else [])
    if own and not together:
        raise NotVisible("scheduler.step() runs under a condition, so how often it runs is not visible"
                         + analysis.phase_refusal(own), step)
    for guard in shared:
        if guard not in together:
            raise NotVisible(f"optimizer.step() runs under a condition (line {analysis.line(guard)}), so the "
                             "optimizer steps per epoch are not visible", route.hops[-1].node)
    for hop in route.hops[1:]:
        for exit_ in _early_returns(program, hop):
            raise NotVisible(f"`return` at line {analysis.line(exit_)} can end `{hop.function.name.value}()` before "
                             "its optimizer steps", exit_)
    return together


def _early_returns(program: Program, hop: Hop) -> list[cst.CSTNode]:
    """``return`` statements of a called function that come before or around its optimizer step."""
    end = program.analysis.end(hop.node)
    return [node for node in own_returns(hop.function.body) if program.analysis.start(node) < end]


def _check_run_loops(program: Program, loops, step) -> None:
    """A ``continue`` of a run loop, or an exit before scheduler.step(), can skip a schedule step; a ``break`` of
    the outermost one only ends the run, and every step that ran keeps its lr."""
    for loop in loops:
        for exit_ in program.analysis.loop_exits(loop):
            if isinstance(exit_, cst.Break) and loop is loops[0]:
                continue
            if isinstance(exit_, cst.Continue) or program.analysis.start(exit_) < program.analysis.start(step):
                raise NotVisible(f"`{program.analysis.code(exit_).strip()}` at line {program.analysis.line(exit_)} can "
                                 "skip scheduler.step(), so its cadence is not visible", exit_)


def _run_count(program: Program, route: Route, loop, result: Cadence) -> str | None:
    """A run loop's count: a ``while epoch < epochs: ...; epoch += 1`` counter's budget, else the loop's own."""
    if isinstance(loop, cst.While):
        budget = step_budget(program.analysis, loop, route.anchor)
        if budget is not None and budget.counted is loop:
            result.reads.append(budget.limit)
            return budget.count
    return _count(program, route, loop, route.hops[0], result, optional=True)


def _count(program: Program, route: Route, loop, hop: Hop, result: Cadence, optional: bool = False) -> str | None:
    """The loop's iteration count in the frame's terms; its assumption is added to ``result``."""
    analysis = program.analysis
    count, why = analysis.iteration_count(loop)
    exits = [] if optional else analysis.loop_exits(loop)
    raised = [exit_ for exit_ in exits if not isinstance(exit_, (cst.Break, cst.Continue))]
    if raised:
        raise NotVisible(f"`{analysis.code(raised[0]).strip()}` at line {analysis.line(raised[0])} can end an "
                         "iteration early, so the optimizer steps per epoch are not visible", raised[0])
    result.early_exits += exits
    if count is None:
        if optional:
            return None
        raise NotVisible(f"the optimizer steps per epoch are not visible: {why}", loop)
    text = program.in_frame_terms(count, route, hop)
    if text is None:
        if optional:
            return None
        raise NotVisible(f"the loop at line {analysis.line(loop)} runs `{count}` times, which is not visible from the "
                         "function where scheduler.step() runs", loop)
    if why and hop is route.hops[0]:
        result.assumptions.append(why)
    elif why:
        result.assumptions.append(f"one pass over {text[4:-1] if text.startswith('len(') else text} is {text} "
                                  "iterations, at least 1")
    result.reads += _reads(program, loop, hop, route)
    return text


def _reads(program: Program, loop: cst.CSTNode, hop: Hop, route: Route) -> list[cst.CSTNode]:
    """What the loop's count reads, as nodes of the frame where they can be: a called function's parameter is the
    argument the frame's call gives it."""
    if not isinstance(loop, cst.For):
        return []
    if hop is route.hops[0]:
        return [program.analysis.counted_iterable(loop)]
    call = route.hops[0].node
    given = {program.parameter_for(call, argument).value: argument.value for argument in call.args
             if program.parameter_for(call, argument) is not None}
    return [given.get(name.value, name) for name in read_names(program.analysis.counted_iterable(loop))]

