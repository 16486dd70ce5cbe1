"""The differential harness, oracle path: the stand-ins give the records the real libraries give.

- Generated torch programs (the forward direction's originals) run under real torch 2.13.0, the lr of each optimizer
  step recorded with ``register_optimizer_step_pre_hook``; the stand-in record must be the same.
- Generated MindSpore programs (the reverse direction's originals) run with the real ``mindspore.nn.cosine_decay_lr``
  computing their lists; the stand-in record must be the same, including where the run stops past the list.
  Programs that deliver the list through ``np.array(lr).astype(np.float32)`` are left out: with the real numpy the
  list is float32-rounded, which the stand-ins deliberately do not do (see ``harness.standins``).
- The stand-in MindSpore optimizer's list consumption against a real ``mindspore.nn.Momentum``/``SGD`` in a
  ``TrainOneStepCell``: under NumPy 2, ``optimizer.get_lr()`` fails under MindSpore 2.10, so the observable used is the
  optimizer's ``global_step`` before each step and its learning-rate Parameter
  (``optimizer.learning_rate.learning_rate``, the float32 list), and the exception one step past the end.
- Every fixture whose input runs at module level with the stub ``model`` module (``runner.fixture_modules``).
  Fixtures that cannot be made runnable, and why: those whose training code sits in a function the file never
  calls (``def train(...)``/``def main(...)`` with parameters the file does not supply: 0 optimizer steps either
  way), those without the library (``no_torch``, ``no_mindspore``), those whose calls are deliberately broken
  (``broken_call_int_min_lr``) and those using APIs the stand-ins leave out (``loss_scale_refused``,
  ``warmup_concatenation`` slices). The test prints the ones it skipped.

Converted programs are not run under the real libraries: they keep the rest of their training step in the other
framework's shape (``model.trainable_params()`` on a torch model, ``optimizer(grads)`` on a torch optimizer), which
only the stand-ins accept.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("torch", reason="torch==2.13.0 (the oracle extra) is not installed")
pytest.importorskip("mindspore", reason="mindspore==2.10.0 (the oracle extra) is not installed")

from harness import differential, runner  # noqa: E402
from harness.generator import generate  # noqa: E402

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SAMPLE = [program for program in generate(2000, seed=11)
          if "delivery=numpy" not in program.shape and "schedule=other" not in program.shape
          and not ("flag=lists" in program.shape and program.argv[-2:] == ("--schedule", "c"))][::50][:40]
"""Programs whose original runs: ``schedule=other`` names no scheduler, and a list flag's third value reaches the
``else`` that raises, by design."""


@pytest.mark.parametrize("program", SAMPLE, ids=lambda program: f"{program.to}-{hash(program) & 0xffff:x}")
def test_standins_record_what_the_real_libraries_record(program):
    stand_in = runner.run(program.source, "standins", program.argv)
    real = runner.run(program.source, "real", program.argv)
    assert real.steps, real.describe()
    assert differential.first_difference(real, stand_in, printed=False) is None, (real.describe(), stand_in.describe())


def _real_consumption(optimizer_name: str, schedule: list[float], steps: int):
    import mindspore
    from mindspore import nn

    net = nn.Dense(2, 1)
    if optimizer_name == "Momentum":
        optimizer = nn.Momentum(net.trainable_params(), learning_rate=schedule, momentum=0.9)
    else:
        optimizer = nn.SGD(net.trainable_params(), learning_rate=schedule)
    cell = nn.TrainOneStepCell(nn.WithLossCell(net, nn.MSELoss()), optimizer)
    data = mindspore.Tensor(np.ones((4, 2), np.float32))
    label = mindspore.Tensor(np.ones((4, 1), np.float32))
    used, error = [], None
    for _ in range(steps):
        index = int(optimizer.global_step.asnumpy()[0])
        values = optimizer.learning_rate.learning_rate.asnumpy().tolist()
        try:
            cell(data, label)
        except RuntimeError as raised:
            error = str(raised)
            break
        used.append(values[index])
    return used, error


@pytest.mark.parametrize("optimizer_name", ["Momentum", "SGD"])
def test_standin_optimizer_consumes_the_list_like_mindspore(optimizer_name):
    from mindspore import nn

    schedule = nn.cosine_decay_lr(0.01, 0.1, 6, 2, 2)
    real_used, real_error = _real_consumption(optimizer_name, schedule, 8)
    source = (f"from mindspore import nn\nlr = nn.cosine_decay_lr(0.01, 0.1, 6, 2, 2)\n"
              f"optimizer = nn.{optimizer_name}([], learning_rate=lr{', momentum=0.9' if optimizer_name == 'Momentum' else ''})\n"
              "for step in range(8):\n    optimizer(None)\n")
    stand_in = runner.run(source)
    assert [np.float32(lr) for (lr,) in stand_in.steps] == [np.float32(lr) for lr in real_used]
    assert len(stand_in.steps) == len(real_used) == 6
    assert stand_in.exhausted_list and real_error.startswith(stand_in.error_message)


@pytest.mark.parametrize("groups", [1, 2])
def test_the_rewrites_lr_reads_give_the_last_and_the_next_steps_entry_like_mindspore(groups):
    """A converted ``get_last_lr()``/``param_groups[i]["lr"]`` read is ``optimizer.get_lr()`` (the next step's entry)
    or ``optimizer.learning_rate(optimizer.global_step - 1)`` (the last step's): both read the real optimizer's
    list, per group, as the stand-in's do."""
    import mindspore
    from mindspore import nn

    lists = [nn.cosine_decay_lr(0.01, 0.1, 6, 2, 2), nn.cosine_decay_lr(0.001, 0.01, 6, 2, 2)][:groups]
    net = nn.Dense(2, 1)
    params = net.trainable_params()
    given = ([{"params": [params[0]], "lr": lists[0]}, {"params": [params[1]], "lr": lists[1]}] if groups == 2
             else params)
    optimizer = nn.SGD(given, learning_rate=lists[0])
    grad_fn = mindspore.value_and_grad(lambda x, y: nn.MSELoss()(net(x), y), None, optimizer.parameters)
    data, label = mindspore.Tensor(np.ones((1, 2), np.float32)), mindspore.Tensor(np.ones((1, 1), np.float32))
    cells = optimizer.learning_rate if groups == 2 else [optimizer.learning_rate]
    for step in range(5):
        _, grads = grad_fn(data, label)
        optimizer(grads)
        last = [float(cell(optimizer.global_step - 1)) for cell in cells]
        upcoming = [float(lr) for lr in optimizer.get_lr()] if groups == 2 else [float(optimizer.get_lr())]
        assert last == [float(np.float32(values[step])) for values in lists]
        assert upcoming == [float(np.float32(values[step + 1])) for values in lists]
    source = ("from mindspore import nn\nlists = [nn.cosine_decay_lr(0.01, 0.1, 6, 2, 2), "
              "nn.cosine_decay_lr(0.001, 0.01, 6, 2, 2)]\n"
              + ("optimizer = nn.SGD([{'params': [], 'lr': lists[0]}, {'params': [], 'lr': lists[1]}], "
                 "learning_rate=0.1)\ncells = optimizer.learning_rate\n" if groups == 2 else
                 "optimizer = nn.SGD([], learning_rate=lists[0])\ncells = [optimizer.learning_rate]\n")
              + "for step in range(5):\n    optimizer(None)\n"
              "    print(*[float(cell(optimizer.global_step - 1)) for cell in cells])\n")
    printed = runner.run(source).printed.split()
    assert [float(value) for value in printed] == pytest.approx(
        [values[step] for step in range(5) for values in lists], rel=1e-6)


def _fixture_cases():
    return sorted(path for path in FIXTURES.glob("*/*/input.py"))


def test_fixtures_run_alike_under_standins_and_real_libraries(capsys):
    compared, skipped = 0, []
    for path in _fixture_cases():
        source = path.read_text()
        modules = runner.fixture_modules()
        stand_in = runner.run(source, "standins", extra_modules=modules)
        if not stand_in.steps:
            skipped.append(f"{path.parent.name}: {stand_in.describe()}")
            continue
        real = runner.run(source, "real", extra_modules=runner.fixture_modules())
        if real.crashed and not real.exhausted_list:
            skipped.append(f"{path.parent.name}: real run {real.describe()}")
            continue
        assert differential.first_difference(real, stand_in, printed=False) is None, (path, real.describe(), stand_in.describe())
        compared += 1
    with capsys.disabled():
        print(f"\n{compared} fixtures compared; not runnable: " + "; ".join(skipped))


SCHEDULER_SCRIPTS = sorted((Path(__file__).resolve().parent / "programs" / "schedulers_to_mindspore").glob("*.py"))
NOT_REPLAYED = {
    "lightning_module": "the stand-in Lightning Trainer drives stand-in parameters only",
    "validation_early_stopping_break": "it stops on the validation loss, which the stand-ins' fake data changes",
    "torchvision_reference_checkpoints": "torch.save writes its checkpoint files into the working directory",
    "numpy_float32_adamw": "real numpy rounds the list to float32, which the stand-ins deliberately do not",
}
"""The hand-written scripts not replayed under the real libraries, and why."""
COSINE_SCRIPTS = [script for folder in ("torch_to_mindspore", "mindspore_to_torch") for script in sorted(
    (Path(__file__).resolve().parent / "programs" / folder).glob("*.py")) if script.stem not in NOT_REPLAYED]


@pytest.mark.parametrize("script", COSINE_SCRIPTS, ids=lambda script: f"{script.parent.name}/{script.stem}")
def test_the_hand_written_scripts_record_under_standins_what_the_real_libraries_record(script):
    """Each hand-written script of either direction (the originals the share is measured on) steps its optimizer
    with the same lrs under the stand-ins as under torch 2.13.0 / MindSpore 2.10.0's lists."""
    source = script.read_text()
    stand_in, real = runner.run(source, "standins", ()), runner.run(source, "real", ())
    assert real.steps, real.describe()
    assert differential.first_difference(real, stand_in, printed=False) is None, (real.describe(), stand_in.describe())


@pytest.mark.parametrize("script", SCHEDULER_SCRIPTS, ids=lambda script: script.stem)
def test_the_stand_in_schedulers_record_what_real_torch_records(script):
    """The scripts of torch's other schedulers (chains included) run under the stand-ins as under torch 2.13."""
    source = script.read_text()
    stand_in, real = runner.run(source, "standins", ()), runner.run(source, "real", ())
    assert real.steps, real.describe()
    assert differential.first_difference(real, stand_in, printed=False) is None, (real.describe(), stand_in.describe())
