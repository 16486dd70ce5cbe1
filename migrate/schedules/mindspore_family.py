"""Replicas of MindSpore 2.10's other list functions of ``mindspore.nn.dynamic_lr``, validation included.

As in ``mindspore_lr``: each replica repeats MindSpore's expressions in its order (bit-identical lists) and its
``mindspore._checkparam`` checks in its order (same exception types and messages). The ``*_per_step`` forms give the
verifier the same values as a float64 array, ``+inf`` past the end of the list (a MindSpore optimizer raises there).
They compute each distinct epoch's value once with Python's own ``**`` and ``math`` (NumPy's ``power`` may round
differently on some CPUs) and repeat it over the epoch's steps.
"""

from __future__ import annotations

import math

from migrate.schedules.mindspore_lr import _check_legal, _check_number, _epochs, _padded


def _check_value_type(value, name: str, kinds: tuple[type, ...]) -> None:
    """``mindspore._checkparam.check_value_type``: a bool is not an int, and the message lists the type names."""
    names = [kind.__name__ for kind in kinds]
    if isinstance(value, bool) and bool not in kinds or not isinstance(value, kinds):
        expected = f"one of '{names}'" if len(kinds) > 1 else f"'{names[0]}'"
        raise TypeError(f"The type of '{name}' should be {expected}, but got type '{type(value).__name__}'.")


def _check_is_float(value, name: str) -> None:
    """``mindspore._checkparam.check_is_float``: its messages differ from ``_check_number``'s."""
    if isinstance(value, float) and not isinstance(value, bool):
        try:
            _check_legal(value, f"The '{name}'")
        except ValueError:
            raise ValueError(f"The '{name}' must be a legal float, but got '{value}'.") from None
    else:
        raise TypeError(f"The type of '{name}' must be 'float', but got '{type(value).__name__}'.")


def _check_float_argument(value, name: str, function: str) -> None:
    if not isinstance(value, float):
        raise TypeError(
            f"For '{function}', the argument '{name}' must be type of float, but got '{name}' type: {type(value)}."
        )
    _check_number(value, name, float, ">= 0")


def check_piecewise_constant_lr(milestone, learning_rates) -> None:
    """Raise what ``piecewise_constant_lr`` raises, in its order; return if the arguments are valid."""
    _check_value_type(milestone, "milestone", (tuple, list))
    _check_value_type(learning_rates, "learning_rates", (tuple, list))
    if len(milestone) != len(learning_rates):
        raise ValueError(
            "For 'piecewise_constant_lr', the size of 'milestone' must be same with the size of 'learning_rates', "
            f"but got 'milestone' size: {len(milestone)}, 'learning_rates' size: {len(learning_rates)}."
        )
    last_item = 0
    for i, item in enumerate(milestone):
        _check_number(item, f"milestone[{i}]", int, "> 0")
        _check_is_float(learning_rates[i], f"learning_rates[{i}]")
        if item < last_item:
            raise ValueError(
                f"For 'piecewise_constant_lr', the value of milestone[{i}] must be greater than milestone[{i - 1}], "
                f"but got milestone[{i}]: {milestone[i]}, milestone[{i - 1}]: {milestone[i - 1]}."
            )
        last_item = item


def check_decay_lr(learning_rate, decay_rate, total_step, step_per_epoch, decay_epoch, is_stair) -> None:
    """MindSpore's ``_check_inputs`` for the exponential, natural-exponential and inverse decays."""
    for value, name in ((total_step, "total_step"), (step_per_epoch, "step_per_epoch"), (decay_epoch, "decay_epoch")):
        _check_number(value, name, int, "> 0")
    _check_number(learning_rate, "learning_rate", float, "> 0")
    _check_number(decay_rate, "decay_rate", float, "> 0")
    _check_value_type(is_stair, "is_stair", (bool,))


def check_polynomial_decay_lr(
    learning_rate, end_learning_rate, total_step, step_per_epoch, decay_epoch, power, update_decay_epoch
) -> None:
    _check_number(learning_rate, "learning_rate", float, "> 0")
    _check_float_argument(end_learning_rate, "end_learning_rate", "polynomial_decay_lr")
    _check_number(power, "power", float, "> 0")
    for value, name in ((total_step, "total_step"), (step_per_epoch, "step_per_epoch"), (decay_epoch, "decay_epoch")):
        _check_number(value, name, int, "> 0")
    _check_value_type(update_decay_epoch, "update_decay_epoch", (bool,))


def piecewise_constant_lr(milestone, learning_rates) -> list:
    """``learning_rates[i]`` for the steps from ``milestone[i-1]`` up to ``milestone[i]``: the same objects."""
    check_piecewise_constant_lr(milestone, learning_rates)
    lr = []
    last_item = 0
    for i, item in enumerate(milestone):
        lr += [learning_rates[i]] * (item - last_item)
        last_item = item
    return lr


def _exponential(learning_rate, decay_rate, decay_epoch, is_stair):
    if is_stair:
        return lambda epoch: learning_rate * decay_rate ** math.floor(epoch / decay_epoch)
    return lambda epoch: learning_rate * decay_rate ** (epoch / decay_epoch)


def _natural_exp(learning_rate, decay_rate, decay_epoch, is_stair):
    if is_stair:
        return lambda epoch: learning_rate * math.e ** (-decay_rate * (math.floor(epoch / decay_epoch) * decay_epoch))
    return lambda epoch: learning_rate * math.e ** (-decay_rate * epoch)


def _inverse(learning_rate, decay_rate, decay_epoch, is_stair):
    if is_stair:
        return lambda epoch: learning_rate / (1 + decay_rate * math.floor(epoch / decay_epoch))
    return lambda epoch: learning_rate / (1 + decay_rate * epoch / decay_epoch)


def _polynomial(learning_rate, end_learning_rate, decay_epoch, power, update_decay_epoch):
    """With ``update_decay_epoch`` the horizon grows to the next multiple of ``decay_epoch`` past the epoch."""
    delta = learning_rate - end_learning_rate

    def value(epoch):
        if update_decay_epoch:
            horizon, reached = decay_epoch * max(math.ceil(epoch / decay_epoch), 1), epoch
        else:
            horizon, reached = decay_epoch, min(decay_epoch, epoch)
        return delta * (1 - reached / horizon) ** power + end_learning_rate

    return value


def _listed(value_of_epoch, total_step, step_per_epoch) -> list:
    """MindSpore's loop: ``value(floor(i / step_per_epoch))`` for each step ``i``."""
    return [value_of_epoch(math.floor(i / step_per_epoch)) for i in range(total_step)]


def _per_step(value_of_epoch, total_step, step_per_epoch, steps: int):
    """The listed values for ``steps`` optimizer steps, each epoch's value computed once."""
    import numpy as np

    listed = min(steps, total_step)
    epochs = _epochs(listed, step_per_epoch, listed)
    count = int(epochs[-1]) + 1 if listed else 0
    by_epoch = np.array([value_of_epoch(epoch) for epoch in range(count)], dtype=float)
    return _padded(by_epoch[epochs], steps)


def exponential_decay_lr(learning_rate, decay_rate, total_step, step_per_epoch, decay_epoch, is_stair=False) -> list:
    """``mindspore.nn.exponential_decay_lr``: ``learning_rate * decay_rate ** (epoch / decay_epoch)``."""
    check_decay_lr(learning_rate, decay_rate, total_step, step_per_epoch, decay_epoch, is_stair)
    return _listed(_exponential(learning_rate, decay_rate, decay_epoch, is_stair), total_step, step_per_epoch)


def natural_exp_decay_lr(learning_rate, decay_rate, total_step, step_per_epoch, decay_epoch, is_stair=False) -> list:
    """``mindspore.nn.natural_exp_decay_lr``: ``learning_rate * e ** (-decay_rate * epoch)``."""
    check_decay_lr(learning_rate, decay_rate, total_step, step_per_epoch, decay_epoch, is_stair)
    return _listed(_natural_exp(learning_rate, decay_rate, decay_epoch, is_stair), total_step, step_per_epoch)


def inverse_decay_lr(learning_rate, decay_rate, total_step, step_per_epoch, decay_epoch, is_stair=False) -> list:
    """``mindspore.nn.inverse_decay_lr``: ``learning_rate / (1 + decay_rate * epoch / decay_epoch)``."""
    check_decay_lr(learning_rate, decay_rate, total_step, step_per_epoch, decay_epoch, is_stair)
    return _listed(_inverse(learning_rate, decay_rate, decay_epoch, is_stair), total_step, step_per_epoch)


def polynomial_decay_lr(
    learning_rate, end_learning_rate, total_step, step_per_epoch, decay_epoch, power, update_decay_epoch=False
) -> list:
    """``mindspore.nn.polynomial_decay_lr``: ``(lr - end) * (1 - min(epoch, decay_epoch) / decay_epoch) ** power + end``."""
    check_polynomial_decay_lr(
        learning_rate, end_learning_rate, total_step, step_per_epoch, decay_epoch, power, update_decay_epoch
    )
    value = _polynomial(learning_rate, end_learning_rate, decay_epoch, power, update_decay_epoch)
    return _listed(value, total_step, step_per_epoch)


def piecewise_constant_per_step(milestone, learning_rates, steps: int):
    import numpy as np

    check_piecewise_constant_lr(milestone, learning_rates)
    starts = [0, *milestone[:-1]]
    lengths = [min(item, steps) - min(start, steps) for start, item in zip(starts, milestone)]
    return _padded(np.repeat(np.array(learning_rates, dtype=float), lengths), steps)


def exponential_decay_per_step(learning_rate, decay_rate, total_step, step_per_epoch, decay_epoch, is_stair, steps):
    check_decay_lr(learning_rate, decay_rate, total_step, step_per_epoch, decay_epoch, is_stair)
    value = _exponential(learning_rate, decay_rate, decay_epoch, is_stair)
    return _per_step(value, total_step, step_per_epoch, steps)


def natural_exp_decay_per_step(learning_rate, decay_rate, total_step, step_per_epoch, decay_epoch, is_stair, steps):
    check_decay_lr(learning_rate, decay_rate, total_step, step_per_epoch, decay_epoch, is_stair)
    value = _natural_exp(learning_rate, decay_rate, decay_epoch, is_stair)
    return _per_step(value, total_step, step_per_epoch, steps)


def inverse_decay_per_step(learning_rate, decay_rate, total_step, step_per_epoch, decay_epoch, is_stair, steps):
    check_decay_lr(learning_rate, decay_rate, total_step, step_per_epoch, decay_epoch, is_stair)
    value = _inverse(learning_rate, decay_rate, decay_epoch, is_stair)
    return _per_step(value, total_step, step_per_epoch, steps)


def polynomial_decay_per_step(
    learning_rate, end_learning_rate, total_step, step_per_epoch, decay_epoch, power, update_decay_epoch, steps
):
    check_polynomial_decay_lr(
        learning_rate, end_learning_rate, total_step, step_per_epoch, decay_epoch, power, update_decay_epoch
    )
    value = _polynomial(learning_rate, end_learning_rate, decay_epoch, power, update_decay_epoch)
    return _per_step(value, total_step, step_per_epoch, steps)


def milestone_rates_per_step(milestones, learning_rates, step_per_epoch, total_step, whole_only, steps: int):
    """The list ``[learning_rates[sum(step // step_per_epoch >= m for m in milestones)] for step in
    range(total_step)]`` a rewrite of ``MultiStepLR`` writes: the rate after as many milestones as the epoch has
    passed, for a run of any length (``piecewise_constant_lr`` needs the run to pass its last milestone); with
    ``whole_only`` (``... if m == int(m)``) a milestone that is not a whole number never counts."""
    import numpy as np

    if whole_only:
        milestones = [milestone for milestone in milestones if milestone == int(milestone)]

    epochs = np.arange(min(steps, total_step)) // step_per_epoch
    passed = sum((epochs >= milestone).astype(int) for milestone in milestones) if milestones else 0 * epochs
    return _padded(np.array(learning_rates, dtype=float)[passed], steps)


def epoch_function_per_step(learning_rate, lr_lambda, step_per_epoch, total_step, steps: int):
    """The list ``[learning_rate * lr_lambda(step // step_per_epoch) for step in range(total_step)]`` a rewrite
    of ``LambdaLR`` (or of ``LinearLR``/``ConstantLR``, whose factors are functions of the epoch) writes."""
    import numpy as np

    epochs = np.arange(min(steps, total_step)) // step_per_epoch
    count = int(epochs[-1]) + 1 if len(epochs) else 0
    by_epoch = np.array([learning_rate * lr_lambda(epoch) for epoch in range(count)], dtype=float)
    return _padded(by_epoch[epochs], steps)


_PER_STEP = {
    "mindspore.epoch_function_list": epoch_function_per_step,
    "mindspore.milestone_rates": milestone_rates_per_step,
    "mindspore.piecewise_constant_lr": piecewise_constant_per_step,
    "mindspore.exponential_decay_lr": exponential_decay_per_step,
    "mindspore.natural_exp_decay_lr": natural_exp_decay_per_step,
    "mindspore.inverse_decay_lr": inverse_decay_per_step,
    "mindspore.polynomial_decay_lr": polynomial_decay_per_step,
}


class MindSporeListModel:
    """An optimizer fed one of these lists: step ``i`` uses element ``i``, and raises past the end."""

    def __init__(self, name: str, params: tuple):
        self.name = name
        self.params = params

    def per_step(self, args: dict, steps: int):
        return _PER_STEP[self.name](*(args[parameter.name] for parameter in self.params), steps)


def models() -> list[MindSporeListModel]:
    """The verifier's models, built when the registry is. ``milestones`` and ``lr_list`` are lists the rule's
    claim spells out (``migrate.verify.LIST_DOMAINS``); a ``flag`` left to a variable is sampled both ways."""
    from migrate.schedules import Param

    decay = (
        Param("learning_rate", "lr"),
        Param("decay_rate", "factor"),
        Param("total_step", "count"),
        Param("step_per_epoch", "count"),
        Param("decay_epoch", "count"),
        Param("is_stair", "flag", False),
    )
    return [
        MindSporeListModel(
            "mindspore.piecewise_constant_lr", (Param("milestone", "milestones"), Param("learning_rates", "lr_list"))
        ),
        MindSporeListModel("mindspore.exponential_decay_lr", decay),
        MindSporeListModel("mindspore.epoch_function_list", (
            Param("learning_rate", "lr"), Param("lr_lambda", "function"), Param("step_per_epoch", "count"),
            Param("total_step", "count"))),
        MindSporeListModel("mindspore.milestone_rates", (
            Param("milestones", "milestones"), Param("learning_rates", "lr_list"), Param("step_per_epoch", "count"),
            Param("total_step", "count"), Param("whole_only", "flag", False))),
        MindSporeListModel("mindspore.natural_exp_decay_lr", decay),
        MindSporeListModel("mindspore.inverse_decay_lr", decay),
        MindSporeListModel(
            "mindspore.polynomial_decay_lr",
            (
                Param("learning_rate", "lr"),
                Param("end_learning_rate", "min_lr"),
                Param("total_step", "count"),
                Param("step_per_epoch", "count"),
                Param("decay_epoch", "count"),
                Param("power", "power"),
                Param("update_decay_epoch", "flag", False),
            ),
        ),
    ]
