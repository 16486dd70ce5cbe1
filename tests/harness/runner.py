"""Run one training program and record the learning rate of every optimizer step.

The programs are those the harness generates or the fixtures hold, never user code. Each run gets a fresh namespace,
``sys.argv`` set to the program's arguments and, with the stand-ins, fresh fake ``torch``/``mindspore``/``numpy``
modules that are removed again afterwards. A run stops after ``STEP_CAP`` optimizer steps (a hang guard).
"""

from __future__ import annotations

import contextlib
import io
import itertools
import sys
import types
import warnings
from dataclasses import dataclass, field

from . import standins

STEP_CAP = 200_000
OK = "ok"
HUNG = "hung"


@dataclass
class Record:
    """The lrs of every optimizer step (one tuple per step, one float per param group) and how the run ended."""

    steps: list[tuple[float, ...]] = field(default_factory=list)
    printed: str = ""
    """What the program printed (the lrs it logs from ``get_last_lr()`` or ``param_groups`` among them)."""
    ending: str = OK
    error_type: str | None = None
    error_message: str = ""

    @property
    def crashed(self) -> bool:
        return self.ending not in (OK, HUNG)

    @property
    def exhausted_list(self) -> bool:
        """The run ended the way a MindSpore optimizer ends one step past its list: part of the behaviour."""
        return self.error_type == standins.ListExhausted.__name__

    def describe(self) -> str:
        end = self.ending if not self.crashed else f"{self.error_type}: {self.error_message}"
        return f"{len(self.steps)} optimizer steps, ended {end} at step {len(self.steps)}"


def fixture_modules() -> dict[str, types.ModuleType]:
    """Stub modules for the fixtures' own imports (``from model import Net, loader``, ``from data import loader,
    model``…): small, runnable data."""
    model = types.ModuleType("model")
    model.Net = standins.Module
    model.loss_fn = standins.Module()
    model.loader = standins.DataLoader(standins.Dataset(standins._filled(24, 4), standins._filled(24, 1)), 8)
    model.train_dataset = standins.MindSporeDataset(list(range(24))).batch(8)
    model.dataset = model.train_dataset
    data = types.ModuleType("data")
    data.model = standins.Module()
    data.loader = data.train_loader = model.loader
    data.batches = itertools.cycle([(standins._filled(8, 4), standins._filled(8, 1))])
    data.log = data.save_state = lambda *args, **kwargs: None
    data.settings = types.SimpleNamespace(schedule="cosine", epochs=6)
    data.use_cosine = True
    return {"model": model, "data": data}


PRINTED_CAP = 200_000
"""Characters of a program's output kept for the comparison: a bound on what a generated program can print."""


def run(source: str, framework_stub: str = "standins", argv: tuple[str, ...] = (), step_cap: int = STEP_CAP,
        extra_modules: dict[str, types.ModuleType] | None = None) -> Record:
    """Execute ``source`` as ``__main__`` and return its record.

    ``framework_stub="standins"`` fakes torch, MindSpore and numpy arrays; ``"real"`` runs real torch 2.13 (its
    optimizers record through ``register_optimizer_step_pre_hook``) and the stand-in MindSpore with the real
    ``mindspore.nn.cosine_decay_lr``/``warmup_lr`` computing the lists (and the real numpy).
    """
    recorder = standins.Recorder(step_cap)
    if framework_stub == "standins":
        modules = standins.build_modules()
        hook = contextlib.nullcontext()
    elif framework_stub == "real":
        import mindspore.nn
        import torch  # noqa: F401 - imported before the stand-ins are installed, with the real numpy

        modules = standins.build_modules(mindspore.nn.cosine_decay_lr, mindspore.nn.warmup_lr, include_torch=False)
        del modules["numpy"]
        hook = _torch_step_hook(recorder)
    else:
        raise ValueError(f"framework_stub must be 'standins' or 'real', not {framework_stub!r}")
    modules.update(extra_modules or {})
    record = Record(recorder.steps)
    saved_argv = sys.argv
    sys.argv = ["train.py", *argv]
    namespace = {"__name__": "__main__", "__file__": "train.py", "__builtins__": __builtins__}
    printed = io.StringIO()
    try:
        code = compile(source, "train.py", "exec", dont_inherit=True)
        with standins.installed(recorder, modules), hook, warnings.catch_warnings(), \
                contextlib.redirect_stdout(printed), contextlib.redirect_stderr(io.StringIO()):
            warnings.simplefilter("ignore")
            exec(code, namespace)
    except standins.StepCapReached:
        record.ending = HUNG
    except SystemExit as error:
        if error.code not in (None, 0):
            record.ending, record.error_type, record.error_message = "exception", "SystemExit", str(error.code)
    except Exception as error:  # noqa: BLE001 - the program's own exception is what is recorded
        record.ending, record.error_type, record.error_message = "exception", type(error).__name__, str(error)
    finally:
        sys.argv = saved_argv
    record.printed = printed.getvalue()[:PRINTED_CAP]
    return record


@contextlib.contextmanager
def _torch_step_hook(recorder: standins.Recorder):
    from torch.optim.optimizer import register_optimizer_step_pre_hook

    def before_step(optimizer, args, kwargs):
        recorder.record(float(group["lr"]) for group in optimizer.param_groups)

    handle = register_optimizer_step_pre_hook(before_step)
    try:
        yield
    finally:
        handle.remove()
