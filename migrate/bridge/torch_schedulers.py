"""torch schedulers that stand beside ``CosineAnnealingLR`` in a flag's branches, each as the MindSpore list that
reproduces it over a visible run, and the claim the verifier checks for it.

``if args.scheduler == "cos": ... else: scheduler = StepLR(...)`` (or ``MultiStepLR``, ``ExponentialLR``, ``LambdaLR`` of a
spelled-out lambda, ``LinearLR``, ``ConstantLR``, ``PolynomialLR``) converts as a whole only when every branch
becomes a list the optimizer can take: one MindSpore optimizer is then built after the branches. torch multiplies
the lr by gamma at each decay (a running product); MindSpore's lists raise gamma to a power: the two agree within
the verifier's tolerance, which the claims check.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass

import libcst as cst

from migrate.analysis import Analysis, atom
from migrate.references import References
from migrate.verify import Schedule

SCHEDULER_MODULE = "torch.optim.lr_scheduler."


@dataclass(frozen=True)
class Listed:
    """A sibling as a list: the expression that builds it, and the torch and MindSpore schedules to compare."""

    expression: str
    source: Schedule
    target: Schedule
    positive: tuple[str, ...] = ()


@dataclass(frozen=True)
class Sibling:
    """One torch scheduler: its signature (after the optimizer), its defaults, and how it becomes a list from
    the texts of its arguments, the lr (torch's and MindSpore's float), the cadence and the run."""

    signature: tuple[str, ...]
    defaults: dict[str, str]
    listed: Callable[[dict[str, str], Frame], Listed]


@dataclass(frozen=True)
class Frame:
    """What every branch shares: the lr as torch reads it and as a float, the optimizer steps per scheduler step
    (the list's step_per_epoch), the run in optimizer steps, the reference to ``mindspore.nn``, and two names
    free in the module for a comprehension's variables."""

    base_lr: str
    max_lr: str
    step_every: str
    step_per_epoch: str
    run_steps: str
    nn: str
    names: tuple[str, str] = ("step", "milestone")


def _step(args: dict[str, str], frame: Frame) -> Listed:
    return _exponential(args, frame, args["step_size"], "torch.StepLR",
                        {"step_size": args["step_size"], "gamma": args["gamma"]})


def _exponential_lr(args: dict[str, str], frame: Frame) -> Listed:
    return _exponential(args, frame, "1", "torch.ExponentialLR", {"gamma": args["gamma"]})


def _exponential(args, frame: Frame, every: str, model: str, torch_args: dict) -> Listed:
    """``lr * gamma ** (epoch // every)``: MindSpore's stair-case exponential decay."""
    expression = (f"{frame.nn}.exponential_decay_lr(learning_rate={frame.max_lr}, decay_rate={args['gamma']}, "
                  f"total_step={frame.run_steps}, step_per_epoch={frame.step_per_epoch}, decay_epoch={every}, "
                  "is_stair=True)")
    source = Schedule(model, {"base_lr": frame.base_lr, **torch_args, "step_every": frame.step_every})
    target = Schedule("mindspore.exponential_decay_lr", {
        "learning_rate": frame.max_lr, "decay_rate": args["gamma"], "total_step": frame.run_steps,
        "step_per_epoch": frame.step_per_epoch, "decay_epoch": every, "is_stair": "True"})
    return Listed(expression, source, target, (every, args["gamma"]))


def _multistep(args: dict[str, str], frame: Frame) -> Listed:
    """The rate after as many milestones as the epoch has passed: torch's running product of gammas, written out,
    for a run of any length (``piecewise_constant_lr`` would raise when the run ends before the last milestone)."""
    milestones = _spelled(args["milestones"])
    rates, rate = [frame.max_lr], frame.max_lr
    for _ in milestones:
        rate = f"{rate} * {atom(args['gamma'])}"
        rates.append(rate)
    step, milestone = frame.names
    epoch = step if frame.step_per_epoch == "1" else f"{step} // {atom(frame.step_per_epoch)}"
    whole_only = not all(written_whole(text) for text in milestones)
    expression = (f"[[{', '.join(rates)}][sum({epoch} >= {milestone} for {milestone} in {args['milestones']}"
                  + (f" if {milestone} == int({milestone})" if whole_only else "")
                  + f")] for {step} in range({frame.run_steps})]")
    source = Schedule("torch.MultiStepLR", {"base_lr": frame.base_lr, "milestones": args["milestones"],
                                            "gamma": args["gamma"], "step_every": frame.step_every})
    target = Schedule("mindspore.milestone_rates", {
        "milestones": args["milestones"], "learning_rates": f"[{', '.join(rates)}]",
        "step_per_epoch": frame.step_per_epoch, "total_step": frame.run_steps, "whole_only": str(whole_only)})
    return Listed(expression, source, target, tuple(text for text in milestones if not text.isdigit()))


def written_whole(text: str, fractional: frozenset[str] = frozenset()) -> bool:
    """Whether a count or milestone is written as a whole number (no float literal or true division outside ``int()``,
    ``round()``, ``math.floor``/``ceil``): torch's MultiStepLR decays only at an epoch *equal* to a milestone, so
    ``0.5 * n_epochs`` decays only when it is whole, which the list then checks. ``fractional`` are names and
    attributes known to hold a fraction (an argparse ``type=float`` default of 0.8)."""
    pending = [ast.parse(text, mode="eval").body]
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Call) and ast.unparse(node.func) in ("int", "round", "math.floor", "math.ceil"):
            continue
        if (isinstance(node, ast.Constant) and isinstance(node.value, float) or isinstance(node, ast.Div)
                or isinstance(node, (ast.Name, ast.Attribute)) and ast.unparse(node) in fractional):
            return False
        pending.extend(ast.iter_child_nodes(node))
    return True


def _lambda(args: dict[str, str], frame: Frame) -> Listed:
    """``lr * lr_lambda(epoch)``: the lambda's body written into the comprehension with the epoch of each step
    for its argument (a lambda spelled out in the call, which the verifier reads; a named function is not)."""
    function = ast.parse(f"({args['lr_lambda'].strip()})", mode="eval").body
    text = ast.unparse(function)
    if not (isinstance(function, ast.Lambda) and len(function.args.args) == 1 and not function.args.defaults
            and not any((function.args.posonlyargs, function.args.kwonlyargs, function.args.vararg,
                         function.args.kwarg))):
        raise ValueError(f"lr_lambda={text} is not a lambda of the epoch spelled out in the call (the verifier "
                         "reads such a lambda; it never runs the code's own functions)")
    if any(isinstance(node, (ast.Lambda, ast.comprehension, ast.NamedExpr)) for node in ast.walk(function.body)):
        raise ValueError(f"lr_lambda={text} binds names of its own")
    step = frame.names[0]
    epoch = ast.parse(step if frame.step_per_epoch == "1" else f"({step} // {atom(frame.step_per_epoch)})",
                      mode="eval").body
    argument = function.args.args[0].arg
    body = _Substitute(argument, epoch).visit(function.body)
    expression = f"[{atom(frame.max_lr)} * {atom(ast.unparse(body))} for {step} in range({frame.run_steps})]"
    source = Schedule("torch.LambdaLR", {"base_lr": frame.base_lr, "lr_lambda": text, "step_every": frame.step_every})
    return Listed(expression, source, _epoch_function(frame, text))


def _linear(args: dict[str, str], frame: Frame) -> Listed:
    """LinearLR's factor in closed form, ``start + (end - start) * min(epoch, total_iters) / total_iters``."""
    start, end, iters = (atom(args[name]) for name in ("start_factor", "end_factor", "total_iters"))
    factor = f"{start} + ({end} - {start}) * min({{epoch}}, {iters}) / {iters}"
    step = frame.names[0]
    epoch = step if frame.step_per_epoch == "1" else f"{step} // {atom(frame.step_per_epoch)}"
    expression = (f"[{atom(frame.max_lr)} * ({factor.format(epoch=epoch)}) for {step} in "
                  f"range({frame.run_steps})]")
    source = Schedule("torch.LinearLR", {"base_lr": frame.base_lr, "start_factor": args["start_factor"],
                                         "end_factor": args["end_factor"], "total_iters": args["total_iters"],
                                         "step_every": frame.step_every})
    return Listed(expression, source, _epoch_function(frame, f"lambda epoch: {factor.format(epoch='epoch')}"),
                  (args["total_iters"],))


def _constant(args: dict[str, str], frame: Frame) -> Listed:
    """``lr * factor`` for the first ``total_iters`` epochs, then ``lr``."""
    factor, iters, step = atom(args["factor"]), atom(args["total_iters"]), frame.names[0]
    epoch = step if frame.step_per_epoch == "1" else f"{step} // {atom(frame.step_per_epoch)}"
    scaled = f"{atom(frame.max_lr)} * {factor}"
    expression = (f"[{scaled} if {epoch} < {iters} else {frame.max_lr} for {step} in "
                  f"range({frame.run_steps})]")
    source = Schedule("torch.ConstantLR", {"base_lr": frame.base_lr, "factor": args["factor"],
                                           "total_iters": args["total_iters"], "step_every": frame.step_every})
    target = Schedule("mindspore.milestone_rates", {
        "milestones": f"[{args['total_iters']}]", "learning_rates": f"[{scaled}, {frame.max_lr}]",
        "step_per_epoch": frame.step_per_epoch, "total_step": frame.run_steps})
    return Listed(expression, source, target, (args["total_iters"],))


def _polynomial(args: dict[str, str], frame: Frame) -> Listed:
    """``lr * (1 - min(epoch, total_iters) / total_iters) ** power``: MindSpore's polynomial decay to 0."""
    power = args["power"]
    if not _is_float_literal(power):
        power = f"{power}.0" if power.isdigit() else f"float({power})"
    expression = (f"{frame.nn}.polynomial_decay_lr(learning_rate={frame.max_lr}, end_learning_rate=0.0, "
                  f"total_step={frame.run_steps}, step_per_epoch={frame.step_per_epoch}, "
                  f"decay_epoch={args['total_iters']}, power={power})")
    source = Schedule("torch.PolynomialLR", {"base_lr": frame.base_lr, "total_iters": args["total_iters"],
                                             "power": args["power"], "step_every": frame.step_every})
    target = Schedule("mindspore.polynomial_decay_lr", {
        "learning_rate": frame.max_lr, "end_learning_rate": "0.0", "total_step": frame.run_steps,
        "step_per_epoch": frame.step_per_epoch, "decay_epoch": args["total_iters"], "power": power})
    return Listed(expression, source, target, (args["total_iters"],))


def read_from_second_epoch(listed: Listed, every: str) -> Listed:
    """Stepped at the start of each epoch, torch trains epoch ``e`` at scheduler epoch ``e + 1``: the list (built
    one epoch longer) read from its second epoch, checked against ``torch.EpochStart[...]``."""
    return Listed(f"{listed.expression}[{every}:]",
                  Schedule(f"torch.EpochStart[{listed.source.model}]", listed.source.args),
                  Schedule(f"mindspore.sliced[{listed.target.model}]", {**listed.target.args, "start": every}),
                  listed.positive)


def _epoch_function(frame: Frame, function: str) -> Schedule:
    return Schedule("mindspore.epoch_function_list", {"learning_rate": frame.max_lr, "lr_lambda": function,
                                                      "step_per_epoch": frame.step_per_epoch,
                                                      "total_step": frame.run_steps})


def _is_float_literal(text: str) -> bool:
    try:
        node = ast.parse(text.strip(), mode="eval").body
    except SyntaxError:
        return False
    return isinstance(node, ast.Constant) and isinstance(node.value, float)


class _Substitute(ast.NodeTransformer):
    """Replaces every load of one name in an expression by another expression."""

    def __init__(self, name: str, replacement: ast.expr):
        self.name, self.replacement = name, replacement

    def visit_Name(self, node: ast.Name) -> ast.expr:
        return self.replacement if node.id == self.name else node


def _spelled(text: str) -> list[str]:
    """The elements of a list or tuple literal, as source text; ValueError for anything else."""
    node = ast.parse(text.strip(), mode="eval").body
    if not isinstance(node, (ast.List, ast.Tuple)) or any(isinstance(item, ast.Starred) for item in node.elts):
        raise ValueError(f"{text} is not a list the code spells out")
    return [ast.unparse(item) for item in node.elts]


SIBLINGS = {
    SCHEDULER_MODULE + "StepLR": Sibling(("step_size", "gamma", "last_epoch"), {"gamma": "0.1"}, _step),
    SCHEDULER_MODULE + "MultiStepLR": Sibling(("milestones", "gamma", "last_epoch"), {"gamma": "0.1"}, _multistep),
    SCHEDULER_MODULE + "ExponentialLR": Sibling(("gamma", "last_epoch"), {}, _exponential_lr),
    SCHEDULER_MODULE + "LambdaLR": Sibling(("lr_lambda", "last_epoch"), {}, _lambda),
    SCHEDULER_MODULE + "LinearLR": Sibling(("start_factor", "end_factor", "total_iters", "last_epoch"),
                                           {"start_factor": "1.0 / 3", "end_factor": "1.0", "total_iters": "5"},
                                           _linear),
    SCHEDULER_MODULE + "ConstantLR": Sibling(("factor", "total_iters", "last_epoch"),
                                             {"factor": "1.0 / 3", "total_iters": "5"}, _constant),
    SCHEDULER_MODULE + "PolynomialLR": Sibling(("total_iters", "power", "last_epoch"),
                                               {"total_iters": "5", "power": "1.0"}, _polynomial),
}
"""The schedulers a flag may choose instead of CosineAnnealingLR, by qualified name."""


NO_LIST_FORM = {
    SCHEDULER_MODULE + "ReduceLROnPlateau": "follows a metric (step(val_loss)), which a list fixed before training "
                                            "cannot; for Model.train MindSpore's mindspore.train.ReduceLROnPlateau "
                                            "callback does this: port it by hand",
    **{SCHEDULER_MODULE + name: "has a per-step list form, but no rule writes it yet: build the list by hand and "
                                "pass it as the MindSpore optimizer's learning_rate"
       for name in ("OneCycleLR", "CyclicLR", "CosineAnnealingWarmRestarts")},
}
"""torch schedulers left as they are, reported with what to do instead."""


def called_scheduler(analysis: Analysis, call: cst.Call, table: dict) -> str:
    """The scheduler of ``table`` the call makes; a bare name only a star import binds is that module's."""
    return min(analysis.names_of(call.func) & table.keys() or {SCHEDULER_MODULE + analysis.code(call.func)})


def without_list_form(analysis: Analysis, references: References) -> list[cst.Call]:
    """The calls of ``NO_LIST_FORM`` schedulers among ``references``, taken out of them with the other references to
    those schedulers (``isinstance(s, ReduceLROnPlateau)`` is no use of a scheduler to report)."""
    tables = {**SIBLINGS, **NO_LIST_FORM}
    unlisted = [call for call in references.calls if called_scheduler(analysis, call, tables) in NO_LIST_FORM]
    short = {name.removeprefix(SCHEDULER_MODULE) for name in NO_LIST_FORM}
    references.calls = [call for call in references.calls if call not in unlisted]
    references.indirect = [(node, kind) for node, kind in references.indirect
                           if not analysis.names_of(node) & NO_LIST_FORM.keys()
                           and analysis.code(node).rpartition(".")[2] not in short]
    return unlisted
