"""Replicas of MindSpore 2.10's ``nn.cosine_decay_lr`` and ``nn.warmup_lr``, validation included.

MindSpore computes these lists in pure Python; the replicas repeat its expressions in its order so the values are
bit-identical, and repeat its argument checks (``mindspore._checkparam``) so a rewrite's target fails exactly where
MindSpore would. The ``*_per_step`` forms compute the same values with NumPy for the verifier, which needs millions
of steps quickly; a step past the end of the list is ``+inf`` because a MindSpore optimizer raises there.
"""

from __future__ import annotations

import math


#: The ints NumPy's ``isinf`` takes (as int64 or uint64); for them and for floats it adds nothing to ``math``'s test.
_NUMPY_INTS = range(-(2**63), 2**64)


def _check_legal(value, described: str) -> None:
    """MindSpore tests with ``math`` and then NumPy; NumPy's ``isinf`` rejects ints beyond 64 bits (TypeError), the
    only case where its test differs from ``math``'s, so NumPy is imported only then."""
    if math.isinf(value) or math.isnan(value):
        raise ValueError(f"{described} must be a legal value, but got '{value}'.")
    if isinstance(value, int) and value not in _NUMPY_INTS:
        import numpy as np

        if np.isinf(value) or np.isnan(value):
            raise ValueError(f"{described} must be a legal value, but got '{value}'.")


def _check_number(value, name: str, kind: type, relation: str) -> None:
    """``mindspore._checkparam._check_number`` without a primitive name: type, finiteness, then the bound."""
    described = f"The '{name}'"
    if not isinstance(value, kind):
        raise TypeError(f"{described} must be {kind.__name__}, but got '{type(value).__name__}'")
    _check_legal(value, described)
    in_range = value >= 0 if relation == ">= 0" else value > 0
    if isinstance(value, bool) or not in_range:
        message = (
            f"{described} must be {kind.__name__} and must {relation}, "
            f"but got '{value}' with type '{type(value).__name__}'."
        )
        raise TypeError(message) if isinstance(value, bool) else ValueError(message)


def _check_float_argument(value, name: str, function: str) -> None:
    if not isinstance(value, float):
        raise TypeError(
            f"For '{function}', the argument '{name}' must be type of float, but got '{name}' type: {type(value)}."
        )
    _check_number(value, name, float, ">= 0")


def check_cosine_decay_lr(min_lr, max_lr, total_step, step_per_epoch, decay_epoch) -> None:
    """Raise what ``cosine_decay_lr`` raises for these arguments, in its order; return if they are valid."""
    _check_float_argument(min_lr, "min_lr", "cosine_decay_lr")
    _check_number(max_lr, "max_lr", float, "> 0")
    for value, name in ((total_step, "total_step"), (step_per_epoch, "step_per_epoch"), (decay_epoch, "decay_epoch")):
        _check_number(value, name, int, "> 0")
    if min_lr >= max_lr:
        raise ValueError(
            "For 'cosine_decay_lr', the 'max_lr' must be greater than the 'min_lr', "
            f"but got 'max_lr' value: {max_lr}, 'min_lr' value: {min_lr}."
        )


def check_warmup_lr(learning_rate, total_step, step_per_epoch, warmup_epoch) -> None:
    """Raise what ``warmup_lr`` raises; note MindSpore checks ``warmup_epoch`` before ``total_step``."""
    _check_float_argument(learning_rate, "learning_rate", "warmup_lr")
    for value, name in ((warmup_epoch, "warmup_epoch"), (total_step, "total_step"), (step_per_epoch, "step_per_epoch")):
        _check_number(value, name, int, "> 0")


def cosine_decay_lr(min_lr, max_lr, total_step, step_per_epoch, decay_epoch) -> list[float]:
    """``mindspore.nn.cosine_decay_lr``: the cosine from ``max_lr`` down to ``min_lr``, held there after it."""
    check_cosine_decay_lr(min_lr, max_lr, total_step, step_per_epoch, decay_epoch)
    delta = 0.5 * (max_lr - min_lr)
    lr = []
    for i in range(total_step):
        epoch = min(math.floor(i / step_per_epoch), decay_epoch)
        lr.append(min_lr + delta * (1 + math.cos(math.pi * epoch / decay_epoch)))
    return lr


def warmup_lr(learning_rate, total_step, step_per_epoch, warmup_epoch) -> list[float]:
    """``mindspore.nn.warmup_lr``: a linear ramp from 0.0 to ``learning_rate`` over ``warmup_epoch`` epochs."""
    check_warmup_lr(learning_rate, total_step, step_per_epoch, warmup_epoch)
    lr = []
    for i in range(total_step):
        epoch = min(warmup_epoch, math.floor(i / step_per_epoch))
        lr.append(learning_rate * epoch / warmup_epoch)
    return lr


def _epochs(listed: int, step_per_epoch: int, last_epoch: int):
    """``min(i // step_per_epoch, last_epoch)`` for the listed steps, with both bounds clipped to fit int64."""
    import numpy as np

    bound = max(listed, 1)
    return np.minimum(np.arange(listed) // min(step_per_epoch, bound), min(last_epoch, bound))


def _padded(values, steps: int):
    import numpy as np

    padded = np.full(steps, np.inf)
    padded[: len(values)] = values
    return padded


def cosine_decay_per_step(min_lr, max_lr, total_step, step_per_epoch, decay_epoch, steps: int):
    """The lr of each of ``steps`` optimizer steps fed ``cosine_decay_lr(...)``; bit-identical to the list."""
    import numpy as np

    check_cosine_decay_lr(min_lr, max_lr, total_step, step_per_epoch, decay_epoch)
    delta = 0.5 * (max_lr - min_lr)
    epochs = _epochs(min(steps, total_step), step_per_epoch, decay_epoch)
    return _padded(min_lr + delta * (1 + np.cos(np.pi * epochs / float(decay_epoch))), steps)


def periodic_cosine_per_step(min_lr, max_lr, total_step, step_per_epoch, decay_epoch, steps: int):
    """torch's periodic cosine as a MindSpore list: the ``decay_epoch + 1`` values of one half-period
    (``cosine_decay_lr(min_lr, max_lr, decay_epoch + 1, 1, decay_epoch)``) read at each step's reflected epoch
    ``min(e % (2 * decay_epoch), -e % (2 * decay_epoch))``, ``e = step // step_per_epoch``, for ``total_step``
    steps."""
    import numpy as np

    check_cosine_decay_lr(min_lr, max_lr, decay_epoch + 1, 1, decay_epoch)
    check_cosine_decay_lr(min_lr, max_lr, total_step, step_per_epoch, decay_epoch)
    epochs = np.arange(min(steps, total_step)) // step_per_epoch
    return _padded(half_period_at(min_lr, max_lr, decay_epoch, reflected(epochs, decay_epoch)), steps)


def half_period_at(min_lr, max_lr, decay_epoch, indices):
    """Elements ``indices`` of ``cosine_decay_lr(min_lr, max_lr, decay_epoch + 1, 1, decay_epoch)``, bit for bit,
    computed only where they are read (a huge ``decay_epoch`` costs nothing)."""
    import numpy as np

    delta = 0.5 * (max_lr - min_lr)
    return min_lr + delta * (1 + np.cos(np.pi * indices / float(decay_epoch)))


def reflected(epochs, decay_epoch):
    """Where torch's periodic cosine reads the half-period at each epoch: ``min(e % 2D, -e % 2D)``."""
    import numpy as np

    period = 2 * decay_epoch
    return np.minimum(epochs % period, -epochs % period)


def warmup_per_step(learning_rate, total_step, step_per_epoch, warmup_epoch, steps: int):
    """The lr of each of ``steps`` optimizer steps fed ``warmup_lr(...)``; bit-identical to the list."""
    check_warmup_lr(learning_rate, total_step, step_per_epoch, warmup_epoch)
    epochs = _epochs(min(steps, total_step), step_per_epoch, warmup_epoch)
    return _padded(learning_rate * epochs / float(warmup_epoch), steps)


# The same schedules as lists of Python floats, for the verifier's small claims (no NumPy to import): each element is
# computed with the operations of the NumPy form, in its order, so the values are the same floats.


def _epoch_list(listed: int, step_per_epoch: int, last_epoch: int) -> list[int]:
    """``_epochs`` as a list."""
    bound = max(listed, 1)
    per, last = min(step_per_epoch, bound), min(last_epoch, bound)
    return [min(step // per, last) for step in range(listed)]


def _padded_list(values: list, steps: int) -> list:
    return values + [math.inf] * (steps - len(values))


def cosine_decay_floats(min_lr, max_lr, total_step, step_per_epoch, decay_epoch, steps: int) -> list[float]:
    """``cosine_decay_per_step`` as a list."""
    check_cosine_decay_lr(min_lr, max_lr, total_step, step_per_epoch, decay_epoch)
    delta = 0.5 * (max_lr - min_lr)
    epochs = _epoch_list(min(steps, total_step), step_per_epoch, decay_epoch)
    return _padded_list([min_lr + delta * (1 + math.cos(math.pi * epoch / float(decay_epoch))) for epoch in epochs],
                        steps)


def periodic_cosine_floats(min_lr, max_lr, total_step, step_per_epoch, decay_epoch, steps: int) -> list[float]:
    """``periodic_cosine_per_step`` as a list."""
    check_cosine_decay_lr(min_lr, max_lr, decay_epoch + 1, 1, decay_epoch)
    check_cosine_decay_lr(min_lr, max_lr, total_step, step_per_epoch, decay_epoch)
    delta = 0.5 * (max_lr - min_lr)
    period = 2 * decay_epoch
    values = []
    for step in range(min(steps, total_step)):
        epoch = step // step_per_epoch
        index = min(epoch % period, -epoch % period)
        values.append(min_lr + delta * (1 + math.cos(math.pi * index / float(decay_epoch))))
    return _padded_list(values, steps)


def warmup_floats(learning_rate, total_step, step_per_epoch, warmup_epoch, steps: int) -> list[float]:
    """``warmup_per_step`` as a list."""
    check_warmup_lr(learning_rate, total_step, step_per_epoch, warmup_epoch)
    epochs = _epoch_list(min(steps, total_step), step_per_epoch, warmup_epoch)
    return _padded_list([learning_rate * epoch / float(warmup_epoch) for epoch in epochs], steps)
