"""A replica of torch 2.13's ``CosineAnnealingLR`` and its per-optimizer-step schedule.

torch updates the lr recursively from the group's current value, so the exact replica is a state machine over the
caller's param-group dicts (an external write to ``group["lr"]`` carries on, as in torch). The verifier needs long
runs fast, so it uses the closed form instead, which the recursion follows to rounding (measured against torch 2.13). Up to
``T_max`` that rounding is below 1e-12 relative for ``T_max`` up to 1e5. Past each trough torch re-adds
``eta_min`` to a tiny increment, and the relative offset it keeps grows like
``T_max**2 * eta_min / (base_lr - eta_min)``: with ``base_lr=0.1, eta_min=1e-3`` it is 7.6e-12 at ``T_max=1e4``
and 1.1e-9 at ``T_max=1e5``, just over the verifier's rtol of 1e-9.
"""

from __future__ import annotations

import math

RESUME_WITHOUT_INITIAL_LR = (
    "param 'initial_lr' is not specified in param_groups[{index}] when resuming scheduler with last_epoch >= 0.\n"
    "This typically happens when:\n"
    "1. You're trying to resume training from a checkpoint but haven't properly loaded the optimizer state\n"
    "2. You're using last_epoch >= 0 for a fresh training run (not recommended)"
)


class TorchCosineAnnealingLR:
    """``torch.optim.lr_scheduler.CosineAnnealingLR`` on plain param-group dicts, bit for bit.

    Each expression is written in torch's order so the floats round the same way. torch's second ``get_lr`` branch
    (``_step_count == 1 and last_epoch > 0``) is left out: only a direct ``get_lr()`` call reaches it, never
    ``step()``.
    """

    def __init__(self, param_groups: list[dict], T_max, eta_min=0.0, last_epoch=-1):
        self.param_groups = param_groups
        self.T_max = T_max
        self.eta_min = eta_min
        if last_epoch == -1:
            for group in param_groups:
                group.setdefault("initial_lr", group["lr"])
        else:
            for index, group in enumerate(param_groups):
                if "initial_lr" not in group:
                    raise KeyError(RESUME_WITHOUT_INITIAL_LR.format(index=index))
        self.base_lrs = [group["initial_lr"] for group in param_groups]
        self.last_epoch = last_epoch + 1
        self._last_lr = [group["lr"] for group in param_groups]

    def step(self, epoch=None) -> None:
        """Advance one epoch recursively, or with ``epoch`` (deprecated in torch) jump there by the closed form."""
        if epoch is None:
            self.last_epoch += 1
            values = self._recursive_lrs()
        else:
            self.last_epoch = epoch
            values = self._closed_form_lrs()
        for group, lr in zip(self.param_groups, values, strict=True):
            group["lr"] = lr
        self._last_lr = [group["lr"] for group in self.param_groups]

    def get_last_lr(self) -> list:
        return self._last_lr

    def _recursive_lrs(self) -> list:
        e, T, eta_min = self.last_epoch, self.T_max, self.eta_min
        if (e - 1 - T) % (2 * T) == 0:
            # The ratio's denominator is exactly 0 here (one epoch past a trough): torch adds a fixed increment.
            return [
                group["lr"] + (base_lr - eta_min) * (1 - math.cos(math.pi / T)) / 2
                for base_lr, group in zip(self.base_lrs, self.param_groups, strict=True)
            ]
        return [
            (1 + math.cos(math.pi * e / T)) / (1 + math.cos(math.pi * (e - 1) / T)) * (group["lr"] - eta_min) + eta_min
            for group in self.param_groups
        ]

    def _closed_form_lrs(self) -> list:
        e, T, eta_min = self.last_epoch, self.T_max, self.eta_min
        return [eta_min + (base_lr - eta_min) * (1 + math.cos(math.pi * e / T)) / 2 for base_lr in self.base_lrs]


def cosine_annealing_per_step(base_lr, T_max, eta_min, step_every, steps: int):
    """The lr of each of ``steps`` optimizer steps, with ``scheduler.step()`` after every ``step_every`` of them.

    The scheduler's first ``step()`` is run on the exact replica first, so arguments torch fails on (``T_max=0``,
    a string ``T_max``, a list ``eta_min``) raise torch's exception rather than producing NaNs.
    """
    import numpy as np

    _check_step_every(step_every)
    TorchCosineAnnealingLR([{"lr": base_lr}], T_max, eta_min).step()
    epochs = np.arange(steps) // min(step_every, max(steps, 1))  # the same quotients, in int64 range
    return eta_min + (base_lr - eta_min) * (1 + np.cos(np.pi * epochs / T_max)) / 2


def held_cosine_annealing_per_step(base_lr, T_max, eta_min, step_every, steps: int):
    """``CosineAnnealingLR`` stepped only while ``scheduler.last_epoch < scheduler.T_max``: the cosine down to the
    trough, then ``eta_min`` held, as a MindSpore ``cosine_decay_lr`` list holds ``min_lr`` after ``decay_epoch``.

    The guard lets the scheduler reach epoch ``ceil(T_max)`` and no further (none for ``T_max <= 0``); up to there
    the recursion follows the closed form to rounding, and at ``T_max`` it lands on ``eta_min`` exactly.
    """
    import numpy as np

    _check_step_every(step_every)
    TorchCosineAnnealingLR([{"lr": base_lr}], T_max, eta_min).step()
    last = max(math.ceil(T_max), 0)
    epochs = np.minimum(np.arange(steps) // min(step_every, max(steps, 1)), last)
    return eta_min + (base_lr - eta_min) * (1 + np.cos(np.pi * epochs / T_max)) / 2


def cosine_annealing_floats(base_lr, T_max, eta_min, step_every, steps: int) -> list[float]:
    """``cosine_annealing_per_step`` as a list of Python floats, each computed with the same operations in the same
    order (for the verifier's small claims, without NumPy)."""
    _check_step_every(step_every)
    TorchCosineAnnealingLR([{"lr": base_lr}], T_max, eta_min).step()
    every = min(step_every, max(steps, 1))
    return [eta_min + (base_lr - eta_min) * (1 + math.cos(math.pi * (step // every) / T_max)) / 2
            for step in range(steps)]


def held_cosine_annealing_floats(base_lr, T_max, eta_min, step_every, steps: int) -> list[float]:
    """``held_cosine_annealing_per_step`` as a list of Python floats."""
    _check_step_every(step_every)
    TorchCosineAnnealingLR([{"lr": base_lr}], T_max, eta_min).step()
    last = max(math.ceil(T_max), 0)
    every = min(step_every, max(steps, 1))
    return [eta_min + (base_lr - eta_min) * (1 + math.cos(math.pi * min(step // every, last) / T_max)) / 2
            for step in range(steps)]


def _check_step_every(step_every) -> None:
    if isinstance(step_every, bool) or not isinstance(step_every, int) or step_every < 1:
        raise ValueError(f"step_every must be a positive whole number of optimizer steps, got {step_every!r}")
