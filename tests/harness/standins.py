"""Light stand-ins for the parts of ``torch``, ``mindspore`` and ``numpy`` that training programs touch.

They exist so thousands of programs can run per minute: tensors and models are dummies, and only what decides a
learning rate is faithful. torch's ``CosineAnnealingLR`` is driven by the project's bit-exact replica
(``migrate.schedules.torch_cosine``), its siblings (``StepLR``, ``LinearLR``, ``SequentialLR``…) repeat torch
2.13's recursive ``get_lr`` and closed forms in torch's order, and ``cosine_decay_lr``/``warmup_lr`` (and the
piecewise, exponential and polynomial lists) are the bit-exact replicas with MindSpore's validation. ``tests/test_differential_oracle.py`` proves the stand-ins give the
records of the real libraries.

Deliberate leniencies, because a converted program keeps the rest of its training step in the other framework's
shape and the harness compares schedules, not ports: a torch optimizer can be called as ``optimizer(grads)`` and has
a ``parameters`` attribute, a MindSpore optimizer accepts ``.step()`` and ``.zero_grad()`` (real MindSpore has
neither), and every model has both ``parameters()`` and ``trainable_params()``.

A MindSpore optimizer records the float64 value its list holds at the gathered index; MindSpore casts the list to
float32 before gathering, so comparing the float64 value keeps the check as tight as torch's float64 lrs. For the
same reason ``np.array(lr).astype(np.float32)`` keeps the float64 values here, of a list or of one constant lr.
"""

from __future__ import annotations

import bisect
import copy
import importlib.machinery
import inspect
import math
import sys
import types
from collections import Counter
from contextlib import contextmanager

import numpy as real_numpy

from migrate.schedules import mindspore_family, mindspore_lr
from migrate.schedules.torch_cosine import RESUME_WITHOUT_INITIAL_LR, TorchCosineAnnealingLR


class StepCapReached(BaseException):
    """The program ran more optimizer steps than a harness run allows (a hang guard); not an ``Exception`` so a
    program's ``except Exception`` cannot swallow it."""


class Recorder:
    """The lr of every group at every optimizer step, in order, for one program run."""

    def __init__(self, step_cap: int):
        self.step_cap = step_cap
        self.steps: list[tuple[float, ...]] = []
        self.model_calls = 0

    def record(self, lrs) -> None:
        if len(self.steps) >= self.step_cap:
            raise StepCapReached(f"more than {self.step_cap} optimizer steps")
        self.steps.append(tuple(float(lr) for lr in lrs))


# ---------------------------------------------------------------- tensors, models, data


def _value_of(item) -> float:
    if isinstance(item, Tensor):
        return item.value
    if isinstance(item, (int, float)):
        return float(item)
    return 0.0


class Tensor:
    """A dummy tensor: a shape, one value per row (NaN/inf poison a batch's loss), arithmetic that keeps NaN."""

    def __init__(self, rows=None, shape=(), value: float = 0.0, dtype=None):
        self.shape = tuple(shape)
        self.rows = list(rows) if rows is not None else None
        self.value = value if rows is None or not rows else math.fsum(rows) / len(rows) if all(
            math.isfinite(row) for row in rows) else next(row for row in rows if not math.isfinite(row))
        self.dtype = dtype

    def __len__(self):
        return self.shape[0] if self.shape else 0

    def __getitem__(self, index):
        if self.rows is None:
            return Tensor(value=self.value)
        picked = self.rows[index]
        if isinstance(index, slice):
            return Tensor(picked, (len(picked), *self.shape[1:]))
        return Tensor(value=picked, shape=self.shape[1:])

    def __setitem__(self, index, value):
        if self.rows is None:
            self.value = _value_of(value)
            return
        if isinstance(index, slice):
            self.rows[index] = [_value_of(value)] * len(range(*index.indices(len(self.rows))))
        else:
            self.rows[index] = _value_of(value)
        self.__init__(self.rows, self.shape, dtype=self.dtype)

    def _combine(self, other):
        return Tensor(value=self.value + _value_of(other))

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __truediv__ = __rtruediv__ = _combine
    __matmul__ = __pow__ = _combine

    def __neg__(self):
        return Tensor(value=-self.value)

    def __float__(self):
        return float(self.value)

    def __bool__(self):
        return bool(self.value)

    def __format__(self, spec):
        return format(self.value, spec)

    def item(self):
        return self.value

    def _reduced(self, *args, **kwargs):
        return Tensor(value=self.value)

    sum = mean = _reduced

    def _same(self, *args, **kwargs):
        return self

    backward = lambda self, *args, **kwargs: None  # noqa: E731
    to = cuda = cpu = detach = clone = float = view = reshape = astype = _same
    squeeze = unsqueeze = flatten = _same

    def numpy(self):
        return real_numpy.asarray(self.rows if self.rows is not None else self.value)

    def tolist(self):
        return list(self.rows) if self.rows is not None else self.value

    def asnumpy(self):
        return self.numpy()


def _tensor_from(data, dtype=None) -> Tensor:
    if isinstance(data, Tensor):
        return data
    if isinstance(data, (list, tuple)):
        return Tensor([_value_of(item) for item in data], (len(data),), dtype=dtype)
    return Tensor(value=_value_of(data), dtype=dtype)


def _filled(*shape, value=0.0, **kwargs) -> Tensor:
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    rows = [value] * shape[0] if shape else None
    return Tensor(rows, shape, value=value)


class Parameter(Tensor):
    def __init__(self, data=None, name=None, requires_grad=True):
        super().__init__(value=_value_of(data))
        self.data = data
        self.name = name
        self.requires_grad = requires_grad


class Module:
    """A model, loss or layer: callable on tensors; its output is a Tensor carrying NaN from its inputs."""

    def __init__(self, *args, **kwargs):
        self._parameters = [Parameter(0.0, name=f"weight{index}") for index in range(2)]

    def __call__(self, *inputs, **kwargs):
        values = [_value_of(item) for item in inputs]
        poisoned = [value for value in values if not math.isfinite(value)]
        return Tensor(value=poisoned[0] if poisoned else math.fsum(values) + 1.0)

    forward = construct = __call__

    def parameters(self, recurse=True):
        return iter(self._parameters)

    def trainable_params(self, recurse=True):
        return list(self._parameters)

    def named_parameters(self):
        return [(parameter.name, parameter) for parameter in self._parameters]

    def _self(self, *args, **kwargs):
        return self

    train = eval = to = cuda = cpu = set_train = _self

    def state_dict(self):
        return {}

    def load_state_dict(self, state, strict=True):
        return None


class Dataset:
    """A map-style dataset of rows (``TensorDataset`` or a list)."""

    def __init__(self, *tensors):
        self.tensors = [_tensor_from(tensor) for tensor in tensors]

    def __len__(self):
        return len(self.tensors[0])

    def __getitem__(self, index):
        items = tuple(tensor[index] for tensor in self.tensors)
        return items if len(items) > 1 else items[0]


def _batches(dataset, batch_size: int, drop_last: bool):
    """The batches of ``dataset`` in order: tuples of row slices, or slices of a plain list."""
    size = len(dataset)
    count = size // batch_size if drop_last else -(-size // batch_size)
    for index in range(count):
        window = slice(index * batch_size, min((index + 1) * batch_size, size))
        if isinstance(dataset, Dataset):
            yield tuple(tensor[window] for tensor in dataset.tensors)
        else:
            rows = [dataset[position] for position in range(window.start, window.stop)]
            yield _tensor_from(rows), Tensor(value=0.0)


class DataLoader:
    def __init__(self, dataset, batch_size=1, shuffle=False, drop_last=False, **kwargs):
        self.dataset, self.batch_size, self.drop_last = dataset, batch_size or 1, drop_last

    def __len__(self):
        size = len(self.dataset)
        return size // self.batch_size if self.drop_last else -(-size // self.batch_size)

    def __iter__(self):
        return _batches(self.dataset, self.batch_size, self.drop_last)


class MindSporeDataset:
    """A MindSpore dataset: ``batch()``, ``get_dataset_size()``, tuple and dict iterators."""

    def __init__(self, data=None, column_names=None, shuffle=False, batch_size=1, drop_remainder=False, **kwargs):
        if isinstance(data, (tuple, list)) and data and isinstance(data[0], (Tensor, list, tuple)) and len(data) <= 3:
            self.source = Dataset(*data)
        else:
            rows = [_value_of(item) for item in (data if data is not None else [])]
            self.source = Dataset(rows, rows)
        self.batch_size, self.drop_remainder = batch_size, drop_remainder
        self.column_names = list(column_names or ["image", "label"])

    def batch(self, batch_size, drop_remainder=False, **kwargs):
        batched = MindSporeDataset.__new__(MindSporeDataset)
        batched.source, batched.column_names = self.source, self.column_names
        batched.batch_size, batched.drop_remainder = batch_size, drop_remainder
        return batched

    def get_dataset_size(self):
        return DataLoader(self.source, self.batch_size, drop_last=self.drop_remainder).__len__()

    def create_tuple_iterator(self, *args, **kwargs):
        return EpochIterator(lambda: iter(DataLoader(self.source, self.batch_size, drop_last=self.drop_remainder)))

    def create_dict_iterator(self, *args, **kwargs):
        for batch in self.create_tuple_iterator():
            yield {name: (batch[index] if index < len(batch) else batch[-1])
                   for index, name in enumerate([*self.column_names, "data"])}

    __iter__ = create_tuple_iterator


class EpochIterator:
    """A MindSpore dataset iterator: each pass over it is one epoch of the dataset, so one iterator made before the
    epoch loop (``create_tuple_iterator(num_epochs=N)``) serves every epoch."""

    def __init__(self, epoch):
        self._epoch, self._current = epoch, None

    def __iter__(self):
        return self

    def __next__(self):
        if self._current is None:
            self._current = self._epoch()
        try:
            return next(self._current)
        except StopIteration:
            self._current = None
            raise


# ---------------------------------------------------------------- torch optimizers and schedulers


def _param_groups(params, defaults: dict) -> list[dict]:
    """torch's ``add_param_group``: a list of dicts keeps its own keys, the defaults fill the rest."""
    params = list(params)
    groups = params if params and isinstance(params[0], dict) else [{"params": params}]
    result = []
    for group in groups:
        group = dict(group)
        group["params"] = list(group["params"]) if not isinstance(group["params"], Tensor) else [group["params"]]
        for key, value in defaults.items():
            group.setdefault(key, value)
        result.append(group)
    return result


class TorchOptimizer:
    """A torch optimizer whose ``step()`` records the lr of every param group."""

    default_lr = 1e-3

    def __init__(self, params, lr=None, *args, **kwargs):
        lr = self.default_lr if lr is None else lr
        if isinstance(lr, (int, float)) and lr < 0:
            raise ValueError(f"Invalid learning rate: {lr}")
        self.defaults = {"lr": lr, **kwargs}
        self.param_groups = _param_groups(params, self.defaults)
        self.state: dict = {}
        self.parameters = [parameter for group in self.param_groups for parameter in group["params"]]

    def step(self, closure=None):
        _RECORDER.record(group["lr"] for group in self.param_groups)
        return closure() if closure is not None else None

    def __call__(self, grads=None):
        return self.step()

    def zero_grad(self, set_to_none=True):
        return None

    def state_dict(self):
        return {"state": {}, "param_groups": [{k: v for k, v in g.items() if k != "params"} for g in self.param_groups]}

    def load_state_dict(self, state):
        for group, saved in zip(self.param_groups, state["param_groups"]):
            group.update(saved)

    def add_param_group(self, group):
        self.param_groups.extend(_param_groups([group], self.defaults))


class SGD(TorchOptimizer):
    pass


class Adam(TorchOptimizer):
    pass


class AdamW(TorchOptimizer):
    pass


class Adadelta(TorchOptimizer):
    default_lr = 1.0


class LRScheduler:
    """torch 2.13's ``LRScheduler`` protocol: initial step at construction, recursive ``step()``, closed form for
    ``step(epoch)``, ``_update_lr``/``_initial_step`` as ``SequentialLR`` uses them."""

    def __init__(self, optimizer, last_epoch=-1):
        self.optimizer = optimizer
        if last_epoch == -1:
            for group in optimizer.param_groups:
                group.setdefault("initial_lr", group["lr"])
        else:
            for index, group in enumerate(optimizer.param_groups):
                if "initial_lr" not in group:
                    raise KeyError(RESUME_WITHOUT_INITIAL_LR.format(index=index))
        self.base_lrs = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = last_epoch
        self._is_initial = False
        self._initial_step()

    def _initial_step(self):
        self._step_count = 0
        self._is_initial = True
        try:
            self.step()
        finally:
            self._is_initial = False

    def _lrs(self):
        return [group["lr"] for group in self.optimizer.param_groups]

    def step(self, epoch=None):
        self._step_count += 1
        self._update_lr(epoch)

    def _update_lr(self, epoch=None):
        if epoch is None:
            self.last_epoch += 1
            values = self.get_lr()
        else:
            self.last_epoch = epoch
            values = self._get_closed_form_lr() if hasattr(self, "_get_closed_form_lr") else self.get_lr()
        for group, lr in zip(self.optimizer.param_groups, values, strict=True):
            group["lr"] = lr
        self._last_lr = self._lrs()

    def get_last_lr(self):
        return self._last_lr

    def state_dict(self):
        return {key: value for key, value in self.__dict__.items() if key != "optimizer"}

    def load_state_dict(self, state):
        self.__dict__.update(state)


class CosineAnnealingLR(LRScheduler):
    """``CosineAnnealingLR`` driven by ``TorchCosineAnnealingLR``, the project's bit-exact replica, on the
    optimizer's own group dicts (so external writes to ``group["lr"]`` carry on as in torch)."""

    def __init__(self, optimizer, T_max, eta_min=0.0, last_epoch=-1):
        self.optimizer = optimizer
        self._replica = TorchCosineAnnealingLR(optimizer.param_groups, T_max, eta_min, last_epoch)
        self.T_max, self.eta_min = T_max, eta_min
        self.base_lrs = self._replica.base_lrs
        self._step_count = 1
        self._is_initial = False
        self._get_lr_called_within_step = False
        self._last_lr = self._lrs()

    @property
    def last_epoch(self):
        return self._replica.last_epoch

    @last_epoch.setter
    def last_epoch(self, value):
        self._replica.last_epoch = value

    def _initial_step(self):
        self._step_count = 1
        self._replica.last_epoch += 1
        self._last_lr = self._lrs()

    def _update_lr(self, epoch=None):
        self._replica.step(epoch)
        self._last_lr = self._lrs()

    def get_lr(self):
        """Outside ``step()`` torch 2.13 applies the recursive formula to the current lr again (and warns)."""
        return self._replica._recursive_lrs()

    def state_dict(self):
        keys = ("T_max", "_get_lr_called_within_step", "_is_initial", "_last_lr", "_step_count", "base_lrs",
                "eta_min", "last_epoch")
        return {key: getattr(self, key) for key in keys}

    def load_state_dict(self, state):
        for key, value in state.items():
            setattr(self, key, value)


class StepLR(LRScheduler):
    def __init__(self, optimizer, step_size, gamma=0.1, last_epoch=-1):
        self.step_size, self.gamma = step_size, gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        if self.last_epoch == 0 or self.last_epoch % self.step_size != 0:
            return self._lrs()
        return [group["lr"] * self.gamma for group in self.optimizer.param_groups]

    def _get_closed_form_lr(self):
        return [base_lr * self.gamma ** (self.last_epoch // self.step_size) for base_lr in self.base_lrs]


class MultiStepLR(LRScheduler):
    def __init__(self, optimizer, milestones, gamma=0.1, last_epoch=-1):
        self.milestones, self.gamma = Counter(milestones), gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        if self.last_epoch not in self.milestones:
            return self._lrs()
        return [group["lr"] * self.gamma ** self.milestones[self.last_epoch] for group in self.optimizer.param_groups]

    def _get_closed_form_lr(self):
        milestones = sorted(self.milestones.elements())
        return [base_lr * self.gamma ** bisect.bisect_right(milestones, self.last_epoch) for base_lr in self.base_lrs]


class LinearLR(LRScheduler):
    def __init__(self, optimizer, start_factor=1.0 / 3, end_factor=1.0, total_iters=5, last_epoch=-1):
        if start_factor > 1.0 or start_factor <= 0:
            raise ValueError("Starting multiplicative factor expected to be greater than 0 and less or equal to 1.")
        if end_factor > 1.0 or end_factor < 0:
            raise ValueError("Ending multiplicative factor expected to be between 0 and 1.")
        self.start_factor, self.end_factor, self.total_iters = start_factor, end_factor, total_iters
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        if self.last_epoch == 0:
            return [group["lr"] * self.start_factor for group in self.optimizer.param_groups]
        if self._is_initial or self.last_epoch > self.total_iters:
            return self._lrs()
        return [
            group["lr"] * (1.0 + (self.end_factor - self.start_factor)
                           / (self.total_iters * self.start_factor
                              + (self.last_epoch - 1) * (self.end_factor - self.start_factor)))
            for group in self.optimizer.param_groups
        ]

    def _get_closed_form_lr(self):
        return [
            base_lr * (self.start_factor + (self.end_factor - self.start_factor)
                       * min(self.total_iters, self.last_epoch) / self.total_iters)
            for base_lr in self.base_lrs
        ]


class ExponentialLR(LRScheduler):
    def __init__(self, optimizer, gamma, last_epoch=-1):
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        if self._is_initial:
            return self._lrs()
        return [group["lr"] * self.gamma for group in self.optimizer.param_groups]

    def _get_closed_form_lr(self):
        return [base_lr * self.gamma ** self.last_epoch for base_lr in self.base_lrs]


class ConstantLR(LRScheduler):
    def __init__(self, optimizer, factor=1.0 / 3, total_iters=5, last_epoch=-1):
        if factor > 1.0 or factor < 0:
            raise ValueError("Constant multiplicative factor expected to be between 0 and 1.")
        self.factor, self.total_iters = factor, total_iters
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        if self.last_epoch == 0:
            return [group["lr"] * self.factor for group in self.optimizer.param_groups]
        if self.last_epoch != self.total_iters:
            return self._lrs()
        return [group["lr"] * (1.0 / self.factor) for group in self.optimizer.param_groups]

    def _get_closed_form_lr(self):
        return [base_lr * (self.factor + (self.last_epoch >= self.total_iters) * (1 - self.factor))
                for base_lr in self.base_lrs]


class PolynomialLR(LRScheduler):
    def __init__(self, optimizer, total_iters=5, power=1.0, last_epoch=-1):
        self.total_iters, self.power = total_iters, power
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        if self._is_initial or self.last_epoch > self.total_iters:
            return self._lrs()
        decay_factor = ((1.0 - self.last_epoch / self.total_iters)
                        / (1.0 - (self.last_epoch - 1) / self.total_iters)) ** self.power
        return [group["lr"] * decay_factor for group in self.optimizer.param_groups]

    def _get_closed_form_lr(self):
        return [base_lr * (1.0 - min(self.total_iters, self.last_epoch) / self.total_iters) ** self.power
                for base_lr in self.base_lrs]


class LambdaLR(LRScheduler):
    def __init__(self, optimizer, lr_lambda, last_epoch=-1):
        groups = len(optimizer.param_groups)
        self.lr_lambdas = list(lr_lambda) if isinstance(lr_lambda, (list, tuple)) else [lr_lambda] * groups
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        return [base_lr * factor(self.last_epoch) for factor, base_lr in zip(self.lr_lambdas, self.base_lrs)]


class SequentialLR(LRScheduler):
    def __init__(self, optimizer, schedulers, milestones, last_epoch=-1):
        if len(milestones) != len(schedulers) - 1:
            raise ValueError(
                "Sequential Schedulers expects number of schedulers provided to be one more than the number of "
                f"milestone points, but got number of schedulers {len(schedulers)} and the number of milestones to "
                f"be equal to {len(milestones)}")
        self._schedulers, self._milestones = list(schedulers), list(milestones)
        self.last_epoch = last_epoch + 1
        self.optimizer = optimizer
        for group in optimizer.param_groups:
            group["lr"] = group["initial_lr"]
        for scheduler in self._schedulers:
            scheduler.last_epoch -= 1
        first = self._schedulers[bisect.bisect_right(self._milestones, 0)]
        first._initial_step()
        self._last_lr = first.get_last_lr()

    def step(self):
        self.last_epoch += 1
        index = bisect.bisect_right(self._milestones, self.last_epoch)
        scheduler = self._schedulers[index]
        if index > 0 and self._milestones[index - 1] == self.last_epoch:
            scheduler._update_lr(0)
        else:
            scheduler.step()
        self._last_lr = scheduler.get_last_lr()


class ChainedScheduler(LRScheduler):
    """torch 2.13's: every scheduler steps each time, in order; nothing happens at construction."""

    def __init__(self, schedulers, optimizer=None):
        if len(schedulers) < 1:
            raise ValueError("ChainedScheduler expects at least one scheduler to be chained, but got no scheduler.")
        self._schedulers = list(schedulers)
        self.optimizer = optimizer if optimizer is not None else self._schedulers[0].optimizer
        self._last_lr = [group["lr"] for group in self._schedulers[-1].optimizer.param_groups]

    def step(self):
        for scheduler in self._schedulers:
            scheduler.step()
        self._last_lr = [group["lr"] for group in self._schedulers[-1].optimizer.param_groups]


class GradScaler:
    def __init__(self, *args, **kwargs):
        pass

    def scale(self, loss):
        return loss

    def step(self, optimizer, *args, **kwargs):
        return optimizer.step()

    def update(self, *args):
        return None

    def unscale_(self, optimizer):
        return None


class _NullContext:
    def __init__(self, *args, **kwargs):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def __call__(self, function):
        """``@torch.no_grad()`` as a decorator."""
        return function


# ---------------------------------------------------------------- MindSpore optimizers


class ListExhausted(RuntimeError):
    """What a MindSpore 2.10 optimizer raises one step past the end of its learning-rate list (measured on CPU)."""


class StandinArray(list):
    """``np.array(list_of_floats)``: the float64 values, whatever ``astype`` asks (see the module docstring)."""

    def astype(self, dtype):
        return self

    def tolist(self):
        return list(self)

    @property
    def shape(self):
        return (len(self),)


class StandinScalar(float):
    """``np.array(lr)`` of one number (a flag's constant lr): its float64 value, whatever ``astype`` asks, as for a
    list."""

    def astype(self, dtype):
        return self


def _schedule_of(learning_rate):
    """A list of per-step lrs, or a float for a constant lr."""
    if isinstance(learning_rate, Tensor) and learning_rate.rows is not None:
        return list(learning_rate.rows)
    if isinstance(learning_rate, Tensor):
        return float(learning_rate.value)
    if isinstance(learning_rate, (list, tuple)):
        return [float(value) for value in learning_rate]
    if isinstance(learning_rate, real_numpy.ndarray):
        return [float(value) for value in learning_rate.reshape(-1)] if learning_rate.ndim else float(learning_rate)
    return float(learning_rate)


class _LearningRateAt:
    """A MindSpore optimizer's ``learning_rate`` for a list: called with a step, it gathers that entry, as
    ``get_lr()`` does with ``global_step``; a fixed float lr is a Parameter, which cannot be called."""

    def __init__(self, schedule):
        self.schedule = schedule

    def __call__(self, step):
        if isinstance(self.schedule, float):
            raise TypeError("'Parameter' object is not callable")
        if not 0 <= int(step) < len(self.schedule):
            raise ListExhausted(f"For 'Gather', the 'input_indices' should be in the range [0, {len(self.schedule)}), "
                                f"but got {int(step)}, error_code[58]")
        return self.schedule[int(step)]


class MindSporeOptimizer:
    """A MindSpore optimizer: step ``i`` gathers element ``i`` of its list, and one step past the end raises."""

    def __init__(self, params, learning_rate=0.1, *args, **kwargs):
        params = list(params)
        groups = params if params and isinstance(params[0], dict) else [{"params": params}]
        self.schedules = [_schedule_of(group.get("lr", learning_rate)) for group in groups]
        cells = [_LearningRateAt(schedule) for schedule in self.schedules]
        self.learning_rate = cells if any("lr" in group for group in groups) else cells[0]
        self.parameters = [parameter for group in groups for parameter in group["params"]]
        self.global_step = 0

    def _current(self) -> list:
        lrs = []
        for schedule in self.schedules:
            if isinstance(schedule, float):
                lrs.append(schedule)
            elif self.global_step < len(schedule):
                lrs.append(schedule[self.global_step])
            else:
                raise ListExhausted(f"For 'Gather', the 'input_indices' should be in the range [0, {len(schedule)}), "
                                    f"but got {self.global_step}, error_code[58]")
        return lrs

    def __call__(self, grads=None):
        _RECORDER.record(self._current())
        self.global_step += 1
        return True

    def get_lr(self):
        """The lr of the next step, read without stepping (a tuple with several groups), as MindSpore 2.10 does."""
        lrs = self._current()
        return lrs[0] if len(lrs) == 1 else tuple(lrs)

    def step(self, closure=None):
        return self(None)

    def zero_grad(self, set_to_none=True):
        return None

    def state_dict(self):
        """Lenient like ``step``/``zero_grad``: the line is left to port (MIG112), the run's lrs are compared."""
        return {"global_step": self.global_step}


class MindSporeMomentum(MindSporeOptimizer):
    def __init__(self, params, learning_rate, momentum, *args, **kwargs):
        super().__init__(params, learning_rate)


class MindSporeAdam(MindSporeOptimizer):
    def __init__(self, params, learning_rate=1e-3, *args, **kwargs):
        super().__init__(params, learning_rate)


class MindSporeAdadelta(MindSporeOptimizer):
    def __init__(self, params, learning_rate=1.0, *args, **kwargs):
        super().__init__(params, learning_rate)


class TrainOneStepCell(Module):
    def __init__(self, network, optimizer, sens=None):
        super().__init__()
        self.network, self.optimizer = network, optimizer

    def __call__(self, *inputs):
        loss = self.network(*inputs)
        self.optimizer(None)
        return loss


class WithLossCell(Module):
    def __init__(self, backbone, loss_fn):
        super().__init__()
        self.backbone, self.loss_fn = backbone, loss_fn

    def __call__(self, data, label=None):
        return self.loss_fn(self.backbone(data), label)


class Model:
    """``mindspore.Model``: ``train(epochs, dataset)`` steps the optimizer once per batch, out of the program's
    sight."""

    def __init__(self, network, loss_fn=None, optimizer=None, metrics=None, **kwargs):
        self.network, self.optimizer = network, optimizer

    def train(self, epoch, train_dataset, callbacks=None, dataset_sink_mode=False, **kwargs):
        for _ in range(epoch):
            for _ in train_dataset.create_tuple_iterator():
                self.optimizer(None)

    def eval(self, *args, **kwargs):
        return {}


def value_and_grad(fn, grad_position=0, weights=None, has_aux=False):
    def compute(*inputs):
        return fn(*inputs), ()

    return compute


# ---------------------------------------------------------------- the module objects


class LightningModule(Module):
    """PyTorch Lightning's module: ``save_hyperparameters()`` keeps the ``__init__`` arguments as ``self.hparams``."""

    def save_hyperparameters(self, *args, **kwargs):
        caller = inspect.currentframe().f_back.f_locals
        self.hparams = types.SimpleNamespace(**{name: value for name, value in caller.items()
                                                if name not in ("self", "__class__")})

    def log(self, *args, **kwargs):
        return None


class Trainer:
    """Lightning's fit loop as far as the lr goes: ``configure_optimizers`` once, then every epoch each batch's
    ``training_step`` and one optimizer step; a returned scheduler is stepped after every optimizer step
    (``interval="step"``) or after the epoch's batches (``"epoch"``, the default). A MindSpore optimizer returned
    alone (the converted module) is stepped the same way."""

    def __init__(self, max_epochs=1000, **kwargs):
        self.max_epochs = max_epochs

    def fit(self, module, train_dataloaders=None, *args, **kwargs):
        module.trainer = self
        self.num_training_batches = len(train_dataloaders)
        optimizer, scheduler, interval = self._configured(module.configure_optimizers())
        for _ in range(self.max_epochs):
            for index, batch in enumerate(train_dataloaders):
                module.training_step(batch, index)
                optimizer.step()
                optimizer.zero_grad()
                if scheduler is not None and interval == "step":
                    scheduler.step()
            if scheduler is not None and interval == "epoch":
                scheduler.step()

    @staticmethod
    def _configured(returned):
        if isinstance(returned, dict):
            optimizer, config = returned["optimizer"], returned.get("lr_scheduler")
        elif isinstance(returned, tuple):
            (optimizer,), (config,) = returned
        else:
            return returned, None, "epoch"
        if isinstance(config, dict):
            return optimizer, config["scheduler"], config.get("interval", "epoch")
        return optimizer, config, "epoch"


def _module(name: str, **attributes) -> types.ModuleType:
    """A stand-in module; its spec lets real libraries probe for it (``importlib.util.find_spec("tqdm")``)."""
    module = types.ModuleType(name)
    module.__spec__ = importlib.machinery.ModuleSpec(name, loader=None)
    module.__dict__.update(attributes)
    return module


def _is_finite(tensor):
    return Tensor(value=1.0 if math.isfinite(_value_of(tensor)) else 0.0)


def _numpy_array(data, dtype=None, **kwargs):
    if isinstance(data, (list, tuple)) and all(isinstance(item, (int, float)) for item in data):
        return StandinArray(float(item) for item in data)
    if isinstance(data, (int, float)) and not isinstance(data, bool):
        return StandinScalar(data)
    return real_numpy.array(data, dtype=dtype, **kwargs)


def build_modules(cosine_decay_lr=mindspore_lr.cosine_decay_lr, warmup_lr=mindspore_lr.warmup_lr,
                  include_torch: bool = True) -> dict[str, types.ModuleType]:
    """Fresh stand-in modules by import name; ``cosine_decay_lr``/``warmup_lr`` can be the real MindSpore ones."""
    lr_scheduler = _module(
        "torch.optim.lr_scheduler", LRScheduler=LRScheduler, _LRScheduler=LRScheduler,
        CosineAnnealingLR=CosineAnnealingLR, StepLR=StepLR, MultiStepLR=MultiStepLR, LinearLR=LinearLR,
        ExponentialLR=ExponentialLR, LambdaLR=LambdaLR, SequentialLR=SequentialLR, ChainedScheduler=ChainedScheduler, ConstantLR=ConstantLR,
        PolynomialLR=PolynomialLR)
    optim = _module("torch.optim", SGD=SGD, Adam=Adam, AdamW=AdamW, Adadelta=Adadelta, Optimizer=TorchOptimizer,
                    lr_scheduler=lr_scheduler)
    data = _module("torch.utils.data", DataLoader=DataLoader, TensorDataset=Dataset, Dataset=Dataset)
    utils = _module("torch.utils", data=data)
    functional = _module("torch.nn.functional", mse_loss=lambda a, b, **k: Module()(a, b),
                         cross_entropy=lambda a, b, **k: Module()(a, b))
    torch_nn = _module("torch.nn", Module=Module, Linear=Module, Sequential=Module, ReLU=Module, MSELoss=Module,
                       CrossEntropyLoss=Module, Parameter=Parameter, functional=functional)
    amp = _module("torch.amp", GradScaler=GradScaler, autocast=_NullContext)
    cuda_amp = _module("torch.cuda.amp", GradScaler=GradScaler, autocast=_NullContext)
    cuda = _module("torch.cuda", amp=cuda_amp, is_available=lambda: False)
    saved: dict[str, object] = {}

    def load(path, **kwargs):
        if str(path) not in saved:
            raise FileNotFoundError(path)
        return copy.deepcopy(saved[str(path)])

    torch = _module(
        "torch", nn=torch_nn, optim=optim, utils=utils, cuda=cuda, amp=amp, Tensor=Tensor,
        save=lambda obj, path, **k: saved.__setitem__(str(path), copy.deepcopy(obj)), load=load,
        tensor=_tensor_from, randn=_filled, rand=_filled, randint=lambda low, high=None, size=(), **k: _filled(*size),
        zeros=_filled, ones=lambda *s, **k: _filled(*s, value=1.0),
        full=lambda shape, value, **k: _filled(*shape, value=value), isfinite=_is_finite, manual_seed=lambda s: None,
        no_grad=_NullContext, autocast=_NullContext, device=lambda *a, **k: "cpu", float32="float32")

    family = {"exponential_decay_lr": mindspore_family.exponential_decay_lr,
              "piecewise_constant_lr": mindspore_family.piecewise_constant_lr,
              "polynomial_decay_lr": mindspore_family.polynomial_decay_lr}
    dynamic_lr = _module("mindspore.nn.dynamic_lr", cosine_decay_lr=cosine_decay_lr, warmup_lr=warmup_lr, **family)
    ms_nn = _module(
        "mindspore.nn", cosine_decay_lr=cosine_decay_lr, warmup_lr=warmup_lr, dynamic_lr=dynamic_lr, **family,
        Cell=Module,
        Dense=Module, SequentialCell=Module, ReLU=Module, MSELoss=Module, SoftmaxCrossEntropyWithLogits=Module,
        SGD=MindSporeOptimizer, Momentum=MindSporeMomentum, Adam=MindSporeAdam, AdamWeightDecay=MindSporeAdam,
        Adadelta=MindSporeAdadelta,
        Optimizer=MindSporeOptimizer, TrainOneStepCell=TrainOneStepCell, WithLossCell=WithLossCell)
    dtype = _module("mindspore.common.dtype", float32="float32", float16="float16", int32="int32")
    common = _module("mindspore.common", dtype=dtype)
    dataset = _module("mindspore.dataset", NumpySlicesDataset=MindSporeDataset, GeneratorDataset=MindSporeDataset)
    callback = _module("mindspore.train.callback", LossMonitor=Module, TimeMonitor=Module, Callback=object)
    train = _module("mindspore.train", Model=Model, callback=callback, LossMonitor=Module)
    mindspore = _module(
        "mindspore", nn=ms_nn, Tensor=lambda data, dtype=None: _ms_tensor(data, dtype), Parameter=Parameter,
        float32="float32", dtype=dtype, common=common, dataset=dataset, train=train, Model=Model,
        value_and_grad=value_and_grad, set_context=lambda **k: None, set_seed=lambda s: None,
        context=_module("mindspore.context", set_context=lambda **k: None, PYNATIVE_MODE=1, GRAPH_MODE=0),
        PYNATIVE_MODE=1, GRAPH_MODE=0)
    lightning = _module("lightning", LightningModule=LightningModule, Trainer=Trainer)
    pytorch_lightning = _module("pytorch_lightning", LightningModule=LightningModule, Trainer=Trainer)
    numpy = _module("numpy", array=_numpy_array, asarray=_numpy_array)
    numpy.__getattr__ = lambda name: getattr(real_numpy, name)

    modules = {module.__name__: module for module in (
        mindspore, ms_nn, dynamic_lr, dtype, common, dataset, callback, train, mindspore.context)}
    modules["numpy"] = numpy
    modules.update(lightning=lightning, pytorch_lightning=pytorch_lightning)
    progress = _module("tqdm", tqdm=lambda iterable=None, *args, **kwargs: iterable,
                       trange=lambda *args, **kwargs: range(*args))
    modules.update(tqdm=progress, **{"tqdm.auto": _module("tqdm.auto", tqdm=progress.tqdm, trange=progress.trange)})
    if include_torch:
        modules.update((module.__name__, module) for module in (
            torch, torch_nn, functional, optim, lr_scheduler, utils, data, amp, cuda, cuda_amp))
    return modules


def _ms_tensor(data, dtype=None):
    if isinstance(data, (list, tuple, StandinArray)):
        return Tensor([float(item) for item in data], (len(data),), dtype=dtype)
    if isinstance(data, real_numpy.ndarray):
        return Tensor([float(item) for item in data.reshape(-1)], data.shape, dtype=dtype) if data.ndim else \
            Tensor(value=float(data), dtype=dtype)
    return Tensor(value=_value_of(data), dtype=dtype)


_RECORDER = Recorder(0)


@contextmanager
def installed(recorder: Recorder, modules: dict[str, types.ModuleType]):
    """``modules`` in ``sys.modules`` and ``recorder`` receiving steps, for one run only; restored afterwards."""
    global _RECORDER
    saved = {name: sys.modules.get(name) for name in modules}
    previous = _RECORDER
    sys.modules.update(modules)
    _RECORDER = recorder
    try:
        yield
    finally:
        _RECORDER = previous
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module
