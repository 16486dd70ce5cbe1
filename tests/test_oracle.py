"""The schedule models against the real torch 2.13 and MindSpore 2.10.

Bit-identical (``==``) where a faithful model is measured to be: the torch state machine, and the MindSpore list
replicas with their validation. Within the verifier's tolerance where the model is a closed form of torch's
recursion: the per-step schedule the verifier uses, against real torch driving an SGD optimizer. MindSpore under
MindSpore 2.10 under NumPy 2 cannot run eager Tensor ops, so only its pure-Python list functions are called.
"""

import math
import random

import numpy as np
import pytest

from migrate.schedules import (
    TorchCosineAnnealingLR,
    cosine_annealing_per_step,
    cosine_decay_lr,
    cosine_decay_per_step,
    warmup_lr,
    warmup_per_step,
)
from migrate.verify import ATOL_SCALE, RTOL
from oracles import group_lrs, sgd

SEED = 20251201
#: torch warns about ``step(epoch)`` and about stepping the scheduler before the optimizer; both are intended here.
pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


# --- torch: the state machine is bit-identical -------------------------------------------------------------------


def random_t_max(rng):
    kind = rng.random()
    if kind < 0.45:
        return rng.randint(1, 12)
    if kind < 0.75:
        return rng.randint(13, 400)
    if kind < 0.85:
        return rng.choice([997, 1000, 1999, 4096, 10007])
    if kind < 0.92:
        return -rng.randint(1, 12)
    return rng.randint(1, 20) + 0.5


def random_eta_min(rng, lrs):
    kind = rng.random()
    if kind < 0.3:
        return 0.0
    if kind < 0.65:
        return rng.uniform(0, min(lrs))
    if kind < 0.85:
        return rng.uniform(max(lrs), 2 * max(lrs))
    return -rng.uniform(0, max(lrs))


def torch_sweep_configs(count):
    rng = random.Random(SEED)
    for _ in range(count):
        lrs = [10 ** rng.uniform(-5, 0) for _ in range(rng.randint(1, 3))]
        T_max = random_t_max(rng)
        eta_min = random_eta_min(rng, lrs)
        period = 2 * abs(T_max)
        epochs = min(rng.randint(1, int(4 * period) + 2), 2500)
        resume = rng.random() < 0.15
        yield lrs, T_max, eta_min, epochs, resume, random.Random(rng.random())


def test_state_machine_is_bit_identical_to_torch(torch):
    values = 0
    for lrs, T_max, eta_min, epochs, resume, actions in torch_sweep_configs(300):
        last_epoch = actions.randint(0, int(2 * abs(T_max)) + 1) if resume else -1
        start = [lr * actions.choice([1.0, 0.5]) for lr in lrs] if resume else lrs
        initial_lrs = lrs if resume else None
        optimizer = sgd(torch, start, initial_lrs)
        real = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max, eta_min, last_epoch)
        groups = [{"lr": lr} for lr in start]
        for group, initial_lr in zip(groups, initial_lrs or []):
            group["initial_lr"] = initial_lr
        replica = TorchCosineAnnealingLR(groups, T_max, eta_min, last_epoch)
        for _ in range(epochs):
            assert group_lrs(groups) == group_lrs(optimizer.param_groups), (lrs, T_max, eta_min, real.last_epoch)
            assert replica.get_last_lr() == real.get_last_lr()
            assert replica.last_epoch == real.last_epoch
            values += len(groups)
            roll = actions.random()
            if roll < 0.01:
                epoch = actions.randint(0, int(3 * abs(T_max)) + 1) + actions.choice([0, 0, 0, 0.5])
                real.step(epoch)
                replica.step(epoch)
            elif roll < 0.02:
                factor = actions.uniform(0.3, 1.5)
                for group, real_group in zip(groups, optimizer.param_groups):
                    group["lr"] *= factor
                    real_group["lr"] *= factor
            else:
                real.step()
                replica.step()
    assert values > 200_000


@pytest.mark.parametrize(
    ("T_max", "eta_min", "epoch"),
    [(0, 0.0, None), (0.0, 0.0, None), (0, 0.0, 3), ("4", 0.0, None), (4, [0.0], None)],
)
def test_state_machine_fails_like_torch(torch, T_max, eta_min, epoch):
    real = torch.optim.lr_scheduler.CosineAnnealingLR(sgd(torch, [0.1]), T_max=T_max, eta_min=eta_min)
    replica = TorchCosineAnnealingLR([{"lr": 0.1}], T_max, eta_min)
    with pytest.raises(Exception) as expected:
        real.step(epoch)
    with pytest.raises(type(expected.value)) as caught:
        replica.step(epoch)
    assert str(caught.value) == str(expected.value)


@pytest.mark.parametrize("last_epoch", [0, 3, -2])
def test_resume_without_initial_lr_fails_like_torch(torch, last_epoch):
    with pytest.raises(KeyError) as expected:
        torch.optim.lr_scheduler.CosineAnnealingLR(sgd(torch, [0.1, 0.2]), T_max=10, last_epoch=last_epoch)
    with pytest.raises(KeyError) as caught:
        TorchCosineAnnealingLR([{"lr": 0.1}, {"lr": 0.2}], T_max=10, last_epoch=last_epoch)
    assert caught.value.args == expected.value.args


# --- torch: the verifier's per-step schedule, within tolerance ---------------------------------------------------


def lrs_used_by_sgd(torch, base_lr, T_max, eta_min, step_every, steps, *, update=True):
    """The lr of each ``optimizer.step()``, with ``scheduler.step()`` after every ``step_every`` of them.

    With ``update`` the optimizer really steps, and the lr is read from what it did: gradient 1 on a zeroed float64
    parameter moves it by exactly -lr. Without, the lr is read from the group, where SGD reads it; the long runs
    do that, as an optimizer step costs ~45 µs.
    """
    optimizer = sgd(torch, [base_lr])
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=T_max, eta_min=eta_min)
    group = optimizer.param_groups[0]
    (parameter,) = group["params"]
    parameter.grad = torch.ones_like(parameter)
    value = parameter.detach().numpy()
    used = np.empty(steps)
    for i in range(steps):
        if update:
            value[0] = 0.0
            optimizer.step()
            used[i] = -value[0]
        else:
            used[i] = group["lr"]
        if (i + 1) % step_every == 0:
            scheduler.step()
    return used


def assert_within_tolerance(observed, modelled, base_lr, eta_min):
    atol = ATOL_SCALE * max(abs(base_lr), abs(eta_min))
    close = np.isclose(observed, modelled, rtol=RTOL, atol=atol)
    assert close.all(), f"first difference at optimizer step {np.flatnonzero(~close)[0]}"


def cadence_configs(count):
    rng = random.Random(SEED + 1)
    for _ in range(count):
        base_lr = 10 ** rng.uniform(-5, 0)
        T_max = rng.choice([rng.randint(1, 30), rng.randint(31, 500)])
        eta_min = random_eta_min(rng, [base_lr])
        step_every = rng.choice([1, 1, rng.randint(2, 20)])
        epochs = rng.randint(1, 3 * 2 * T_max)
        yield base_lr, T_max, eta_min, step_every, min(epochs * step_every, 4000)


def test_per_step_schedule_matches_sgd_per_epoch_and_per_step(torch):
    steps = 0
    for base_lr, T_max, eta_min, step_every, run in cadence_configs(40):
        modelled = cosine_annealing_per_step(base_lr, T_max, eta_min, step_every, run)
        used = lrs_used_by_sgd(torch, base_lr, T_max, eta_min, step_every, run)
        assert_within_tolerance(used, modelled, base_lr, eta_min)
        steps += run
    assert steps > 20_000


@pytest.mark.parametrize(
    ("base_lr", "T_max", "eta_min", "step_every", "steps"),
    [
        (1.0, 1000, 0.0, 1, 50 * 2000 + 1),
        (0.1, 997, 0.001, 1, 20 * 2 * 997),
        (0.1, 10**5, 0.001, 1, 10**5 + 1),
        (3e-4, 250, 1e-6, 7, 4 * 2 * 250 * 7),
    ],
)
def test_per_step_schedule_matches_long_sgd_runs(torch, base_lr, T_max, eta_min, step_every, steps):
    modelled = cosine_annealing_per_step(base_lr, T_max, eta_min, step_every, steps)
    used = lrs_used_by_sgd(torch, base_lr, T_max, eta_min, step_every, steps, update=False)
    assert_within_tolerance(used, modelled, base_lr, eta_min)


# --- MindSpore: the list replicas are bit-identical, validation included -----------------------------------------


def cosine_decay_configs(count):
    rng = random.Random(SEED + 2)
    for index in range(count):
        max_lr = 10 ** rng.uniform(-6, 0.5)
        min_lr = 0.0 if rng.random() < 0.25 else rng.uniform(0, max_lr * 0.999)
        step_per_epoch = rng.randint(1, 60)
        decay_epoch = rng.randint(1, 300)
        total_step = rng.randint(1, min(6000, (decay_epoch + rng.randint(0, 20)) * step_per_epoch))
        if index % 10 == 0:
            min_lr, max_lr = np.float64(min_lr), np.float64(max_lr)
        yield min_lr, max_lr, total_step, step_per_epoch, decay_epoch


def test_cosine_decay_lr_is_bit_identical(ms_nn):
    elements = 0
    for args in cosine_decay_configs(300):
        expected = ms_nn.cosine_decay_lr(*args)
        listed = cosine_decay_lr(*args)
        assert listed == expected, args
        assert [type(value) for value in listed] == [type(value) for value in expected]
        per_step = cosine_decay_per_step(*args, steps=args[2] + 3)
        assert per_step[: args[2]].tolist() == expected
        assert np.isposinf(per_step[args[2] :]).all()
        elements += len(expected)
    assert elements > 200_000


def test_warmup_lr_is_bit_identical(ms_nn):
    rng = random.Random(SEED + 3)
    for _ in range(100):
        args = (10 ** rng.uniform(-6, 0.5), rng.randint(1, 3000), rng.randint(1, 40), rng.randint(1, 100))
        expected = ms_nn.warmup_lr(*args)
        assert warmup_lr(*args) == expected, args
        assert warmup_per_step(*args, steps=args[1]).tolist() == expected
    assert warmup_lr(0.0, 4, 1, 2) == ms_nn.warmup_lr(0.0, 4, 1, 2)


BAD_COSINE_DECAY = [
    (0, 0.1, 6, 2, 2),
    (False, 0.1, 6, 2, 2),
    ("0.0", 0.1, 6, 2, 2),
    (None, 0.1, 6, 2, 2),
    (np.float32(0.0), 0.1, 6, 2, 2),
    (-0.01, 0.1, 6, 2, 2),
    (np.float64(-0.5), 0.1, 6, 2, 2),
    (math.nan, 0.1, 6, 2, 2),
    (-math.inf, 0.1, 6, 2, 2),
    (0.0, 1, 6, 2, 2),
    (0.0, True, 6, 2, 2),
    (0.0, "0.1", 6, 2, 2),
    (0.0, 0.0, 6, 2, 2),
    (0.0, -0.1, 6, 2, 2),
    (0.0, math.inf, 6, 2, 2),
    (0.0, math.nan, 6, 2, 2),
    (0.0, 0.1, 0, 2, 2),
    (0.0, 0.1, -1, 2, 2),
    (0.0, 0.1, 6.0, 2, 2),
    (0.0, 0.1, np.int64(6), 2, 2),
    (0.0, 0.1, True, 2, 2),
    (0.0, 0.1, 2**70, 2, 2),
    (0.0, 0.1, 10**400, 2, 2),
    (0.0, 0.1, 6, 0, 2),
    (0.0, 0.1, 6, 2.0, 2),
    (0.0, 0.1, 6, True, 2),
    (0.0, 0.1, 6, 2, 0),
    (0.0, 0.1, 6, 2, -3),
    (0.0, 0.1, 6, 2, 2.0),
    (0.0, 0.1, 6, 2, True),
    (0.2, 0.1, 0, 2, 2),
    (0.2, 0.1, 6, 2, 2),
    (0.1, 0.1, 6, 2, 2),
]

BAD_WARMUP = [
    (1, 6, 2, 2),
    (None, 6, 2, 2),
    (-0.1, 6, 2, 2),
    (math.inf, 6, 2, 2),
    (0.1, 0, 2, 0),
    (0.1, 0, 2, 2),
    (0.1, 6.0, 2, 2),
    (0.1, 6, 0, 2),
    (0.1, 6, 2, True),
    (0.1, 6, np.int64(2), 2),
]


def assert_same_failure(real, replicas):
    with pytest.raises(Exception) as expected:
        real()
    for replica in replicas:
        with pytest.raises(Exception) as caught:
            replica()
        assert (type(caught.value), str(caught.value)) == (type(expected.value), str(expected.value))


@pytest.mark.parametrize("args", BAD_COSINE_DECAY)
def test_cosine_decay_lr_fails_like_mindspore(ms_nn, args):
    assert_same_failure(
        lambda: ms_nn.cosine_decay_lr(*args),
        [lambda: cosine_decay_lr(*args), lambda: cosine_decay_per_step(*args, steps=5)],
    )


@pytest.mark.parametrize("args", BAD_WARMUP)
def test_warmup_lr_fails_like_mindspore(ms_nn, args):
    assert_same_failure(
        lambda: ms_nn.warmup_lr(*args),
        [lambda: warmup_lr(*args), lambda: warmup_per_step(*args, steps=5)],
    )
