"""torch's cosine schedules written as MindSpore lists: the plain ``cosine_decay_lr`` call, torch's periodic cosine
read from one half-period at reflected epochs, a ``LinearLR`` warmup before it, a resume and a step at the start of
the epoch, each with the claim the verifier checks. Pure text: the functions take the list's values as source text
and return the statements that bind it, or the values and claim of that form."""

from __future__ import annotations

import ast
from dataclasses import dataclass, replace

import libcst as cst

from migrate.analysis import atom, plus_one, product
from migrate.bridge.scheduler_parts import ScheduleValues
from migrate.bridge.torch_schedulers import Listed
from migrate.verify import Schedule


def decay_statement(list_name: str, function: str, args: dict[str, str], start: str | None) -> cst.SimpleStatementLine:
    """``list = cosine_decay_lr(...)``, sliced from ``start`` when the run begins inside the list."""
    return cst.parse_statement(f"{list_name} = {function}(min_lr={args['min_lr']}, max_lr={args['max_lr']}, "
                               f"total_step={args['total_step']}, step_per_epoch={args['step_per_epoch']}, "
                               f"decay_epoch={args['decay_epoch']})" + (f"[{start}:]" if start else "") + "\n")


def half_period(cycle: str, function: str, args: dict[str, str], when: str | None = None) -> cst.SimpleStatementLine:
    """One half-period of the cosine, one entry per epoch: ``decay_epoch + 1`` entries from max_lr to min_lr;
    computed only ``when`` that holds (a cosine after a warmup the run may never leave)."""
    return cst.parse_statement(f"{cycle} = {function}(min_lr={args['min_lr']}, max_lr={args['max_lr']}, "
                               f"total_step={plus_one(args['decay_epoch'])}, step_per_epoch=1, "
                               f"decay_epoch={args['decay_epoch']})" + (f" if {when} else []" if when else "")
                               + "\n")


def periodic_statements(list_name: str, function: str, args: dict[str, str], cycle: str,
                        step: str) -> list[cst.SimpleStatementLine]:
    """The half-period, and the list that reads it at each step's reflected epoch
    ``min(e % (2 * T), -e % (2 * T))``: torch's periodic cosine."""
    period = f"(2 * {atom(args['decay_epoch'])})"
    every = args["step_per_epoch"]
    epoch = step if every == "1" else f"{step} // {atom(every)}"
    return [
        half_period(cycle, function, args),
        cst.parse_statement(f"{list_name} = [{cycle}[min({epoch} % {period}, -({epoch}) % {period})] "
                            f"for {step} in range({args['total_step']})]\n"),
    ]


def warmup_then_periodic(list_name: str, function: str, args: dict[str, str], warmup: str, cycle: str,
                         step: str) -> list[cst.SimpleStatementLine]:
    """The half-period, and the list: the warmup's own list (``warmup``, ``split`` steps long), then the periodic
    cosine from its epoch 0, where torch restarts it at the milestone. A run that ends within the warmup never
    builds the cosine, whose arguments (``T_max=epochs - warmup``) may then be out of MindSpore's range."""
    every = args["step_per_epoch"]
    epoch = step if every == "1" else f"{step} // {atom(every)}"
    period = f"(2 * {atom(args['decay_epoch'])})"
    return [
        half_period(cycle, function, args, when=f"{atom(args['total_step'])} > {atom(args['split'])}"),
        cst.parse_statement(f"{list_name} = {warmup} + [{cycle}[min({epoch} % {period}, -({epoch}) % {period})] "
                            f"for {step} in range({args['total_step']} - {atom(args['split'])})]\n"),
    ]


def one_epoch_more(total: str, every: str) -> str:
    """``(E + 1) * S`` for a list of ``E * S`` steps, else ``total + S``."""
    tree = ast.parse(total, mode="eval").body
    if isinstance(tree, ast.BinOp) and isinstance(tree.op, ast.Mult) and ast.unparse(tree.right) == every:
        return product(plus_one(ast.unparse(tree.left)), every)
    return f"{atom(total)} + {atom(every)}"


def resumed_total(run: str, start: str, offset: str) -> str:
    """The whole list's length for a run of ``run`` steps resumed at ``offset``: ``E * S`` for the usual
    ``(E - start) * S`` run (from ``range(start, E)``), else ``offset + run``."""
    tree, extra = ast.parse(run, mode="eval").body, ""
    if isinstance(tree, ast.BinOp) and isinstance(tree.op, ast.Add):
        tree, extra = tree.left, f" + {ast.unparse(tree.right)}"
    epochs, rest = (tree.left, ast.unparse(tree.right)) if isinstance(tree, ast.BinOp) and isinstance(
        tree.op, ast.Mult) else (tree, "1")
    if (isinstance(epochs, ast.BinOp) and isinstance(epochs.op, ast.Sub)
            and ast.unparse(epochs.right) == ast.unparse(ast.parse(start, mode="eval").body)):
        return product(ast.unparse(epochs.left), rest) + extra
    return f"{offset} + {atom(run)}"


@dataclass(frozen=True)
class CosineValues(ScheduleValues):
    """The cosine_decay_lr arguments besides the lr and the length, and T_max as the code writes it."""

    min_lr: str = "0.0"
    decay_epoch: str = ""
    t_max: str = ""


def resumed(values: CosineValues, start: str, initial: str, step_every: str) -> CosineValues:
    """The resumed schedule: torch goes on from the optimizer's lr at the resume epoch ``start``, a cosine through
    that lr (SEMANTICS 5), which is the list of max_lr ``min_lr + 2 * (lr - min_lr) / (1 + cos(pi * s / T))``
    sliced at the resume step. ``initial`` is the lr the resume idiom sets as each group's initial_lr."""
    source = values.claim.source.args
    offset = product(start, step_every)
    scale = f"(1 + math.cos(math.pi * {atom(start)} / {atom(values.decay_epoch)}))"
    max_lr = (f"2 * {atom(values.max_lr)} / {scale}" if values.min_lr == "0.0"
              else f"{values.min_lr} + 2 * ({values.max_lr} - {values.min_lr}) / {scale}")
    run_steps = values.claim.run_steps
    total = resumed_total(values.total_step, start, offset) if run_steps is not None else values.total_step
    agreement = product(f"({plus_one(values.t_max)} - {atom(start)})", step_every)
    original = Schedule("torch.ResumedCosineAnnealingLR", {
        "initial_lr": initial, "start_lr": source["base_lr"], "T_max": source["T_max"],
        "eta_min": source["eta_min"], "start_epoch": start, "step_every": source["step_every"]})
    target = Schedule("mindspore.sliced_cosine_decay_lr", {
        **values.claim.target.args, "max_lr": max_lr, "total_step": total, "start": offset})
    claim = replace(values.claim, source=original, target=target,
                    agrees_for=agreement if run_steps is not None else f"{values.total_step} - {atom(offset)}",
                    positive=(*values.claim.positive, f"{atom(values.decay_epoch)} - {atom(start)}"))
    return replace(values, max_lr=max_lr, total_step=total, agreement=agreement, claim=claim)


def shifted(values: CosineValues) -> CosineValues:
    """Stepped at the start of each epoch, torch trains epoch ``e`` at scheduler epoch ``e + 1``: the list one
    epoch longer, read from its second epoch (``[step_per_epoch:]``)."""
    every = values.step_per_epoch
    total = one_epoch_more(values.total_step, every)
    source = Schedule("torch.EpochStartCosineAnnealingLR", dict(values.claim.source.args))
    target = Schedule("mindspore.sliced_cosine_decay_lr", {**values.claim.target.args, "total_step": total,
                                                           "start": every})
    agreement = product(values.t_max, every)
    claim = replace(values.claim, source=source, target=target, agrees_for=agreement)
    return replace(values, total_step=total, agreement=agreement, claim=claim)


def chained(values: CosineValues, warmup: Listed, split: str, milestone: str, step_every: str) -> CosineValues:
    """The claim of ``SequentialLR([warmup, CosineAnnealingLR], [milestone])`` for a warmup of
    ``migrate.bridge.torch_schedulers``: torch's chain (a composite model) against the warmup's list for ``split``
    optimizer steps followed by the periodic cosine from its epoch 0."""
    source = values.claim.source.args
    total = values.claim.run_steps or product(plus_one(f"{atom(milestone)} + {atom(values.decay_epoch)}"),
                                             step_every)
    original = Schedule(f"torch.SequentialLR[{warmup.source.model},torch.CosineAnnealingLR]", {
        "base_lr": source["base_lr"], "step_every": source["step_every"], "milestones": f"[{milestone}]",
        **{f"0.{name}": text for name, text in warmup.source.args.items() if name not in ("base_lr", "step_every")},
        "1.T_max": source["T_max"], "1.eta_min": source["eta_min"]})
    target = Schedule(f"mindspore.concat[{warmup.target.model},mindspore.periodic_cosine]", {
        "split": split, **{f"0.{name}": text for name, text in warmup.target.args.items()},
        "1.min_lr": values.min_lr, "1.max_lr": values.max_lr, "1.total_step": f"{atom(total)} - {atom(split)}",
        "1.step_per_epoch": values.step_per_epoch, "1.decay_epoch": values.decay_epoch})
    claim = replace(values.claim, source=original, target=target, agrees_for=None if values.claim.run_steps else total,
                    positive=(*values.claim.positive, *warmup.positive))
    return replace(values, total_step=total, claim=claim)
