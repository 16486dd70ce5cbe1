"""Resumed cosine schedules on both sides: torch's ``CosineAnnealingLR`` built with ``last_epoch`` and MindSpore's
list sliced at the step training restarts from (../shared/SEMANTICS.md, section 5).

torch: with ``last_epoch = start_epoch - 1`` every group must hold ``initial_lr`` (the base the cosine anneals
from); construction leaves the group's lr as it is (``start_lr``) and sets ``last_epoch`` to ``start_epoch``; each
``step()`` then recurses from that lr. Up to the trough the ratio rescales the cosine through ``start_lr``; one
epoch past it torch's additive branch lands on the closed form of ``initial_lr``, which the recursion follows from
there on. MindSpore has no resume argument: the optimizer reads a list sliced at the restart step.
"""

from __future__ import annotations

import math
import numbers

from migrate.schedules.mindspore_lr import cosine_decay_floats, cosine_decay_per_step
from migrate.schedules.torch_cosine import TorchCosineAnnealingLR
from migrate.schedules.torch_family import scheduler_epochs


def whole(value) -> bool:
    return not isinstance(value, bool) and isinstance(value, numbers.Real) and math.isfinite(value) \
        and value == int(value)


def torch_resumed_cosine_per_epoch(initial_lr, start_lr, T_max, eta_min, start_epoch, epochs: int):
    """The lr of ``epochs`` scheduler epochs from the resume on, as a float64 array.

    The common case (whole ``T_max``, resume before the trough) is computed in closed segments; anything else runs
    the replica's state machine, which is torch's arithmetic one epoch at a time."""
    import numpy as np

    groups = [{"lr": start_lr, "initial_lr": initial_lr}]
    scheduler = TorchCosineAnnealingLR(groups, T_max, eta_min, last_epoch=start_epoch - 1)
    if whole(T_max) and whole(start_epoch) and 0 <= start_epoch < T_max:
        e = np.arange(start_epoch, start_epoch + epochs, dtype=float)
        rescaled = eta_min + (start_lr - eta_min) * (1 + np.cos(np.pi * e / T_max)) \
            / (1 + math.cos(math.pi * start_epoch / T_max))
        fresh = eta_min + (initial_lr - eta_min) * (1 + np.cos(np.pi * e / T_max)) / 2
        return np.where(e <= T_max, rescaled, fresh)
    seen = []
    for _ in range(epochs):
        seen.append(groups[0]["lr"])
        scheduler.step()
    return np.array(seen, dtype=float)


def torch_resumed_cosine_per_step(initial_lr, start_lr, T_max, eta_min, start_epoch, step_every, steps: int):
    """``CosineAnnealingLR(optimizer, T_max, eta_min, last_epoch=start_epoch - 1)`` on an optimizer whose lr is
    ``start_lr`` and whose groups hold ``initial_lr``, stepped after every ``step_every`` optimizer steps."""
    if not whole(start_epoch) or start_epoch < 0:
        raise ValueError(f"start_epoch must be a whole number >= 0, got {start_epoch!r}")
    TorchCosineAnnealingLR([{"lr": start_lr, "initial_lr": initial_lr}], T_max, eta_min,
                           last_epoch=start_epoch - 1).step()
    epochs = scheduler_epochs(step_every, steps)
    count = int(epochs[-1]) + 1 if steps else 0
    return torch_resumed_cosine_per_epoch(initial_lr, start_lr, T_max, eta_min, int(start_epoch), count)[epochs]


def sliced_cosine_decay_per_step(min_lr, max_lr, total_step, step_per_epoch, decay_epoch, start, steps: int):
    """An optimizer fed ``cosine_decay_lr(...)[start:]``: step ``i`` uses element ``start + i``; past the end the
    optimizer raises (infinite lr, as for the whole list)."""
    if not whole(start) or start < 0:
        raise ValueError(f"the slice must start at a whole step >= 0, got {start!r}")
    return cosine_decay_per_step(min_lr, max_lr, total_step, step_per_epoch, decay_epoch, int(start) + steps)[
        int(start):]


class TorchResumedCosineAnnealingLR:
    name = "torch.ResumedCosineAnnealingLR"

    def __init__(self, params: tuple):
        self.params = params

    def per_step(self, args: dict, steps: int):
        return torch_resumed_cosine_per_step(*(args[parameter.name] for parameter in self.params), steps)


class MindSporeSlicedCosineDecayLR:
    name = "mindspore.sliced_cosine_decay_lr"

    def __init__(self, params: tuple):
        self.params = params

    def per_step(self, args: dict, steps: int):
        return sliced_cosine_decay_per_step(*(args[parameter.name] for parameter in self.params), steps)

    def per_step_floats(self, args: dict, steps: int) -> list[float]:
        *arguments, start = (args[parameter.name] for parameter in self.params)
        if not whole(start) or start < 0:
            raise ValueError(f"the slice must start at a whole step >= 0, got {start!r}")
        return cosine_decay_floats(*arguments, int(start) + steps)[int(start):]


def models() -> list:
    """The verifier's models, built when the registry is (``Param`` lives in the package that imports this module)."""
    from migrate.schedules import Param

    return [
        TorchResumedCosineAnnealingLR((
            Param("initial_lr", "lr"),
            Param("start_lr", "lr"),
            Param("T_max", "count"),
            Param("eta_min", "min_lr", 0.0),
            Param("start_epoch", "offset"),
            Param("step_every", "count", 1),
        )),
        MindSporeSlicedCosineDecayLR((
            Param("min_lr", "min_lr"),
            Param("max_lr", "lr"),
            Param("total_step", "count"),
            Param("step_per_epoch", "count"),
            Param("decay_epoch", "count"),
            Param("start", "offset", 0),
        )),
    ]
