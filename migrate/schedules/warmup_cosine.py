"""The linear-warmup-then-cosine recipe on both sides: torch's ``SequentialLR`` chain and the MindSpore list.

torch: ``SequentialLR(optimizer, [LinearLR(optimizer, start_factor, end_factor, total_iters),
CosineAnnealingLR(optimizer, T_max, eta_min)], milestones=[milestone])``. Before the milestone the lr is LinearLR's
running product; at the milestone ``SequentialLR`` restarts the cosine at its closed form of epoch 0 (from the
base lr, whatever the warmup reached); after it the cosine recurses from the current lr, periodic past ``T_max``.
The model repeats that recursion in torch's arithmetic order, so it is bit-identical to torch, not a closed form.

MindSpore has no such chain: the rewrite is one per-step list, a warmup in LinearLR's closed form for the first
``milestone`` epochs, then torch's periodic cosine read from one ``cosine_decay_lr`` half-period at reflected
epochs, counted from the milestone.
"""

from __future__ import annotations

import math
import numbers
import operator

from migrate.schedules.mindspore_lr import (
    _padded,
    check_cosine_decay_lr,
    half_period_at,
    reflected,
)
from migrate.schedules.torch_family import (
    TorchChainableCosineAnnealingLR,
    TorchLinearLR,
    TorchSequentialLR,
    _running_products,
    scheduler_epochs,
)


def torch_cosine_recursion(start, base_lr, T_max, eta_min, epochs: int) -> list:
    """The lr of local epochs ``0 .. epochs-1`` of a cosine that holds ``start`` at epoch 0, as torch's ``step()``
    computes them (``CosineAnnealingLR.get_lr``: the additive branch one epoch past a trough, else the ratio)."""
    values = [start] if epochs > 0 else []
    lr = start
    previous = None
    for epoch in range(1, epochs):
        if (epoch - 1 - T_max) % (2 * T_max) == 0:
            lr = lr + (base_lr - eta_min) * (1 - math.cos(math.pi / T_max)) / 2
            previous = None
        else:
            current = math.cos(math.pi * epoch / T_max)
            if previous is None:
                previous = math.cos(math.pi * (epoch - 1) / T_max)
            lr = (1 + current) / (1 + previous) * (lr - eta_min) + eta_min
            previous = current
        values.append(lr)
    return values


def sequential_replica_per_epoch(base_lr, start_factor, end_factor, total_iters, milestone, T_max, eta_min,
                                 epochs: int) -> list:
    """The chain on the replica state machines, one ``step()`` per epoch: the reference for any argument."""
    groups = [{"lr": base_lr}]
    scheduler = TorchSequentialLR(
        groups,
        [TorchLinearLR(groups, start_factor, end_factor, total_iters),
         TorchChainableCosineAnnealingLR(groups, T_max, eta_min)],
        [milestone],
    )
    seen = []
    for _ in range(epochs):
        seen.append(groups[0]["lr"])
        scheduler.step()
    return seen


def _whole(value) -> bool:
    return isinstance(value, numbers.Real) and math.isfinite(value) and value == int(value)


def linear_warmup_cosine_per_epoch(base_lr, start_factor, end_factor, total_iters, milestone, T_max, eta_min,
                                   epochs: int):
    """The chain's lr at each of ``epochs`` scheduler epochs, bit-identical to torch.

    A whole milestone ``M`` (the usual case) is computed in segments: LinearLR's factors as a running product for
    epochs ``0 .. M-1``, then the cosine restarted at ``M`` (at ``M <= 0`` torch's constructor starts it at the
    base lr instead, and it never restarts). Any other milestone runs the replica state machines.
    """
    import numpy as np

    warmup = TorchLinearLR([{"lr": base_lr}], start_factor, end_factor, total_iters)
    if not _whole(milestone):
        return np.array(sequential_replica_per_epoch(
            base_lr, start_factor, end_factor, total_iters, milestone, T_max, eta_min, epochs), dtype=float)
    milestone = int(milestone)
    warm = min(max(milestone, 0), epochs)
    values = _running_products(base_lr, warmup.epoch_factors(warm))[1:]
    if warm == epochs:
        return values
    start = eta_min + (base_lr - eta_min) * (1 + math.cos(math.pi * 0 / T_max)) / 2 if milestone > 0 else base_lr
    cosine = torch_cosine_recursion(start, base_lr, T_max, eta_min, epochs - warm)
    return np.concatenate((values, np.array(cosine, dtype=float)))


def torch_linear_warmup_cosine_per_step(base_lr, start_factor, end_factor, total_iters, milestone, T_max, eta_min,
                                        step_every, steps: int):
    """The lr of each optimizer step, with a fresh chain's ``step()`` after every ``step_every`` of them."""
    epochs = scheduler_epochs(step_every, steps)
    count = int(epochs[-1]) + 1 if steps else 0
    return linear_warmup_cosine_per_epoch(
        base_lr, start_factor, end_factor, total_iters, milestone, T_max, eta_min, count
    )[epochs]


def linear_warmup_value(base_lr, start_factor, end_factor, total_iters, epoch):
    """One warmup element, as the rewritten list computes it: LinearLR's closed form at ``epoch``."""
    return base_lr * (start_factor + (end_factor - start_factor) * min(epoch, total_iters) / total_iters)


def mindspore_linear_warmup_cosine_per_step(base_lr, start_factor, end_factor, total_iters, milestone, min_lr,
                                            decay_epoch, step_per_epoch, total_step, steps: int):
    """The lr of each optimizer step fed the list of ``total_step`` elements ``lr[j]``: for
    ``j < milestone * step_per_epoch`` the warmup at epoch ``j // step_per_epoch``, after it the half-period
    ``cosine_decay_lr(min_lr, base_lr, decay_epoch + 1, 1, decay_epoch)`` read at the reflected epoch
    ``j // step_per_epoch - milestone``; ``+inf`` past the end, where a MindSpore optimizer raises.

    MindSpore checks the cosine's arguments as ``cosine_decay_lr`` does (for the half-period and for the list's
    ``total_step`` and ``step_per_epoch``); the warmup raises what its Python expression raises, when the list is
    built, whatever the run's length.
    """
    import numpy as np

    check_cosine_decay_lr(min_lr, base_lr, decay_epoch + 1, 1, decay_epoch)
    check_cosine_decay_lr(min_lr, base_lr, total_step, step_per_epoch, decay_epoch)
    warm_steps = operator.index(milestone * step_per_epoch)
    if warm_steps < 0:
        raise ValueError(f"the warmup must have a non-negative number of epochs, got milestone={milestone!r}")
    if warm_steps:
        linear_warmup_value(base_lr, start_factor, end_factor, total_iters, 0)
    listed = min(steps, total_step)
    epochs = np.arange(listed) // step_per_epoch
    warm = min(warm_steps, listed)
    by_epoch = [
        linear_warmup_value(base_lr, start_factor, end_factor, total_iters, epoch)
        for epoch in range(int(epochs[warm - 1]) + 1 if warm else 0)
    ]
    warmup = np.array(by_epoch, dtype=float)[epochs[:warm]]
    cosine = half_period_at(min_lr, base_lr, decay_epoch, reflected(epochs[warm:] - milestone, decay_epoch))
    return _padded(np.concatenate((warmup, cosine)), steps)


class TorchLinearWarmupCosine:
    """A fresh ``SequentialLR([LinearLR, CosineAnnealingLR], [milestone])`` stepped after every ``step_every``
    optimizer steps."""

    name = "torch.LinearWarmupCosine"

    def __init__(self, params: tuple):
        self.params = params

    def per_step(self, args: dict, steps: int):
        return torch_linear_warmup_cosine_per_step(*(args[parameter.name] for parameter in self.params), steps)


class MindSporeLinearWarmupCosine:
    """An optimizer fed the warmup-then-periodic-cosine list: step ``i`` uses element ``i``, raising past the end."""

    name = "mindspore.linear_warmup_cosine"

    def __init__(self, params: tuple):
        self.params = params

    def per_step(self, args: dict, steps: int):
        return mindspore_linear_warmup_cosine_per_step(*(args[parameter.name] for parameter in self.params), steps)


def torch_lambda_warmup_cosine_per_step(base_lr, warmup_epochs, T_max, eta_min, step_every, steps: int):
    """``SequentialLR([LambdaLR(lambda epoch: epoch / warmup_epochs), CosineAnnealingLR(T_max, eta_min)],
    milestones=[warmup_epochs])``: ``base_lr * (epoch / warmup_epochs)`` from 0, then at the milestone the cosine
    restarted at its closed form of epoch 0 (``base_lr``) and recursing from there, periodic past ``T_max``."""
    import numpy as np

    if isinstance(warmup_epochs, bool) or not isinstance(warmup_epochs, int) or warmup_epochs < 1:
        raise ValueError(f"warmup_epochs must be a positive whole number, got {warmup_epochs!r}")
    epochs = scheduler_epochs(step_every, steps)
    count = int(epochs[-1]) + 1 if steps else 0
    warm = min(count, warmup_epochs)
    by_epoch = [base_lr * (epoch / warmup_epochs) for epoch in range(warm)]
    by_epoch += torch_cosine_recursion(base_lr, base_lr, T_max, eta_min, count - warm)
    return np.array(by_epoch, dtype=float)[epochs]


def mindspore_warmup_cosine_per_step(learning_rate, warmup_total_step, warmup_step_per_epoch, warmup_epoch, min_lr,
                                     max_lr, total_step, step_per_epoch, decay_epoch, steps: int):
    """An optimizer fed ``warmup_lr(...) + cosine_decay_lr(...)``: the warmup list, then the cosine list, raising
    past the end of both."""
    import numpy as np

    from migrate.schedules.mindspore_lr import cosine_decay_per_step, warmup_per_step

    first = warmup_per_step(learning_rate, warmup_total_step, warmup_step_per_epoch, warmup_epoch,
                            min(steps, warmup_total_step))
    second = cosine_decay_per_step(min_lr, max_lr, total_step, step_per_epoch, decay_epoch,
                                   max(0, min(steps - warmup_total_step, total_step)))
    return _padded(np.concatenate((first, second)), steps)


class TorchLambdaWarmupCosine:
    """A fresh ``SequentialLR([LambdaLR(lambda epoch: epoch / warmup_epochs), CosineAnnealingLR], [warmup_epochs])``
    stepped after every ``step_every`` optimizer steps: MindSpore's ``warmup_lr`` (from 0) then the cosine."""

    name = "torch.LambdaWarmupCosine"

    def __init__(self, params: tuple):
        self.params = params

    def per_step(self, args: dict, steps: int):
        return torch_lambda_warmup_cosine_per_step(*(args[parameter.name] for parameter in self.params), steps)


class MindSporeWarmupCosine:
    """An optimizer fed ``warmup_lr(...) + cosine_decay_lr(...)``, one list."""

    name = "mindspore.warmup_lr+cosine_decay_lr"

    def __init__(self, params: tuple):
        self.params = params

    def per_step(self, args: dict, steps: int):
        return mindspore_warmup_cosine_per_step(*(args[parameter.name] for parameter in self.params), steps)


def models() -> list:
    """The verifier's models, built when the registry is (``Param`` lives in the package that imports this module)."""
    from migrate.schedules import Param

    return [
        TorchLinearWarmupCosine((
            Param("base_lr", "lr"),
            Param("start_factor", "factor", 1.0 / 3),
            Param("end_factor", "factor", 1.0),
            Param("total_iters", "count", 5),
            Param("milestone", "count"),
            Param("T_max", "count"),
            Param("eta_min", "min_lr", 0.0),
            Param("step_every", "count", 1),
        )),
        MindSporeLinearWarmupCosine((
            Param("base_lr", "lr"),
            Param("start_factor", "factor"),
            Param("end_factor", "factor"),
            Param("total_iters", "count"),
            Param("milestone", "count"),
            Param("min_lr", "min_lr"),
            Param("decay_epoch", "count"),
            Param("step_per_epoch", "count"),
            Param("total_step", "count"),
        )),
        TorchLambdaWarmupCosine((
            Param("base_lr", "lr"),
            Param("warmup_epochs", "count"),
            Param("T_max", "count"),
            Param("eta_min", "min_lr", 0.0),
            Param("step_every", "count", 1),
        )),
        MindSporeWarmupCosine((
            Param("learning_rate", "lr"),
            Param("warmup_total_step", "count"),
            Param("warmup_step_per_epoch", "count"),
            Param("warmup_epoch", "count"),
            Param("min_lr", "min_lr"),
            Param("max_lr", "lr"),
            Param("total_step", "count"),
            Param("step_per_epoch", "count"),
            Param("decay_epoch", "count"),
        )),
    ]
