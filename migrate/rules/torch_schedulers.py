"""torch schedulers that stand beside ``CosineAnnealingLR`` in a flag's branches, each as the MindSpore list that
reproduces it over a visible run, and the claim the verifier checks for it.

``if args.scheduler == "cos": ... else: scheduler = StepLR(...)`` converts as a whole only when every branch
becomes a list the optimizer can take: one MindSpore optimizer is then built after the branches. torch multiplies
the lr by gamma at each decay (a running product); MindSpore's lists raise gamma to a power: the two agree within
the verifier's tolerance, which the claims check.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from migrate.analysis import atom
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
    listed: Callable[[dict[str, str], "Frame"], Listed]


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
    return Listed(expression, source, target, (every,))


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
    expression = (f"[[{', '.join(rates)}][sum({epoch} >= {milestone} for {milestone} in {args['milestones']})] "
                  f"for {step} in range({frame.run_steps})]")
    source = Schedule("torch.MultiStepLR", {"base_lr": frame.base_lr, "milestones": args["milestones"],
                                            "gamma": args["gamma"], "step_every": frame.step_every})
    target = Schedule("mindspore.milestone_rates", {
        "milestones": args["milestones"], "learning_rates": f"[{', '.join(rates)}]",
        "step_per_epoch": frame.step_per_epoch, "total_step": frame.run_steps})
    return Listed(expression, source, target)


def _spelled(text: str) -> list[str]:
    """The elements of a list or tuple literal, as source text; ValueError for anything else."""
    import ast

    node = ast.parse(text.strip(), mode="eval").body
    if not isinstance(node, (ast.List, ast.Tuple)) or any(isinstance(item, ast.Starred) for item in node.elts):
        raise ValueError(f"{text} is not a list the code spells out")
    return [ast.unparse(item) for item in node.elts]


SIBLINGS = {
    SCHEDULER_MODULE + "StepLR": Sibling(("step_size", "gamma", "last_epoch"), {"gamma": "0.1"}, _step),
    SCHEDULER_MODULE + "MultiStepLR": Sibling(("milestones", "gamma", "last_epoch"), {"gamma": "0.1"}, _multistep),
    SCHEDULER_MODULE + "ExponentialLR": Sibling(("gamma", "last_epoch"), {}, _exponential_lr),
}
"""The schedulers a flag may choose instead of CosineAnnealingLR, by qualified name."""
