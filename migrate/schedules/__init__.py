"""Schedule models: what lr each optimizer step uses under a torch or MindSpore schedule API.

The verifier looks a model up by name and asks it for the per-step lrs of concrete arguments. Each parameter has a
*domain* (a key of ``migrate.verify.SAMPLES``) saying which values to try when the source code leaves it unknown.
Nothing here imports torch or MindSpore: the models are replicas, checked against the real libraries by
``tests/test_oracle.py``, ``tests/test_family_oracle.py`` and ``tests/test_chain_oracle.py``. A list or a function
argument (``migrate.verify.LIST_DOMAINS``, ``FUNCTION_DOMAIN``) must be spelled out in the rule's claim.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from migrate.schedules import mindspore_family, resume, torch_family, warmup_cosine
from migrate.schedules.resume import whole
from migrate.schedules.mindspore_lr import (
    cosine_decay_floats,
    cosine_decay_lr,
    cosine_decay_per_step,
    periodic_cosine_floats,
    periodic_cosine_per_step,
    warmup_floats,
    warmup_lr,
    warmup_per_step,
)
from migrate.schedules.torch_cosine import (
    TorchCosineAnnealingLR,
    cosine_annealing_floats,
    cosine_annealing_per_step,
    held_cosine_annealing_floats,
    held_cosine_annealing_per_step,
)

__all__ = [
    "REQUIRED",
    "Param",
    "ScheduleModel",
    "TorchCosineAnnealingLR",
    "cosine_annealing_per_step",
    "cosine_decay_lr",
    "cosine_decay_per_step",
    "floats_form",
    "model",
    "names",
    "warmup_lr",
    "warmup_per_step",
]


class _Required:
    """Marks a parameter without a default; a rule must give it."""

    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED = _Required()


@dataclass(frozen=True)
class Param:
    name: str
    domain: str
    default: object = REQUIRED


class ScheduleModel(Protocol):
    """One schedule API: its parameters and the lr it gives each optimizer step."""

    name: str
    params: tuple[Param, ...]

    def per_step(self, args: dict, steps: int):
        """A float64 array of the lr of optimizer steps ``0 .. steps-1``; raises what the real API raises."""


def floats_form(schedule: ScheduleModel):
    """The model's ``per_step_floats(args, steps)``, when it has one: ``per_step`` as a list of Python floats, the
    same values computed without NumPy, which the verifier uses for small claims (NumPy takes long to import)."""
    return getattr(schedule, "per_step_floats", None)


class _TorchCosineAnnealingLR:
    """A fresh ``CosineAnnealingLR`` whose ``step()`` runs after every ``step_every`` optimizer steps."""

    name = "torch.CosineAnnealingLR"
    params = (
        Param("base_lr", "lr"),
        Param("T_max", "count"),
        Param("eta_min", "min_lr", 0.0),
        Param("step_every", "count", 1),
    )

    def per_step(self, args: dict, steps: int):
        return cosine_annealing_per_step(args["base_lr"], args["T_max"], args["eta_min"], args["step_every"], steps)

    def per_step_floats(self, args: dict, steps: int) -> list[float]:
        return cosine_annealing_floats(args["base_lr"], args["T_max"], args["eta_min"], args["step_every"], steps)


class _TorchHeldCosineAnnealingLR(_TorchCosineAnnealingLR):
    """``CosineAnnealingLR`` whose ``step()`` runs only while ``last_epoch < T_max``: it holds ``eta_min`` after."""

    name = "torch.HeldCosineAnnealingLR"

    def per_step(self, args: dict, steps: int):
        return held_cosine_annealing_per_step(args["base_lr"], args["T_max"], args["eta_min"], args["step_every"],
                                              steps)

    def per_step_floats(self, args: dict, steps: int) -> list[float]:
        return held_cosine_annealing_floats(args["base_lr"], args["T_max"], args["eta_min"], args["step_every"],
                                            steps)


class _TorchEpochStartCosineAnnealingLR(_TorchCosineAnnealingLR):
    """``CosineAnnealingLR`` whose ``step()`` runs at the start of every epoch, before its ``step_every`` optimizer
    steps (torch's order before 1.1): epoch ``e`` trains at the lr of scheduler epoch ``e + 1``."""

    name = "torch.EpochStartCosineAnnealingLR"

    def per_step(self, args: dict, steps: int):
        every = args["step_every"]
        return super().per_step(args, steps + every)[every:] if isinstance(every, int) else super().per_step(args, 0)

    def per_step_floats(self, args: dict, steps: int) -> list[float]:
        every = args["step_every"]
        return super().per_step_floats(args, steps + every)[every:] if isinstance(every, int) else \
            super().per_step_floats(args, 0)


class _MindSporeCosineDecayLR:
    """An optimizer fed ``cosine_decay_lr(...)``: step ``i`` uses element ``i``, and raises past the end."""

    name = "mindspore.cosine_decay_lr"
    params = (
        Param("min_lr", "min_lr"),
        Param("max_lr", "lr"),
        Param("total_step", "count"),
        Param("step_per_epoch", "count"),
        Param("decay_epoch", "count"),
    )

    def per_step(self, args: dict, steps: int):
        return cosine_decay_per_step(*(args[parameter.name] for parameter in self.params), steps)

    def per_step_floats(self, args: dict, steps: int) -> list[float]:
        return cosine_decay_floats(*(args[parameter.name] for parameter in self.params), steps)


class _MindSporePeriodicCosine(_MindSporeCosineDecayLR):
    """The list an exact rewrite of torch's periodic cosine builds: one half-period read at reflected epochs."""

    name = "mindspore.periodic_cosine"

    def per_step(self, args: dict, steps: int):
        return periodic_cosine_per_step(*(args[parameter.name] for parameter in self.params), steps)

    def per_step_floats(self, args: dict, steps: int) -> list[float]:
        return periodic_cosine_floats(*(args[parameter.name] for parameter in self.params), steps)


class _MindSporeWarmupLR:
    """An optimizer fed ``warmup_lr(...)``, consumed like ``cosine_decay_lr``'s list."""

    name = "mindspore.warmup_lr"
    params = (
        Param("learning_rate", "lr"),
        Param("total_step", "count"),
        Param("step_per_epoch", "count"),
        Param("warmup_epoch", "count"),
    )

    def per_step(self, args: dict, steps: int):
        return warmup_per_step(*(args[parameter.name] for parameter in self.params), steps)

    def per_step_floats(self, args: dict, steps: int) -> list[float]:
        return warmup_floats(*(args[parameter.name] for parameter in self.params), steps)


#: Generic chains whose ``schedulers`` argument no source expression gives; the verifier models the recipes rules
#: emit as chain models of their own (``torch.LinearWarmupCosine``).
_UNREGISTERED = {"torch.SequentialLR", "torch.ChainedScheduler"}

_MODELS: dict[str, ScheduleModel] = {
    schedule.name: schedule
    for schedule in (
        _TorchCosineAnnealingLR(),
        _TorchHeldCosineAnnealingLR(),
        _TorchEpochStartCosineAnnealingLR(),
        _MindSporeCosineDecayLR(),
        _MindSporePeriodicCosine(),
        _MindSporeWarmupLR(),
        *(family for family in torch_family.models() if family.name not in _UNREGISTERED),
        *mindspore_family.models(),
        *warmup_cosine.models(),
        *resume.models(),
    )
}


def names() -> list[str]:
    return sorted(_MODELS)


def model(name: str) -> ScheduleModel:
    """The model called ``name`` (a chain of models is named by its parts: ``torch.SequentialLR[torch.LinearLR,
    torch.StepLR]``, ``mindspore.concat[...]``); a KeyError naming the known models otherwise."""
    if name in _MODELS:
        return _MODELS[name]
    kind, _, parts = name.partition("[")
    if kind in _CHAINS and parts.endswith("]"):
        return _CHAINS[kind](name, tuple(model(part) for part in parts[:-1].split(",")))
    raise KeyError(f"no schedule model {name!r}; known models: {', '.join(names())}")


def _prefixed(index: int, params: tuple[Param, ...]) -> tuple[Param, ...]:
    """A part's parameters as a chain takes them: ``0.step_size``, ``1.gamma``..."""
    return tuple(Param(f"{index}.{parameter.name}", parameter.domain, parameter.default) for parameter in params)


def _part_arguments(index: int, part: ScheduleModel, args: dict) -> dict:
    return {parameter.name: args[f"{index}.{parameter.name}"] for parameter in part.params}


class _TorchSequential:
    """``SequentialLR`` of torch schedulers on one param group, stepped after every ``step_every`` optimizer
    steps; each part's own arguments are prefixed by its index, the lr and cadence are the chain's."""

    def __init__(self, name: str, parts: tuple):
        self.name, self.parts = name, parts
        self.params = (Param("base_lr", "lr"), Param("milestones", "milestones"),
                       *(param for index, part in enumerate(parts) for param in _prefixed(index, part.params[1:-1])),
                       Param("step_every", "count", 1))

    def per_step(self, args: dict, steps: int):
        schedulers = [(part.name, {parameter.name: args[f"{index}.{parameter.name}"] for parameter in part.params[1:-1]})
                      for index, part in enumerate(self.parts)]
        return torch_family.sequential_per_step(args["base_lr"], schedulers, args["milestones"], args["step_every"],
                                                steps)


class _TorchChained(_TorchSequential):
    """``ChainedScheduler`` of multiplicative torch schedulers on one param group: every part steps each time."""

    def __init__(self, name: str, parts: tuple):
        super().__init__(name, parts)
        self.params = tuple(param for param in self.params if param.name != "milestones")

    def per_step(self, args: dict, steps: int):
        schedulers = [(part.name, {parameter.name: args[f"{index}.{parameter.name}"] for parameter in part.params[1:-1]})
                      for index, part in enumerate(self.parts)]
        return torch_family.chained_per_step(args["base_lr"], schedulers, args["step_every"], steps)


class _Multiplied:
    """An optimizer fed the product of two lists over their lr (``[a * b / lr for a, b in zip(A, B)]``): each
    list's factor applied to the one lr, raising past the end of either."""

    def __init__(self, name: str, parts: tuple):
        if len(parts) != 2:
            raise KeyError(f"{name}: a product of two lists")
        self.name, self.parts = name, parts
        self.params = (Param("base", "lr"),
                       *(param for index, part in enumerate(parts) for param in _prefixed(index, part.params)))

    def per_step(self, args: dict, steps: int):
        first, second = self.parts
        return (first.per_step(_part_arguments(0, first, args), steps)
                * second.per_step(_part_arguments(1, second, args), steps) / args["base"])


class _Concatenated:
    """An optimizer fed one list after another (``warmup + decay``): the first part's ``split`` steps, then the
    second part from its own step 0, raising past the end of the second; a run within the first part never
    builds the second (the rewrite writes ``warmup + (decay if run > split else [])``)."""

    def __init__(self, name: str, parts: tuple):
        if len(parts) != 2:
            raise KeyError(f"{name}: a concatenation of two lists")
        self.name, self.parts = name, parts
        self.params = (Param("split", "count"),
                       *(param for index, part in enumerate(parts) for param in _prefixed(index, part.params)))

    def per_step(self, args: dict, steps: int):
        import numpy as np

        first, second = self.parts
        head = min(steps, args["split"])
        if steps <= head:
            return first.per_step(_part_arguments(0, first, args), head)
        return np.concatenate((first.per_step(_part_arguments(0, first, args), head),
                               second.per_step(_part_arguments(1, second, args), steps - head)))


class _Summed(_Concatenated):
    """An optimizer fed ``first + second`` where the code builds both lists: as ``_Concatenated``, but the second
    list's arguments are checked even when the run ends within the first, as MindSpore checks them where the
    code calls it."""

    def per_step(self, args: dict, steps: int):
        second = self.parts[1]
        second.per_step(_part_arguments(1, second, args), 0)
        return super().per_step(args, steps)


class _EpochStart:
    """A torch scheduler whose ``step()`` runs at the start of every epoch, before its ``step_every`` optimizer
    steps (torch's order before 1.1): epoch ``e`` trains at the lr of scheduler epoch ``e + 1``."""

    def __init__(self, name: str, parts: tuple):
        if len(parts) != 1:
            raise KeyError(f"{name}: one scheduler stepped at the start of each epoch")
        self.name, (self.part,) = name, parts
        self.params = self.part.params

    def per_step(self, args: dict, steps: int):
        every = args["step_every"]
        if not whole(every) or every < 1:
            raise ValueError(f"step_every must be a whole number of optimizer steps >= 1, got {every!r}")
        return self.part.per_step(args, steps + int(every))[int(every):]


class _Sliced:
    """An optimizer fed ``list[start:]``: step ``i`` uses element ``start + i``, raising past the list's end."""

    def __init__(self, name: str, parts: tuple):
        if len(parts) != 1:
            raise KeyError(f"{name}: one list sliced")
        self.name, (self.part,) = name, parts
        self.params = (*self.part.params, Param("start", "offset", 0))

    def per_step(self, args: dict, steps: int):
        start = args["start"]
        if not whole(start) or start < 0:
            raise ValueError(f"the slice must start at a whole step >= 0, got {start!r}")
        own = {parameter.name: args[parameter.name] for parameter in self.part.params}
        return self.part.per_step(own, int(start) + steps)[int(start):]


_CHAINS = {"torch.SequentialLR": _TorchSequential, "torch.ChainedScheduler": _TorchChained,
           "mindspore.concat": _Concatenated, "mindspore.sum": _Summed, "mindspore.product": _Multiplied,
           "torch.EpochStart": _EpochStart, "mindspore.sliced": _Sliced}
