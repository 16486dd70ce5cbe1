"""Replicas of torch 2.13's sibling schedulers and their per-optimizer-step schedules.

torch's base class steps every scheduler through the same machinery: the constructor's initial step (with
``_is_initial`` set), ``step()`` recomputing from the group's current lr (the "chainable" form), ``step(epoch)`` and
``SequentialLR``'s milestones jumping with the closed form. ``TorchLRScheduler`` repeats that machinery over plain
param-group dicts, and each subclass repeats its ``get_lr``/``_get_closed_form_lr`` in torch's order, so the floats
round the same way and external writes, resumes and chains behave as in torch. Only float lrs are modelled (torch
also takes a Tensor lr, filled in place); torch's warnings are left out.

Every scheduler here but ``LambdaLR`` and ``CosineAnnealingLR`` is *multiplicative*: each step multiplies the group's
lr by a factor that depends only on the epoch (1.0 where torch keeps the lr, which multiplies exactly). The per-step
forms for the verifier use that: the lr of epoch ``e`` is the running product ``base_lr * f(0) * ... * f(e)``, which
``np.multiply.accumulate`` computes left to right, one rounding per factor, as torch does, so it is bit-identical
to the recursion. A power (``PolynomialLR``, ``MultiStepLR``) is computed with Python's ``**``, like torch, since
NumPy's ``power`` may round differently on some CPUs.
"""

from __future__ import annotations

import math
import numbers
from bisect import bisect_right
from collections import Counter

from migrate.schedules.torch_cosine import RESUME_WITHOUT_INITIAL_LR, TorchCosineAnnealingLR


class TorchLRScheduler:
    """``torch.optim.lr_scheduler.LRScheduler``'s stepping machinery on plain param-group dicts."""

    _is_initial = False

    def __init__(self, param_groups: list[dict], last_epoch=-1):
        self.param_groups = param_groups
        if last_epoch == -1:
            for group in param_groups:
                group.setdefault("initial_lr", group["lr"])
        else:
            for index, group in enumerate(param_groups):
                if "initial_lr" not in group:
                    raise KeyError(RESUME_WITHOUT_INITIAL_LR.format(index=index))
        self.base_lrs = [group["initial_lr"] for group in param_groups]
        self.last_epoch = last_epoch
        self._initial_step()

    def _initial_step(self) -> None:
        """One step with ``_is_initial`` set: most schedulers keep the lr, some (LinearLR, ConstantLR) scale it."""
        self._step_count = 0
        self._is_initial = True
        try:
            self.step()
        finally:
            self._is_initial = False

    def step(self, epoch=None) -> None:
        self._step_count += 1
        self._update_lr(epoch)

    def _update_lr(self, epoch=None) -> None:
        """Recursively from the group lrs, or with ``epoch`` by the closed form where the scheduler has one."""
        if epoch is None:
            self.last_epoch += 1
            values = self.get_lr()
        else:
            self.last_epoch = epoch
            values = self._get_closed_form_lr() if hasattr(self, "_get_closed_form_lr") else self.get_lr()
        for group, lr in zip(self.param_groups, values, strict=True):
            group["lr"] = lr
        self._last_lr = [group["lr"] for group in self.param_groups]

    def get_last_lr(self) -> list:
        return self._last_lr

    def _group_lrs(self) -> list:
        return [group["lr"] for group in self.param_groups]


class TorchLambdaLR(TorchLRScheduler):
    def __init__(self, param_groups: list[dict], lr_lambda, last_epoch=-1):
        if not isinstance(lr_lambda, (list, tuple)):
            self.lr_lambdas = [lr_lambda] * len(param_groups)
        else:
            if len(lr_lambda) != len(param_groups):
                raise ValueError(f"Expected {len(param_groups)} lr_lambdas, but got {len(lr_lambda)}")
            self.lr_lambdas = list(lr_lambda)
        super().__init__(param_groups, last_epoch)

    def get_lr(self) -> list:
        return [
            base_lr * lr_lambda(self.last_epoch)
            for lr_lambda, base_lr in zip(self.lr_lambdas, self.base_lrs, strict=True)
        ]


class TorchStepLR(TorchLRScheduler):
    def __init__(self, param_groups: list[dict], step_size, gamma=0.1, last_epoch=-1):
        self.step_size = step_size
        self.gamma = gamma
        super().__init__(param_groups, last_epoch)

    def get_lr(self) -> list:
        if (self.last_epoch == 0) or (self.last_epoch % self.step_size != 0):
            return self._group_lrs()
        return [group["lr"] * self.gamma for group in self.param_groups]

    def _get_closed_form_lr(self) -> list:
        return [base_lr * self.gamma ** (self.last_epoch // self.step_size) for base_lr in self.base_lrs]

    def epoch_factors(self, epochs: int):
        import numpy as np

        step_size = self.step_size
        bound = max(epochs, 1)
        if isinstance(step_size, int) and abs(step_size) >= bound:
            step_size = bound if step_size > 0 else -bound  # the same remainders for 0 < e < epochs, in int64
        each = np.arange(epochs)
        decays = (each != 0) & (each % step_size == 0)
        return np.where(decays, float(self.gamma), 1.0)


class TorchMultiStepLR(TorchLRScheduler):
    def __init__(self, param_groups: list[dict], milestones, gamma=0.1, last_epoch=-1):
        self.milestones = Counter(milestones)
        self.gamma = gamma
        super().__init__(param_groups, last_epoch)

    def get_lr(self) -> list:
        if self.last_epoch not in self.milestones:
            return self._group_lrs()
        return [group["lr"] * self.gamma ** self.milestones[self.last_epoch] for group in self.param_groups]

    def _get_closed_form_lr(self) -> list:
        milestones = sorted(self.milestones.elements())
        return [base_lr * self.gamma ** bisect_right(milestones, self.last_epoch) for base_lr in self.base_lrs]

    def epoch_factors(self, epochs: int):
        """Epoch ``e`` is looked up in the Counter as torch does, so a milestone ``3.0`` or ``True`` counts too."""
        import numpy as np

        factors = np.ones(epochs)
        for milestone, count in self.milestones.items():
            if isinstance(milestone, numbers.Real) and math.isfinite(milestone) and milestone == int(milestone):
                if 0 <= int(milestone) < epochs:
                    factors[int(milestone)] = self.gamma**count
        return factors


class TorchConstantLR(TorchLRScheduler):
    def __init__(self, param_groups: list[dict], factor=1.0 / 3, total_iters=5, last_epoch=-1):
        if factor > 1.0 or factor < 0:
            raise ValueError("Constant multiplicative factor expected to be between 0 and 1.")
        self.factor = factor
        self.total_iters = total_iters
        super().__init__(param_groups, last_epoch)

    def get_lr(self) -> list:
        if self.last_epoch == 0:
            return [group["lr"] * self.factor for group in self.param_groups]
        if self.last_epoch != self.total_iters:
            return self._group_lrs()
        return [group["lr"] * (1.0 / self.factor) for group in self.param_groups]

    def _get_closed_form_lr(self) -> list:
        return [
            base_lr * (self.factor + (self.last_epoch >= self.total_iters) * (1 - self.factor))
            for base_lr in self.base_lrs
        ]

    def epoch_factors(self, epochs: int):
        import numpy as np

        factors = np.ones(epochs)
        if epochs:
            factors[0] = self.factor
        end = self.total_iters
        if isinstance(end, numbers.Real) and math.isfinite(end) and end == int(end) and 0 < int(end) < epochs:
            factors[int(end)] = 1.0 / self.factor
        return factors


class TorchLinearLR(TorchLRScheduler):
    def __init__(self, param_groups: list[dict], start_factor=1.0 / 3, end_factor=1.0, total_iters=5, last_epoch=-1):
        if start_factor > 1.0 or start_factor <= 0:
            raise ValueError(
                "Starting multiplicative factor expected to be greater than 0 and less or equal to 1."
            )
        if end_factor > 1.0 or end_factor < 0:
            raise ValueError("Ending multiplicative factor expected to be between 0 and 1.")
        self.start_factor = start_factor
        self.end_factor = end_factor
        self.total_iters = total_iters
        super().__init__(param_groups, last_epoch)

    def get_lr(self) -> list:
        if self.last_epoch == 0:
            return [group["lr"] * self.start_factor for group in self.param_groups]
        if self._is_initial or self.last_epoch > self.total_iters:
            return self._group_lrs()
        return [group["lr"] * self._factor(self.last_epoch) for group in self.param_groups]

    def _factor(self, epoch):
        return 1.0 + (self.end_factor - self.start_factor) / (
            self.total_iters * self.start_factor + (epoch - 1) * (self.end_factor - self.start_factor)
        )

    def _get_closed_form_lr(self) -> list:
        return [
            base_lr
            * (
                self.start_factor
                + (self.end_factor - self.start_factor) * min(self.total_iters, self.last_epoch) / self.total_iters
            )
            for base_lr in self.base_lrs
        ]

    def epoch_factors(self, epochs: int):
        import numpy as np

        factors = np.ones(epochs)
        if epochs:
            factors[0] = self.start_factor
        last = min(epochs - 1, math.floor(self.total_iters)) if self.total_iters >= 1 else 0
        if last >= 1:
            factors[1 : last + 1] = self._factor(np.arange(1, last + 1))
        return factors


class TorchExponentialLR(TorchLRScheduler):
    def __init__(self, param_groups: list[dict], gamma, last_epoch=-1):
        self.gamma = gamma
        super().__init__(param_groups, last_epoch)

    def get_lr(self) -> list:
        if self._is_initial:
            return self._group_lrs()
        return [group["lr"] * self.gamma for group in self.param_groups]

    def _get_closed_form_lr(self) -> list:
        return [base_lr * self.gamma**self.last_epoch for base_lr in self.base_lrs]

    def epoch_factors(self, epochs: int):
        import numpy as np

        factors = np.full(epochs, float(self.gamma))
        if epochs:
            factors[0] = 1.0
        return factors


class TorchPolynomialLR(TorchLRScheduler):
    def __init__(self, param_groups: list[dict], total_iters=5, power=1.0, last_epoch=-1):
        self.total_iters = total_iters
        self.power = power
        super().__init__(param_groups, last_epoch)

    def get_lr(self) -> list:
        if self._is_initial or self.last_epoch > self.total_iters:
            return self._group_lrs()
        decay_factor = self._factor(self.last_epoch)
        return [group["lr"] * decay_factor for group in self.param_groups]

    def _factor(self, epoch):
        return ((1.0 - epoch / self.total_iters) / (1.0 - (epoch - 1) / self.total_iters)) ** self.power

    def _get_closed_form_lr(self) -> list:
        return [
            base_lr * (1.0 - min(self.total_iters, self.last_epoch) / self.total_iters) ** self.power
            for base_lr in self.base_lrs
        ]

    def epoch_factors(self, epochs: int):
        import numpy as np

        factors = np.ones(epochs)
        last = min(epochs - 1, math.floor(self.total_iters)) if self.total_iters >= 1 else 0
        factors[1 : last + 1] = [self._factor(epoch) for epoch in range(1, last + 1)]
        return factors


class TorchChainableCosineAnnealingLR(TorchLRScheduler):
    """``CosineAnnealingLR`` on this module's machinery, so ``SequentialLR`` and ``ChainedScheduler`` can drive it.

    The arithmetic is ``TorchCosineAnnealingLR``'s, borrowed so both replicas share one copy.
    """

    _recursive_lrs = TorchCosineAnnealingLR._recursive_lrs
    _get_closed_form_lr = TorchCosineAnnealingLR._closed_form_lrs

    def __init__(self, param_groups: list[dict], T_max, eta_min=0.0, last_epoch=-1):
        self.T_max = T_max
        self.eta_min = eta_min
        super().__init__(param_groups, last_epoch)

    def get_lr(self) -> list:
        """torch's ``_step_count == 1 and last_epoch > 0`` branch is left out: ``step()`` never reaches it."""
        if self._is_initial:
            return self._group_lrs()
        return self._recursive_lrs()


def _check_schedulers(kind: str, param_groups: list[dict], schedulers) -> None:
    """torch's checks on a chain's schedulers; it names the optimizer object where this says 'param groups'."""
    for index, scheduler in enumerate(schedulers):
        if not hasattr(scheduler, "param_groups"):
            raise TypeError(f"{kind} at index {index} should have `optimizer` as its attribute.")
        if scheduler.param_groups is not param_groups:
            raise ValueError(
                f"{kind} expects all schedulers to belong to the same optimizer, but got scheduler "
                f"{type(scheduler).__name__} at index {index} has other param groups."
            )


class TorchSequentialLR:
    """``SequentialLR``: at milestone ``m`` the next scheduler jumps to its closed form at epoch 0 (from the
    ``initial_lr``s, not the current lr) and then recurses; the others stop."""

    def __init__(self, param_groups: list[dict], schedulers, milestones, last_epoch=-1):
        if len(schedulers) < 1:
            raise ValueError("SequentialLR expects at least one scheduler, but got no scheduler.")
        _check_schedulers("SequentialLR", param_groups, schedulers)
        if len(milestones) != len(schedulers) - 1:
            raise ValueError(
                "Sequential Schedulers expects number of schedulers provided to be one more than the number of "
                f"milestone points, but got number of schedulers {len(schedulers)} and the number of milestones "
                f"to be equal to {len(milestones)}"
            )
        self._schedulers = schedulers
        self._milestones = milestones
        self.last_epoch = last_epoch + 1
        self.param_groups = param_groups
        for group in param_groups:
            group["lr"] = group["initial_lr"]
        self._recursive_undo(self)
        index = bisect_right(milestones, 0)
        schedulers[index]._initial_step()
        self._last_lr = schedulers[index].get_last_lr()

    def _recursive_undo(self, scheduler) -> None:
        """Take back the initial step each inner scheduler took when it was constructed."""
        if hasattr(scheduler, "_schedulers"):
            for inner in scheduler._schedulers:
                self._recursive_undo(inner)
        elif hasattr(scheduler, "last_epoch"):
            scheduler.last_epoch -= 1

    def _initial_step(self) -> None:
        """torch inherits ``LRScheduler._initial_step`` here: a nested SequentialLR takes one plain step."""
        self._step_count = 0
        self.step()

    def _update_lr(self, epoch=None) -> None:
        """torch's base ``_update_lr``: a SequentialLR restarted at an outer milestone has no ``get_lr`` to call, so
        torch 2.13 raises NotImplementedError from its abstract ``LRScheduler.get_lr``; the replica raises the same
        (not a placeholder: a nested chain restarted that way fails in torch too)."""
        self.last_epoch = self.last_epoch + 1 if epoch is None else epoch
        raise NotImplementedError

    def step(self) -> None:
        self.last_epoch += 1
        index = bisect_right(self._milestones, self.last_epoch)
        scheduler = self._schedulers[index]
        if index > 0 and self._milestones[index - 1] == self.last_epoch:
            scheduler._update_lr(0)
        else:
            scheduler.step()
        self._last_lr = scheduler.get_last_lr()

    def get_last_lr(self) -> list:
        return self._last_lr


class TorchChainedScheduler:
    """``ChainedScheduler``: every ``step()`` steps each scheduler in order, each from the lr the previous wrote."""

    def __init__(self, schedulers, param_groups: list[dict] | None = None):
        if len(schedulers) < 1:
            raise ValueError("ChainedScheduler expects at least one scheduler to be chained, but got no scheduler.")
        param_groups = param_groups or schedulers[0].param_groups
        _check_schedulers("ChainedScheduler", param_groups, schedulers)
        self._schedulers = schedulers
        self.param_groups = param_groups
        self._last_lr = [group["lr"] for group in schedulers[-1].param_groups]

    def step(self) -> None:
        for scheduler in self._schedulers:
            scheduler.step()
        self._last_lr = [group["lr"] for group in self._schedulers[-1].param_groups]

    def get_last_lr(self) -> list:
        return self._last_lr


#: The torch schedulers the per-step forms take, by model name, with their replica.
REPLICAS = {
    "torch.StepLR": TorchStepLR,
    "torch.MultiStepLR": TorchMultiStepLR,
    "torch.ConstantLR": TorchConstantLR,
    "torch.LinearLR": TorchLinearLR,
    "torch.ExponentialLR": TorchExponentialLR,
    "torch.PolynomialLR": TorchPolynomialLR,
    "torch.LambdaLR": TorchLambdaLR,
    "torch.CosineAnnealingLR": TorchChainableCosineAnnealingLR,
}


def scheduler_epochs(step_every, steps: int):
    """The scheduler epoch of each of ``steps`` optimizer steps, with ``scheduler.step()`` after every ``step_every``."""
    import numpy as np

    if isinstance(step_every, bool) or not isinstance(step_every, int) or step_every < 1:
        raise ValueError(f"step_every must be a positive whole number of optimizer steps, got {step_every!r}")
    return np.arange(steps) // min(step_every, max(steps, 1))


def _fresh_replica(name: str, base_lr, kwargs: dict):
    """The replica on one group, stepped once: raises what torch raises at construction or at the first step."""
    if name not in REPLICAS:
        raise KeyError(f"no per-step form for the scheduler {name!r}")
    replica = REPLICAS[name]([{"lr": base_lr}], **kwargs)
    probe = REPLICAS[name]([{"lr": base_lr}], **kwargs)
    probe.step()
    return replica


def _running_products(first, factors):
    """``first``, then ``first * factors[0]``, ... rounded after each product as torch's recursion is."""
    import numpy as np

    return np.multiply.accumulate(np.concatenate(([float(first)], factors)))


def _segment(replica, base_lr, epochs: int, restarted: bool):
    """The lr of ``epochs`` local epochs of one scheduler: fresh, or restarted by ``SequentialLR`` at a milestone."""
    import numpy as np

    local = np.arange(epochs)
    if isinstance(replica, TorchLambdaLR):
        (lr_lambda,) = replica.lr_lambdas
        return np.array([base_lr * lr_lambda(epoch) for epoch in range(epochs)], dtype=float)
    if isinstance(replica, TorchChainableCosineAnnealingLR):
        eta_min, T_max = replica.eta_min, replica.T_max
        return eta_min + (base_lr - eta_min) * (1 + np.cos(np.pi * local / T_max)) / 2
    factors = replica.epoch_factors(epochs)
    if not restarted:
        return _running_products(base_lr, factors)[1:]
    replica.last_epoch = 0
    (start,) = replica._get_closed_form_lr()
    return _running_products(start, factors[1:])


def torch_per_step(name: str, base_lr, kwargs: dict, step_every, steps: int):
    """The lr of each optimizer step under a fresh scheduler ``name`` stepped after every ``step_every`` steps.

    Bit-identical to the replica for the multiplicative schedulers and ``LambdaLR``; ``CosineAnnealingLR`` is its
    closed form, as in ``cosine_annealing_per_step``.
    """
    epochs = scheduler_epochs(step_every, steps)
    count = int(epochs[-1]) + 1 if steps else 0
    replica = _fresh_replica(name, base_lr, kwargs)
    return _segment(replica, base_lr, count, restarted=False)[epochs]


def sequential_per_step(base_lr, schedulers, milestones, step_every, steps: int):
    """``SequentialLR`` over ``(name, kwargs)`` schedulers; milestones must be sorted, as torch's bisection assumes."""
    import numpy as np

    if list(milestones) != sorted(milestones):
        raise ValueError(f"milestones must be sorted, got {list(milestones)!r}")
    if len(milestones) != len(schedulers) - 1:
        raise ValueError(f"{len(schedulers)} schedulers need {len(schedulers) - 1} milestones, got {len(milestones)}")
    epochs = scheduler_epochs(step_every, steps)
    count = int(epochs[-1]) + 1 if steps else 0
    replicas = [_fresh_replica(name, base_lr, kwargs) for name, kwargs in schedulers]
    values = np.empty(count)
    start = 0
    while start < count:
        index = bisect_right(milestones, start)
        stop = min(count, next((m for m in milestones[index:] if m > start), count))
        values[start:stop] = _segment(replicas[index], base_lr, stop - start, restarted=start > 0)
        start = stop
    return values[epochs]


def chained_per_step(base_lr, schedulers, step_every, steps: int):
    """``ChainedScheduler`` over multiplicative ``(name, kwargs)`` schedulers: their factors, interleaved in order."""
    import numpy as np

    epochs = scheduler_epochs(step_every, steps)
    count = int(epochs[-1]) + 1 if steps else 0
    replicas = [_fresh_replica(name, base_lr, kwargs) for name, kwargs in schedulers]
    for (name, _), replica in zip(schedulers, replicas):
        if not hasattr(replica, "epoch_factors"):
            raise KeyError(f"ChainedScheduler's per-step form takes multiplicative schedulers, not {name!r}")
    factors = np.stack([replica.epoch_factors(count) for replica in replicas], axis=1).ravel()
    products = _running_products(base_lr, factors)
    return products[len(replicas) :: len(replicas)][epochs]


class TorchSchedulerModel:
    """A fresh torch scheduler on one param group whose ``step()`` runs after every ``step_every`` optimizer steps."""

    def __init__(self, name: str, params: tuple):
        self.name = name
        self.params = params

    def per_step(self, args: dict, steps: int):
        kwargs = {parameter.name: args[parameter.name] for parameter in self.params[1:-1]}
        if self.name == "torch.SequentialLR":
            return sequential_per_step(args["base_lr"], **kwargs, step_every=args["step_every"], steps=steps)
        if self.name == "torch.ChainedScheduler":
            return chained_per_step(args["base_lr"], **kwargs, step_every=args["step_every"], steps=steps)
        return torch_per_step(self.name, args["base_lr"], kwargs, args["step_every"], steps)


def models() -> list[TorchSchedulerModel]:
    """The verifier's models, built when the registry is (``Param`` lives in the package that imports this module).

    ``milestones`` is a list the rule's claim spells out and ``function`` a ``lambda`` of the epoch
    (``migrate.verify.LIST_DOMAINS``, ``FUNCTION_DOMAIN``); ``schedulers`` (the generic chains) has no source form,
    so the registry leaves ``SequentialLR`` and ``ChainedScheduler`` out.
    """
    from migrate.schedules import Param

    def scheduler(name: str, *arguments: Param) -> TorchSchedulerModel:
        return TorchSchedulerModel(name, (Param("base_lr", "lr"), *arguments, Param("step_every", "count", 1)))

    return [
        scheduler("torch.StepLR", Param("step_size", "count"), Param("gamma", "factor", 0.1)),
        scheduler("torch.MultiStepLR", Param("milestones", "milestones"), Param("gamma", "factor", 0.1)),
        scheduler(
            "torch.ConstantLR", Param("factor", "factor", 1.0 / 3), Param("total_iters", "count", 5)
        ),
        scheduler(
            "torch.LinearLR",
            Param("start_factor", "factor", 1.0 / 3),
            Param("end_factor", "factor", 1.0),
            Param("total_iters", "count", 5),
        ),
        scheduler("torch.ExponentialLR", Param("gamma", "factor")),
        scheduler("torch.PolynomialLR", Param("total_iters", "count", 5), Param("power", "power", 1.0)),
        scheduler("torch.LambdaLR", Param("lr_lambda", "function")),
        scheduler("torch.SequentialLR", Param("schedulers", "schedulers"), Param("milestones", "milestones")),
        scheduler("torch.ChainedScheduler", Param("schedulers", "schedulers")),
    ]
