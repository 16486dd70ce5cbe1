"""Where a MindSpore optimizer steps: called with its gradients, through a ``TrainOneStepCell`` built on it (bound,
passed on, or handed to a ``Model``), or out of sight in ``Model.train``/``fit``, wherever the program model
follows it."""

from __future__ import annotations

import libcst as cst

from migrate.analysis import Analysis
from migrate.program import ARGUMENT, ATTRIBUTE, METHOD
from migrate.rule import Refused

MODELS = {"mindspore.Model", "mindspore.train.Model", "mindspore.train.model.Model"}
MODEL_RUNS = ("train", "fit")
STEP_CELLS = {"mindspore.nn.TrainOneStepCell", "mindspore.nn.wrap.TrainOneStepCell",
              "mindspore.nn.wrap.cell_wrapper.TrainOneStepCell"}


def optimizer_steps(analysis: Analysis, optimizer_call: cst.Call,
                    optimizer_name: cst.BaseExpression) -> tuple[list[cst.Call], list[cst.Call]]:
    """The calls that step the optimizer (``opt(grads)``, ``opt.step()``, ``x.step(opt)``, a TrainOneStepCell
    built on it) and the ``model.train(...)`` calls that run it out of sight, wherever the program model follows
    the optimizer: its variable, and the parameters of the module's functions it is passed to."""
    steps: list[cst.Call] = []
    runs: list[cst.Call] = []
    tracked = analysis.program.follow(optimizer_call)
    _refuse_competitors(analysis, tracked, f"the optimizer `{analysis.code(optimizer_name)}`")
    for use in sorted(tracked.uses, key=lambda use: analysis.start(use.node)):
        node = use.node
        parent = analysis.parents.get(node)
        if isinstance(parent, cst.Call) and parent.func is node:
            steps.append(parent)
        elif use.kind in (METHOD, ATTRIBUTE):
            if use.kind == METHOD and use.detail == "step":
                steps.append(use.call)
        elif use.kind == ARGUMENT:
            call = use.call
            names = analysis.names_of(call.func)
            if isinstance(call.func, cst.Attribute) and call.func.attr.value == "step":
                steps.append(call)
            elif names & (MODELS | STEP_CELLS):
                found_steps, found_runs = _wrapper_uses(analysis, call, bool(names & STEP_CELLS))
                steps += found_steps
                runs += found_runs
            else:
                raise Refused("MIG106", f"the optimizer is passed to `{analysis.code(call.func)}(...)` at "
                                       f"line {analysis.line(call)}, where its steps are not visible", call)
        else:
            statement = analysis.statement(node)
            raise Refused("MIG106", f"the optimizer is used at line {analysis.line(node)} "
                                   f"(`{analysis.first_line(statement)}`), where its steps are not visible", node)
    return steps, runs


def _refuse_competitors(analysis: Analysis, tracked, what: str) -> None:
    """A place the object is stored that also holds another value hides which one a use sees."""
    for statement, value in tracked.competitors:
        raise Refused("MIG106", f"{what} is also given another value at line {analysis.line(statement)} "
                               f"(`{analysis.first_line(statement)}`), so its steps cannot be followed", value)


def _wrapper_uses(analysis: Analysis, call: cst.Call, step_cell: bool) -> tuple[list[cst.Call], list[cst.Call]]:
    """A Model's train()/fit() calls, or a TrainOneStepCell's calls (each one optimizer step), followed like the
    optimizer into the module's functions it is passed to. A Model only evaluated or predicted with (MindSpore's
    tutorials build it with the optimizer and only call ``eval``) never steps the optimizer: no calls."""
    parent = analysis.parents.get(call)
    target = parent.targets[0].target if isinstance(parent, cst.Assign) and len(parent.targets) == 1 else None
    if not isinstance(target, cst.Name) or analysis.single_assignment(target) is None:
        raise Refused("MIG106", f"`{analysis.code(call.func)}(...)` at line {analysis.line(call)} is not "
                               "bound to one variable, so how it runs the optimizer is not visible", call)
    tracked = analysis.program.follow(call)
    _refuse_competitors(analysis, tracked, f"`{target.value}`")
    steps, runs = [], []
    for use in sorted(tracked.uses, key=lambda use: analysis.start(use.node)):
        node = use.node
        parent = analysis.parents.get(node)
        if step_cell and isinstance(parent, cst.Call) and parent.func is node:
            steps.append(parent)
        elif use.kind in (METHOD, ATTRIBUTE):
            if not step_cell and use.kind == METHOD and use.detail in MODEL_RUNS:
                runs.append(use.call)
        elif step_cell and use.kind == ARGUMENT and analysis.names_of(use.call.func) & MODELS:
            found_steps, found_runs = _wrapper_uses(analysis, use.call, False)
            steps += found_steps
            runs += found_runs
        else:
            raise Refused("MIG106", f"`{target.value}` is used at line {analysis.line(node)}, where how it "
                                   "runs the optimizer is not visible", node)
    if step_cell and not steps:
        raise Refused("MIG106", f"`{target.value}` never runs the optimizer here", call)
    return steps, runs
