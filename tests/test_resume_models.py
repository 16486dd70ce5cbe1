"""The resume and epoch-start models against the real torch 2.13 and MindSpore 2.10: ``CosineAnnealingLR`` built with
``last_epoch`` on an optimizer holding ``initial_lr``, and ``cosine_decay_lr(...)[start:]``; and the identity the
rewrites rely on: a fresh-lr resume at epoch ``s`` is the list of the cosine through
``eta_min + 2 * (lr - eta_min) / (1 + cos(pi * s / T_max))``, sliced at ``s * step_per_epoch``."""

import math
import random

import numpy as np
import pytest
from oracles import sgd

from migrate.schedules import model
from migrate.verify import ATOL_SCALE, RTOL

SEED = 20261207
pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


def real_resumed(torch, initial_lr, start_lr, T_max, eta_min, start_epoch, step_every, steps):
    optimizer = sgd(torch, [start_lr], [initial_lr])
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=T_max, eta_min=eta_min,
                                                           last_epoch=start_epoch - 1)
    seen = np.empty(steps)
    for i in range(steps):
        seen[i] = optimizer.param_groups[0]["lr"]
        if (i + 1) % step_every == 0:
            scheduler.step()
    return seen


def resume_configs(count):
    rng = random.Random(SEED)
    for index in range(count):
        initial_lr = 10 ** rng.uniform(-4, 0)
        T_max = rng.choice([1, 2, 7, rng.randint(1, 60)])
        start_epoch = rng.choice([0, 1, rng.randint(0, T_max), rng.randint(0, 3 * T_max)])
        start_lr = initial_lr if index % 3 else initial_lr * rng.uniform(0.05, 1.5)
        eta_min = rng.choice([0.0, 1e-6, initial_lr * rng.uniform(0, 0.5)])
        step_every = rng.choice([1, rng.randint(2, 6)])
        yield initial_lr, start_lr, T_max, eta_min, start_epoch, step_every, rng.randint(1, 4 * T_max * step_every)


@pytest.mark.parametrize("config", list(resume_configs(120)), ids=lambda config: "-".join(f"{v:.3g}" for v in config))
def test_torch_resumed_model_matches_torch(torch, config):
    initial_lr, start_lr, T_max, eta_min, start_epoch, step_every, steps = config
    expected = real_resumed(torch, *config)
    modelled = model("torch.ResumedCosineAnnealingLR").per_step(
        {"initial_lr": initial_lr, "start_lr": start_lr, "T_max": T_max, "eta_min": eta_min,
         "start_epoch": start_epoch, "step_every": step_every}, steps)
    np.testing.assert_allclose(modelled, expected, rtol=RTOL, atol=ATOL_SCALE * initial_lr)


def test_torch_resume_without_initial_lr_raises_torchs_key_error(torch):
    with pytest.raises(KeyError) as real:
        torch.optim.lr_scheduler.CosineAnnealingLR(sgd(torch, [0.1]), T_max=10, last_epoch=3)
    with pytest.raises(KeyError) as modelled:
        from migrate.schedules.torch_cosine import TorchCosineAnnealingLR

        TorchCosineAnnealingLR([{"lr": 0.1}], 10, last_epoch=3)
    assert modelled.value.args == real.value.args


@pytest.mark.parametrize("start", [0, 1, 7, 24, 30, 31])
def test_sliced_list_model_matches_mindspore(ms_nn, start):
    full = ms_nn.cosine_decay_lr(0.001, 0.1, 30, 3, 8)
    modelled = model("mindspore.sliced_cosine_decay_lr").per_step(
        {"min_lr": 0.001, "max_lr": 0.1, "total_step": 30, "step_per_epoch": 3, "decay_epoch": 8, "start": start}, 12)
    kept = full[start:start + 12]
    np.testing.assert_array_equal(modelled[:len(kept)], kept)
    assert np.isinf(modelled[len(kept):]).all(), "past the end of the sliced list the optimizer raises"


@pytest.mark.parametrize("start_epoch, T_max, step_every", [(0, 10, 1), (3, 10, 4), (5, 8, 2), (9, 10, 3)])
def test_fresh_lr_resume_is_the_rescaled_list_sliced(torch, ms_nn, start_epoch, T_max, step_every):
    base, eta_min, epochs = 0.1, 0.001, T_max
    torch_run = real_resumed(torch, base, base, T_max, eta_min, start_epoch, step_every,
                             (epochs - start_epoch) * step_every)
    rescaled = eta_min + 2 * (base - eta_min) / (1 + math.cos(math.pi * start_epoch / T_max))
    sliced = ms_nn.cosine_decay_lr(eta_min, rescaled, epochs * step_every, step_every, T_max)[
        start_epoch * step_every:]
    np.testing.assert_allclose(sliced, torch_run, rtol=1e-12)


@pytest.mark.parametrize("T_max, eta_min, step_every, steps", [(10, 0.0, 1, 30), (7, 1e-3, 4, 60), (3, 0.0, 2, 20),
                                                                (50, 1e-5, 3, 90)])
def test_the_epoch_start_model_matches_torch_stepped_before_each_epochs_batches(torch, T_max, eta_min, step_every,
                                                                                steps):
    optimizer = sgd(torch, [0.1])
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=T_max, eta_min=eta_min)
    seen = np.empty(steps)
    for i in range(steps):
        if i % step_every == 0:
            scheduler.step()
        seen[i] = optimizer.param_groups[0]["lr"]
    modelled = model("torch.EpochStartCosineAnnealingLR").per_step(
        {"base_lr": 0.1, "T_max": T_max, "eta_min": eta_min, "step_every": step_every}, steps)
    np.testing.assert_allclose(modelled, seen, rtol=RTOL, atol=ATOL_SCALE * 0.1)


@pytest.mark.parametrize("name, arguments, step_every, steps", [
    ("StepLR", {"step_size": 3, "gamma": 0.5}, 4, 40),
    ("MultiStepLR", {"milestones": [2, 5], "gamma": 0.1}, 3, 30),
    ("ExponentialLR", {"gamma": 0.9}, 1, 12),
    ("LambdaLR", {"lr_lambda": "lambda epoch: 0.95 ** epoch"}, 2, 20),
])
def test_the_epoch_start_wrapper_matches_torch_stepped_before_each_epochs_batches(torch, name, arguments, step_every,
                                                                                  steps):
    real_arguments = {key: eval(value) if key == "lr_lambda" else value for key, value in arguments.items()}
    optimizer = sgd(torch, [0.1])
    scheduler = getattr(torch.optim.lr_scheduler, name)(optimizer, **real_arguments)
    seen = np.empty(steps)
    for i in range(steps):
        if i % step_every == 0:
            scheduler.step()
        seen[i] = optimizer.param_groups[0]["lr"]
    modelled = model(f"torch.EpochStart[torch.{name}]").per_step(
        {"base_lr": 0.1, **real_arguments, "step_every": step_every}, steps)
    np.testing.assert_allclose(modelled, seen, rtol=RTOL, atol=ATOL_SCALE * 0.1)


def test_a_sliced_list_is_read_from_its_start_and_raises_past_its_end():
    whole = model("mindspore.piecewise_constant_lr").per_step({"milestone": [4, 8], "learning_rates": [0.1, 0.01]}, 8)
    sliced = model("mindspore.sliced[mindspore.piecewise_constant_lr]").per_step(
        {"milestone": [4, 8], "learning_rates": [0.1, 0.01], "start": 2}, 8)
    np.testing.assert_array_equal(sliced[:6], whole[2:])
    assert np.isinf(sliced[6:]).all()
