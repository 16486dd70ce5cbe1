"""The sibling schedulers' and MindSpore list functions' models against the real torch 2.13 and MindSpore 2.10.

Every comparison is exact (``==``): the torch replicas are state machines in torch's arithmetic order, their
per-step forms multiply the same factors in the same order, and the MindSpore replicas repeat its list loops.
"""

import math
import random

import numpy as np
import pytest

from migrate.schedules import mindspore_family as msf
from migrate.schedules import torch_family as tf
from oracles import group_lrs, sgd

SEED = 20251210
pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


# --- torch: random configurations of each scheduler --------------------------------------------------------------


def random_kwargs(name, rng):
    """Arguments for ``name``, a third of them past the usual ranges (int/float factors, step sizes of 1)."""
    factor = lambda: rng.choice([rng.uniform(0.01, 1.0), 0.5, 1.0, 1 / 3])  # noqa: E731
    if name == "StepLR":
        return {"step_size": rng.choice([1, rng.randint(1, 15), rng.randint(1, 4) + 0.5]), "gamma": factor()}
    if name == "MultiStepLR":
        milestones = [rng.choice([rng.randint(0, 40), rng.randint(0, 40) + 0.5, float(rng.randint(0, 40))])
                      for _ in range(rng.randint(0, 5))]
        return {"milestones": milestones, "gamma": rng.choice([factor(), 2, 0.1])}
    if name == "ConstantLR":
        return {"factor": factor(), "total_iters": rng.choice([0, 1, rng.randint(1, 30), 4.0])}
    if name == "LinearLR":
        return {
            "start_factor": factor(),
            "end_factor": rng.choice([1.0, factor(), 0.0]),
            "total_iters": rng.choice([1, rng.randint(1, 40), 2.5]),
        }
    if name == "ExponentialLR":
        return {"gamma": rng.choice([rng.uniform(0.8, 1.0), factor(), 1.05])}
    if name == "PolynomialLR":
        return {"total_iters": rng.choice([1, rng.randint(1, 40), 7.5]), "power": rng.choice([1.0, 2, 0.5, 3.7])}
    if name == "CosineAnnealingLR":
        return {"T_max": rng.randint(1, 30), "eta_min": rng.choice([0.0, 1e-4])}
    raise AssertionError(name)


NAMES = ["StepLR", "MultiStepLR", "ConstantLR", "LinearLR", "ExponentialLR", "PolynomialLR"]


def build(module, name, groups, kwargs, last_epoch=-1):
    """The real scheduler (``module`` is torch's lr_scheduler) or the replica (``module`` is None)."""
    if module is None:
        replica = tf.REPLICAS[f"torch.{name}"]
        return replica(groups, **kwargs, last_epoch=last_epoch)
    return getattr(module, name)(groups, **kwargs, last_epoch=last_epoch)


def assert_same_run(optimizer, real, groups, replica, epochs, actions):
    """Step both, with the odd ``step(epoch)`` jump and external write, checking every group's lr after each."""
    for _ in range(epochs):
        assert group_lrs(groups) == group_lrs(optimizer.param_groups)
        assert replica.get_last_lr() == real.get_last_lr()
        roll = actions.random()
        if roll < 0.03 and hasattr(real, "_get_closed_form_lr"):
            epoch = actions.randint(0, 40)
            real.step(epoch)
            replica.step(epoch)
        elif roll < 0.06:
            for group, real_group in zip(groups, optimizer.param_groups):
                group["lr"] *= 0.5
                real_group["lr"] *= 0.5
        else:
            real.step()
            replica.step()
    assert group_lrs(groups) == group_lrs(optimizer.param_groups)


@pytest.mark.parametrize("name", NAMES)
def test_state_machines_are_bit_identical(torch, name):
    rng = random.Random(f"{SEED}{name}")
    for _ in range(100):
        lrs = [10 ** rng.uniform(-5, 0) for _ in range(rng.randint(1, 3))]
        kwargs = random_kwargs(name, rng)
        resume = rng.random() < 0.2
        last_epoch = rng.randint(0, 10) if resume else -1
        initial_lrs = [lr * rng.choice([1.0, 2.0]) for lr in lrs] if resume else None
        optimizer = sgd(torch, lrs, initial_lrs)
        real = build(torch.optim.lr_scheduler, name, optimizer, kwargs, last_epoch)
        groups = [dict(lr=lr, **({"initial_lr": i} if resume else {})) for lr, i in zip(lrs, initial_lrs or lrs)]
        replica = build(None, name, groups, kwargs, last_epoch)
        assert_same_run(optimizer, real, groups, replica, rng.randint(1, 80), random.Random(rng.random()))


def test_lambda_lr_is_bit_identical(torch):
    lambdas = [lambda e: 0.95**e, lambda e: e // 30, lambda e: min(1.0, (e + 1) / 5), lambda e: 1 / (1 + e) ** 0.5]
    rng = random.Random(SEED)
    for _ in range(40):
        lrs = [10 ** rng.uniform(-4, 0) for _ in range(rng.randint(1, 3))]
        lr_lambda = rng.choice(lambdas) if rng.random() < 0.6 else [rng.choice(lambdas) for _ in lrs]
        optimizer = sgd(torch, lrs)
        real = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda)
        groups = [{"lr": lr} for lr in lrs]
        replica = tf.TorchLambdaLR(groups, lr_lambda)
        assert_same_run(optimizer, real, groups, replica, 60, random.Random(rng.random()))


WARMUPS = ["LinearLR", "ConstantLR", "ExponentialLR"]
MAINS = ["CosineAnnealingLR", "StepLR", "MultiStepLR", "PolynomialLR", "ExponentialLR"]


def chain_specs(rng):
    count = rng.choice([2, 2, 3])
    names = [rng.choice(WARMUPS)] + [rng.choice(MAINS) for _ in range(count - 1)]
    return [(name, random_kwargs(name, rng)) for name in names]


def test_sequential_lr_is_bit_identical(torch):
    """Several milestones, several groups, runs past every milestone; the inner ones restart at their closed form."""
    rng = random.Random(SEED + 1)
    lr_scheduler = torch.optim.lr_scheduler
    for _ in range(100):
        lrs = [10 ** rng.uniform(-4, 0) for _ in range(rng.randint(1, 3))]
        specs = chain_specs(rng)
        milestones = sorted(rng.randint(1, 25) for _ in specs[1:])
        optimizer = sgd(torch, lrs)
        real = lr_scheduler.SequentialLR(optimizer, [build(lr_scheduler, n, optimizer, k) for n, k in specs], milestones)
        groups = [{"lr": lr} for lr in lrs]
        replica = tf.TorchSequentialLR(groups, [build(None, n, groups, k) for n, k in specs], milestones)
        for _ in range(milestones[-1] + 30):
            assert group_lrs(groups) == group_lrs(optimizer.param_groups), (specs, milestones)
            assert replica.get_last_lr() == real.get_last_lr()
            real.step()
            replica.step()


def test_chained_scheduler_is_bit_identical(torch):
    rng = random.Random(SEED + 2)
    lr_scheduler = torch.optim.lr_scheduler
    for _ in range(100):
        lrs = [10 ** rng.uniform(-4, 0) for _ in range(rng.randint(1, 3))]
        specs = chain_specs(rng)
        optimizer = sgd(torch, lrs)
        real = lr_scheduler.ChainedScheduler([build(lr_scheduler, n, optimizer, k) for n, k in specs])
        groups = [{"lr": lr} for lr in lrs]
        replica = tf.TorchChainedScheduler([build(None, n, groups, k) for n, k in specs])
        for _ in range(60):
            assert group_lrs(groups) == group_lrs(optimizer.param_groups), specs
            assert replica.get_last_lr() == real.get_last_lr()
            real.step()
            replica.step()


@pytest.mark.parametrize("inner_first", [True, False])
def test_nested_sequential_lr_is_bit_identical(torch, inner_first):
    """A nested SequentialLR runs first; after an outer milestone torch fails (it has no ``get_lr``), as the replica."""
    lr_scheduler = torch.optim.lr_scheduler

    def nested(module, sequential, optimizer):
        inner = sequential(
            optimizer,
            [
                build(module, "ConstantLR", optimizer, {"factor": 0.5, "total_iters": 2}),
                build(module, "ExponentialLR", optimizer, {"gamma": 0.9}),
            ],
            [3],
        )
        other = build(module, "LinearLR", optimizer, {"start_factor": 0.1, "total_iters": 4})
        return sequential(optimizer, [inner, other] if inner_first else [other, inner], [6])

    optimizer = sgd(torch, [0.1, 0.3])
    real = nested(lr_scheduler, lr_scheduler.SequentialLR, optimizer)
    groups = [{"lr": 0.1}, {"lr": 0.3}]
    replica = nested(None, tf.TorchSequentialLR, groups)
    for _ in range(5):
        assert group_lrs(groups) == group_lrs(optimizer.param_groups)
        real.step()
        replica.step()
    if inner_first:
        for _ in range(10):
            real.step()
            replica.step()
            assert group_lrs(groups) == group_lrs(optimizer.param_groups)
    else:
        with pytest.raises(NotImplementedError):
            real.step()
        with pytest.raises(NotImplementedError):
            replica.step()


# --- torch: the per-step forms against SGD's groups --------------------------------------------------------------


def lrs_seen(optimizer, scheduler, step_every, steps):
    group = optimizer.param_groups[0]
    seen = np.empty(steps)
    for i in range(steps):
        seen[i] = group["lr"]
        if (i + 1) % step_every == 0:
            scheduler.step()
    return seen


@pytest.mark.parametrize("name", NAMES)
def test_per_step_forms_are_bit_identical(torch, name):
    rng = random.Random(f"{SEED}per-step{name}")
    for _ in range(30):
        base_lr, kwargs, step_every = 10 ** rng.uniform(-4, 0), random_kwargs(name, rng), rng.choice([1, 3, 7])
        steps = rng.randint(1, 300)
        optimizer = sgd(torch, [base_lr])
        real = build(torch.optim.lr_scheduler, name, optimizer, kwargs)
        modelled = tf.torch_per_step(f"torch.{name}", base_lr, kwargs, step_every, steps)
        assert modelled.tolist() == lrs_seen(optimizer, real, step_every, steps).tolist(), kwargs


def test_long_exponential_per_step_is_bit_identical(torch):
    optimizer = sgd(torch, [0.1])
    real = torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=0.9999)
    modelled = tf.torch_per_step("torch.ExponentialLR", 0.1, {"gamma": 0.9999}, 1, 50_000)
    assert modelled.tolist() == lrs_seen(optimizer, real, 1, 50_000).tolist()


def test_lambda_per_step_is_bit_identical(torch):
    lr_lambda = lambda e: min(1.0, (e + 1) / 5) * 0.97**e  # noqa: E731
    optimizer = sgd(torch, [0.3])
    real = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda)
    modelled = tf.torch_per_step("torch.LambdaLR", 0.3, {"lr_lambda": lr_lambda}, 4, 200)
    assert modelled.tolist() == lrs_seen(optimizer, real, 4, 200).tolist()


def test_sequential_and_chained_per_step(torch):
    """Exact but for a cosine segment, which is its closed form (as the cosine model is), within 1e-15 relative."""
    rng = random.Random(SEED + 3)
    lr_scheduler = torch.optim.lr_scheduler
    for _ in range(60):
        base_lr, step_every = 10 ** rng.uniform(-4, 0), rng.choice([1, 2, 5])
        specs = chain_specs(rng)
        milestones = sorted(rng.randint(1, 25) for _ in specs[1:])
        steps = (milestones[-1] + 30) * step_every
        named = [(f"torch.{n}", k) for n, k in specs]
        optimizer = sgd(torch, [base_lr])
        real = lr_scheduler.SequentialLR(optimizer, [build(lr_scheduler, n, optimizer, k) for n, k in specs], milestones)
        modelled = tf.sequential_per_step(base_lr, named, milestones, step_every, steps)
        seen = lrs_seen(optimizer, real, step_every, steps)
        if any(n == "CosineAnnealingLR" for n, _ in specs):
            assert np.allclose(modelled, seen, rtol=1e-13, atol=1e-18), specs
        else:
            assert modelled.tolist() == seen.tolist(), specs
        if all(n != "CosineAnnealingLR" for n, _ in specs):
            optimizer = sgd(torch, [base_lr])
            real = lr_scheduler.ChainedScheduler([build(lr_scheduler, n, optimizer, k) for n, k in specs])
            modelled = tf.chained_per_step(base_lr, named, step_every, steps)
            assert modelled.tolist() == lrs_seen(optimizer, real, step_every, steps).tolist(), specs


# --- torch: bad inputs -------------------------------------------------------------------------------------------


BAD_TORCH = [
    ("ConstantLR", {"factor": 1.5}),
    ("ConstantLR", {"factor": -0.1}),
    ("ConstantLR", {"factor": 0.0, "total_iters": 2}),
    ("LinearLR", {"start_factor": 0.0}),
    ("LinearLR", {"start_factor": 1.2}),
    ("LinearLR", {"end_factor": 1.5}),
    ("LinearLR", {"end_factor": -0.5}),
    ("LinearLR", {"total_iters": 0}),
    ("StepLR", {"step_size": 0}),
    ("StepLR", {"step_size": 1, "gamma": "0.1"}),
    ("MultiStepLR", {"milestones": 3}),
    ("MultiStepLR", {"milestones": [1], "gamma": None}),
    ("ExponentialLR", {"gamma": "0.9"}),
    ("PolynomialLR", {"total_iters": 0}),
    ("PolynomialLR", {"total_iters": 2, "power": -1.0}),
]


def outcome(compute):
    """What ``compute`` returns, or the type and message of what it raises."""
    try:
        return compute()
    except Exception as exc:  # noqa: BLE001 - any exception is an outcome to compare
        return type(exc), str(exc)


@pytest.mark.parametrize(("name", "kwargs"), BAD_TORCH)
def test_bad_arguments_behave_like_torch(torch, name, kwargs):
    """Same exception and message, at the same step, or (``total_iters=0``) the same lrs without one."""

    def run(module, groups):
        scheduler = build(module, name, groups, kwargs)
        seen = []
        for _ in range(4):
            scheduler.step()
            seen.append(scheduler.get_last_lr()[0])
        return seen

    expected = outcome(lambda: run(torch.optim.lr_scheduler, sgd(torch, [0.1])))
    assert outcome(lambda: run(None, [{"lr": 0.1}])) == expected
    if isinstance(expected, tuple):
        assert outcome(lambda: tf.torch_per_step(f"torch.{name}", 0.1, kwargs, 1, 5)) == expected


@pytest.mark.parametrize("name", NAMES)
def test_resume_without_initial_lr_fails_like_torch(torch, name):
    kwargs = random_kwargs(name, random.Random(SEED))
    with pytest.raises(KeyError) as expected:
        build(torch.optim.lr_scheduler, name, sgd(torch, [0.1, 0.2]), kwargs, last_epoch=2)
    with pytest.raises(KeyError) as caught:
        build(None, name, [{"lr": 0.1}, {"lr": 0.2}], kwargs, last_epoch=2)
    assert caught.value.args == expected.value.args


def test_chain_construction_errors_like_torch(torch):
    lr_scheduler = torch.optim.lr_scheduler
    optimizer = sgd(torch, [0.1])
    groups = [{"lr": 0.1}]
    cases = [
        (lambda: lr_scheduler.SequentialLR(optimizer, [], []), lambda: tf.TorchSequentialLR(groups, [], [])),
        (
            lambda: lr_scheduler.SequentialLR(optimizer, [lr_scheduler.StepLR(optimizer, 2)], [3]),
            lambda: tf.TorchSequentialLR(groups, [tf.TorchStepLR(groups, 2)], [3]),
        ),
        (lambda: lr_scheduler.ChainedScheduler([]), lambda: tf.TorchChainedScheduler([])),
        (
            lambda: lr_scheduler.SequentialLR(optimizer, [object()], []),
            lambda: tf.TorchSequentialLR(groups, [object()], []),
        ),
    ]
    for real, replica in cases:
        with pytest.raises(Exception) as expected:
            real()
        with pytest.raises(type(expected.value)) as caught:
            replica()
        assert str(caught.value) == str(expected.value)


# --- MindSpore: the list functions -------------------------------------------------------------------------------


def decay_configs(rng, count):
    for index in range(count):
        learning_rate = 10 ** rng.uniform(-5, 0.5)
        decay_rate = rng.choice([rng.uniform(0.01, 1.0), rng.uniform(1.0, 3.0), 0.5])
        step_per_epoch = rng.randint(1, 20)
        decay_epoch = rng.randint(1, 40)
        total_step = rng.randint(1, 1500)
        if index % 10 == 0:
            learning_rate = np.float64(learning_rate)
        yield learning_rate, decay_rate, total_step, step_per_epoch, decay_epoch, rng.random() < 0.5


@pytest.mark.parametrize("function", ["exponential_decay_lr", "natural_exp_decay_lr", "inverse_decay_lr"])
def test_decay_lists_are_bit_identical(ms_nn, function):
    rng = random.Random(f"{SEED}{function}")
    replica, real = getattr(msf, function), getattr(ms_nn, function)
    per_step = getattr(msf, function.replace("_lr", "_per_step"))
    for args in decay_configs(rng, 100):
        expected = real(*args)
        assert replica(*args) == expected, args
        assert [type(v) for v in replica(*args)] == [type(v) for v in expected]
        modelled = per_step(*args, steps=args[2] + 3)
        assert modelled[: args[2]].tolist() == expected
        assert np.isposinf(modelled[args[2] :]).all()


def test_polynomial_decay_lr_is_bit_identical(ms_nn):
    rng = random.Random(SEED + 4)
    for _ in range(100):
        learning_rate = 10 ** rng.uniform(-4, 0.5)
        end = rng.choice([0.0, learning_rate * rng.uniform(0, 1), learning_rate * 2])
        args = (learning_rate, end, rng.randint(1, 1500), rng.randint(1, 20), rng.randint(1, 40),
                rng.choice([1.0, 2.0, 0.5, rng.uniform(0.1, 4)]), rng.random() < 0.4)
        expected = ms_nn.polynomial_decay_lr(*args)
        assert msf.polynomial_decay_lr(*args) == expected, args
        assert msf.polynomial_decay_per_step(*args, steps=args[2]).tolist() == expected


def test_piecewise_constant_lr_is_bit_identical(ms_nn):
    rng = random.Random(SEED + 5)
    for _ in range(100):
        milestone = sorted(rng.randint(1, 300) for _ in range(rng.randint(1, 6)))
        learning_rates = [rng.choice([10 ** rng.uniform(-5, 0), np.float64(0.1)]) for _ in milestone]
        expected = ms_nn.piecewise_constant_lr(milestone, learning_rates)
        listed = msf.piecewise_constant_lr(milestone, learning_rates)
        assert listed == expected
        assert [type(v) for v in listed] == [type(v) for v in expected]
        steps = rng.randint(0, milestone[-1] + 5)
        modelled = msf.piecewise_constant_per_step(tuple(milestone), learning_rates, steps)
        assert modelled.tolist() == (expected + [math.inf] * steps)[:steps]


BAD_PIECEWISE = [
    (3, [0.1]),
    ([3], 0.1),
    (True, [0.1]),
    ([3, 5], [0.1]),
    ([0], [0.1]),
    ([3.0], [0.1]),
    ([True], [0.1]),
    ([3], [1]),
    ([3], [True]),
    ([3], [math.inf]),
    ([3], [math.nan]),
    ([3], [np.float32(0.1)]),
    ([5, 3], [0.1, 0.01]),
    ([np.int64(3)], [0.1]),
]

BAD_DECAY = [
    (0.1, 0.9, 0, 1, 1),
    (0.1, 0.9, 10, 0, 1),
    (0.1, 0.9, 10, 1, 0),
    (0.1, 0.9, 10.0, 1, 1),
    (1, 0.9, 10, 1, 1),
    (0.0, 0.9, 10, 1, 1),
    (-0.1, 0.9, 10, 1, 1),
    (math.inf, 0.9, 10, 1, 1),
    (0.1, 1, 10, 1, 1),
    (0.1, 0.0, 10, 1, 1),
    (0.1, math.nan, 10, 1, 1),
    (0.1, 0.9, 10, 1, 1, 1),
    (0.1, 0.9, 10, 1, 1, None),
    (0.1, 0.9, 10, 1, 1, 0.5),
    (0.1, 0.9, True, 1, 1),
]

BAD_POLYNOMIAL = [
    (1, 0.0, 10, 1, 5, 1.0),
    (0.0, 0.0, 10, 1, 5, 1.0),
    (0.1, 0, 10, 1, 5, 1.0),
    (0.1, -0.01, 10, 1, 5, 1.0),
    (0.1, math.nan, 10, 1, 5, 1.0),
    (0.1, 0.0, 10, 1, 5, 1),
    (0.1, 0.0, 10, 1, 5, 0.0),
    (0.1, 0.0, 0, 1, 5, 1.0),
    (0.1, 0.0, 10, 0, 5, 1.0),
    (0.1, 0.0, 10, 1, 0, 1.0),
    (0.1, 0.0, 10, 1, 5, 1.0, 1),
    (0.1, 0.0, 10, 1, 5, 1.0, "yes"),
]


def assert_same_failure(real, replicas):
    with pytest.raises(Exception) as expected:
        real()
    for replica in replicas:
        with pytest.raises(Exception) as caught:
            replica()
        assert (type(caught.value), str(caught.value)) == (type(expected.value), str(expected.value))


@pytest.mark.parametrize("args", BAD_PIECEWISE)
def test_piecewise_constant_lr_fails_like_mindspore(ms_nn, args):
    assert_same_failure(
        lambda: ms_nn.piecewise_constant_lr(*args),
        [lambda: msf.piecewise_constant_lr(*args), lambda: msf.piecewise_constant_per_step(*args, steps=4)],
    )


@pytest.mark.parametrize("function", ["exponential_decay_lr", "natural_exp_decay_lr", "inverse_decay_lr"])
@pytest.mark.parametrize("args", BAD_DECAY)
def test_decay_lists_fail_like_mindspore(ms_nn, function, args):
    full = args + (False,) * (6 - len(args))
    per_step = getattr(msf, function.replace("_lr", "_per_step"))
    assert_same_failure(
        lambda: getattr(ms_nn, function)(*args),
        [lambda: getattr(msf, function)(*args), lambda: per_step(*full, steps=4)],
    )


@pytest.mark.parametrize("args", BAD_POLYNOMIAL)
def test_polynomial_decay_lr_fails_like_mindspore(ms_nn, args):
    full = args + (False,) * (7 - len(args))
    assert_same_failure(
        lambda: ms_nn.polynomial_decay_lr(*args),
        [lambda: msf.polynomial_decay_lr(*args), lambda: msf.polynomial_decay_per_step(*full, steps=4)],
    )
