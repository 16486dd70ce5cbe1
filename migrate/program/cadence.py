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
from migrate.program.model import Hop, Program, Route, own_returns


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
    if depth == len(base):
        raise NotVisible("scheduler.step() is not in the training loop", step)
    _check_order(program, step, route, scheduler_loops[-1], extra)
    _check_unguarded(program, step, route, scheduler_loops[-1], allowed_guards)
    result = Cadence("1", bool(extra), None, route=route)
    counts = [_count(program, route, loop, hop, result) for loop, hop in extra]
    result.step_every = product(*counts) if counts else "1"
    _check_run_loops(program, scheduler_loops[len(base):], step)
    run = [_count(program, route, loop, route.hops[0], result, optional=True) for loop in scheduler_loops[len(base):]]
    if all(count is not None for count in run):
        result.run_steps = product(*run, result.step_every)
    result.run_loop = scheduler_loops[len(base)]
    return result


def _unreached(program: Program, site: cst.CSTNode, frame: cst.CSTNode) -> str:
    line = program.analysis.line(site)
    function = program.function_of(site)
    if not isinstance(function, cst.FunctionDef):
        return f"optimizer.step() at line {line} is not reached from the function where scheduler.step() runs"
    calls = program.call_sites(function)
    where = ", ".join(str(program.analysis.line(call)) for call in calls)
    how = (f"called from lines {where}" if len(calls) > 1 else
           f"called from line {where}, outside the function where scheduler.step() runs" if calls else
           "never called in this module")
    return f"optimizer.step() at line {line} is in `{function.name.value}()`, {how}, so how often it runs is not visible"


def _check_order(program: Program, step, route: Route, loop: cst.CSTNode, extra) -> None:
    """The optimizer's steps of an iteration must come before the schedule's step in the same iteration."""
    analysis = program.analysis
    frame_extra = [candidate for candidate, hop in extra if hop is route.hops[0]]
    before = frame_extra[0] if frame_extra else route.anchor
    if analysis.start(step) < analysis.end(before):
        raise NotVisible("scheduler.step() runs at the start of the epoch, before batches stepped through another "
                         "function: the one-epoch shift converts only when the step and the batch loop are in the "
                         "same function" if extra else
                         "scheduler.step() runs before optimizer.step() in the same loop: every optimizer step would "
                         "use the next step's lr", step)


def _check_unguarded(program: Program, step, route: Route, loop, allowed) -> None:
    analysis = program.analysis
    for guard in analysis.guards(step, loop):
        if guard not in allowed:
            raise NotVisible("scheduler.step() runs under a condition, so how often it runs is not visible", step)
    for guard in program.guards(route, loop):
        raise NotVisible(f"optimizer.step() runs under a condition (line {analysis.line(guard)}), so the optimizer "
                         "steps per epoch are not visible", route.hops[-1].node)
    for hop in route.hops[1:]:
        for exit_ in _early_returns(program, hop):
            raise NotVisible(f"`return` at line {analysis.line(exit_)} can end `{hop.function.name.value}()` before "
                             "its optimizer steps", exit_)


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


def _count(program: Program, route: Route, loop, hop: Hop, result: Cadence, optional: bool = False) -> str | None:
    """The loop's iteration count in the frame's terms; its assumption is added to ``result``."""
    analysis = program.analysis
    count, why = analysis.iteration_count(loop)
    exits = [] if optional else analysis.loop_exits(loop)
    if exits:
        raise NotVisible(f"`{analysis.code(exits[0]).strip()}` at line {analysis.line(exits[0])} can end an "
                         "iteration early, so the optimizer steps per epoch are not visible", exits[0])
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
                                  "iterations")
    result.reads += _reads(program, loop, hop, route)
    return text


def _reads(program: Program, loop: cst.CSTNode, hop: Hop, route: Route) -> list[cst.CSTNode]:
    """What the loop's count reads, as nodes of the frame where they can be: a called function's parameter is the
    argument the frame's call gives it."""
    if not isinstance(loop, cst.For):
        return []
    if hop is route.hops[0]:
        return [loop.iter]
    call = route.hops[0].node
    given = {program.parameter_for(call, argument).value: argument.value for argument in call.args
             if program.parameter_for(call, argument) is not None}
    return [given.get(name.value, name) for name in read_names(loop.iter)]

