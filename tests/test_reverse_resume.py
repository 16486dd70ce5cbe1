"""A resumed list (``lr[start_epoch * step_per_epoch:]``) rewritten into torch's resume, run for real: the original's
list is computed by MindSpore 2.10's own ``nn.cosine_decay_lr`` and consumed by the stand-in optimizer (checked
against a real ``nn.SGD`` in ``tests/test_differential_oracle.py``), the rewrite runs under real torch 2.13, and the
two must use the same learning rate at every optimizer step: the continuation of the uninterrupted run, which torch
gives only when the optimizer starts at the cosine's lr of the start epoch with ``initial_lr`` set and
``last_epoch=start_epoch - 1``."""

from __future__ import annotations

import types

import pytest
from harness import differential, runner

from migrate import engine

torch = pytest.importorskip("torch", reason="torch==2.13.0 (the oracle extra) is not installed")
ms_nn = pytest.importorskip("mindspore.nn", reason="mindspore==2.10.0 (the oracle extra) is not installed")

SHAPES = {
    "variable": ("lr = nn.cosine_decay_lr({arguments})\n"
                 "start_step = START_EPOCH * STEPS\n"
                 "lr = lr[start_step:]\n"
                 "optimizer = nn.SGD(params, learning_rate=lr)\n"),
    "inline": ("lr = nn.cosine_decay_lr({arguments})\n"
               "optimizer = nn.SGD(params, learning_rate=lr[START_EPOCH * STEPS:])\n"),
    "call": ("lr = nn.cosine_decay_lr({arguments})[START_EPOCH * STEPS:]\n"
             "optimizer = nn.SGD(params, learning_rate=lr)\n"),
}
TEMPLATE = """\
import mindspore.nn as nn

from model import params

EPOCHS = {epochs}
START_EPOCH = {start_epoch}
STEPS = 3
{construction}for epoch in range(START_EPOCH, EPOCHS):
    for step in range(STEPS):
        optimizer.step()
"""
#: (epochs, start_epoch, min_lr, max_lr, decay_epoch): mid-run, a fresh start (last_epoch=-1), a run past
#: decay_epoch resumed before and after it (the scheduler held at eta_min), a resume at the last epoch.
CONFIGS = [
    (8, 3, 0.001, 0.1, 8),
    (8, 0, 0.0, 0.05, 8),
    (10, 3, 0.001, 0.1, 5),
    (10, 7, 0.001, 0.1, 5),
    (6, 5, 0.0, 0.1, 6),
]


def _program(shape: str, epochs: int, start_epoch: int, min_lr: float, max_lr: float, decay_epoch: int) -> str:
    arguments = f"{min_lr!r}, {max_lr!r}, EPOCHS * STEPS, STEPS, {decay_epoch}"
    return TEMPLATE.format(epochs=epochs, start_epoch=start_epoch,
                           construction=SHAPES[shape].format(arguments=arguments))


def _params_module(params) -> dict[str, types.ModuleType]:
    module = types.ModuleType("model")
    module.params = params
    return {"model": module}


def _uninterrupted_torch_lrs(epochs: int, min_lr: float, max_lr: float, decay_epoch: int, held: bool) -> list:
    """torch's lr at each epoch of the run that was never interrupted."""
    optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1, dtype=torch.float64))], lr=max_lr)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=decay_epoch, eta_min=min_lr)
    lrs = []
    for _ in range(epochs):
        lrs.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        if not held or scheduler.last_epoch < scheduler.T_max:
            scheduler.step()
    return lrs


@pytest.mark.parametrize("config", CONFIGS, ids=lambda config: "-".join(map(str, config)))
@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_the_resumed_rewrite_uses_the_original_lr_at_every_step_under_real_torch(shape, config):
    epochs, start_epoch, min_lr, max_lr, decay_epoch = config
    source = _program(shape, *config)
    result = engine.process_bytes(source.encode(), "train.py", engine.Options(to="torch"), engine.load_rules("torch"))
    assert result.output is not None, [diagnostic.concise() for diagnostic in result.diagnostics]
    converted = result.output.decode()
    assert "last_epoch=START_EPOCH - 1" in converted and 'group["initial_lr"] = ' in converted

    original = runner.run(source, "real", extra_modules=_params_module([]))
    torch_params = [torch.nn.Parameter(torch.zeros(1, dtype=torch.float64))]
    rewritten = runner.run(converted, "real", extra_modules=_params_module(torch_params))

    steps = 3
    full_list = ms_nn.cosine_decay_lr(min_lr, max_lr, epochs * steps, steps, decay_epoch)
    assert original.ending == runner.OK and original.steps == [(lr,) for lr in full_list[start_epoch * steps:]]
    assert rewritten.ending == runner.OK, rewritten.describe()
    assert differential.first_difference(original, rewritten) is None, (original.steps, rewritten.steps)
    held = epochs > decay_epoch + 1
    uninterrupted = _uninterrupted_torch_lrs(epochs, min_lr, max_lr, decay_epoch, held)
    resumed = [uninterrupted[epoch] for epoch in range(start_epoch, epochs) for _ in range(steps)]
    assert differential.first_difference(runner.Record([(lr,) for lr in resumed]), rewritten) is None


def test_a_slice_inside_an_epoch_is_refused_at_the_slice_and_left_unchanged():
    source = TEMPLATE.format(epochs=8, start_epoch=3, construction=(
        "lr = nn.cosine_decay_lr(0.0, 0.1, EPOCHS * STEPS, STEPS, EPOCHS)\n"
        "optimizer = nn.SGD(params, learning_rate=lr[START_EPOCH * STEPS + 1:])\n"))
    result = engine.process_bytes(source.encode(), "train.py", engine.Options(to="torch"), engine.load_rules("torch"))
    assert result.output is None
    (refusal,) = [diagnostic for diagnostic in result.diagnostics if diagnostic.code == "MIG117"]
    assert refusal.line == 9 and "epoch boundary" in refusal.message
