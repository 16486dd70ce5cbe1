"""Training-code shapes the forward rule converts beyond the plain loop, each run original and converted by the
differential harness: a scheduler created only under a flag (``scheduler = None`` first, every step guarded) and
``while`` step budgets. Near-misses of each shape must be refused or warned, never changed silently."""

from __future__ import annotations

from pathlib import Path

import pytest
from harness import differential

NONE_FIRST = '''
import argparse

import torch
from torch.utils.data import DataLoader, TensorDataset

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=7)
parser.add_argument("--lr", type=float, default=0.3)
parser.add_argument("--cos", action="store_true")
args = parser.parse_args()

model = torch.nn.Linear(4, 1)
loader = DataLoader(TensorDataset(torch.randn(12, 4), torch.randn(12, 1)), batch_size=4)
optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9)
scheduler = None
if args.cos:
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=args.epochs, eta_min=0.01)
for epoch in range(args.epochs):
    for x, y in loader:
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(x), y).backward()
        optimizer.step()
    if scheduler is not None:
        scheduler.step()
'''

BUDGET = '''
import torch
from torch.utils.data import DataLoader, TensorDataset

max_steps = {max_steps}
model = torch.nn.Linear(4, 1)
loader = DataLoader(TensorDataset(torch.randn(12, 4), torch.randn(12, 1)), batch_size=4)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max={t_max})
step = 0
while step < max_steps:
    for x, y in loader:
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(x), y).backward()
        optimizer.step()
        scheduler.step()
{tail}
'''
SPENT = "        step += 1\n        if step >= max_steps:\n            break\n"


def _judge(source: str, argv: tuple[str, ...] = (), unsafe: bool = False) -> differential.Outcome:
    return differential.judge(differential.Program(source, "mindspore", argv, "shape"), unsafe)


@pytest.mark.parametrize("argv", [(), ("--cos",), ("--cos", "--epochs", "3", "--lr", "0.05")])
def test_scheduler_created_under_a_flag_converts_exactly_with_the_flag_on_and_off(argv):
    outcome = _judge(NONE_FIRST, argv)
    assert outcome.verdict == differential.EXACT, f"{outcome.detail}\n{outcome.diagnostics}"
    assert "lr_schedule = args.lr\nif args.cos:\n    lr_schedule = " in outcome.output


def test_a_none_test_that_guards_more_than_the_step_is_refused_at_its_line():
    source = NONE_FIRST.replace("        scheduler.step()\n", "        scheduler.step()\n        print(epoch)\n")
    outcome = _judge(source, ("--cos",))
    assert outcome.verdict == differential.REFUSED
    assert "MIG107" in outcome.diagnostics and "does more than step the scheduler" in outcome.diagnostics


@pytest.mark.parametrize(("max_steps", "t_max"), [(10, 10), (7, 10), (10, 7), (3, 20)])
def test_a_step_budget_left_when_spent_is_the_run_length(max_steps, t_max):
    outcome = _judge(BUDGET.format(max_steps=max_steps, t_max=t_max, tail=SPENT))
    assert outcome.verdict == differential.EXACT, f"{outcome.detail}\n{outcome.diagnostics}"
    assert "total_step=max_steps" in outcome.output or "range(max_steps)" in outcome.output


@pytest.mark.parametrize("tail", [
    "        step += 1\n",
    "        if len(loader) > 1:\n            step += 1\n        if step >= max_steps:\n            break\n",
    "        step += 1\n        step += 1\n        if step >= max_steps:\n            break\n",
    "        if step >= max_steps:\n            break\n        step += 1\n",
], ids=["no-inner-break", "guarded-increment", "two-increments", "check-before-increment"])
@pytest.mark.parametrize("unsafe", [False, True], ids=["default", "unsafe-fixes"])
def test_near_miss_step_budgets_are_not_a_visible_run(tail, unsafe):
    outcome = _judge(BUDGET.format(max_steps=10, t_max=10, tail=tail), unsafe=unsafe)
    assert outcome.verdict != differential.INVALID and not outcome.failed, f"{outcome.verdict}: {outcome.detail}"
    assert outcome.verdict != differential.EXACT or "total_step=max_steps" not in (outcome.output or "")

BUILDER = '''
import torch
from torch.utils.data import DataLoader, TensorDataset


def build_optimizer(model, lr, epochs{extra_parameters}):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max={t_max}, eta_min=lr / 50)
    return {returned}


def main(epochs=6):
    model = torch.nn.Linear(4, 1)
{loader_before}    {unpacked} = build_optimizer(model, 0.2, epochs)
{loader_after}    for epoch in range(epochs):
        for x, y in loader:
            optimizer.zero_grad()
            torch.nn.functional.mse_loss(model(x), y).backward()
            optimizer.step()
{step}

main()
'''
LOADER = "    loader = DataLoader(TensorDataset(torch.randn(15, 4), torch.randn(15, 1)), batch_size=4)\n"
PER_EPOCH = "        scheduler.step()"
PER_STEP = "            scheduler.step()"


@pytest.mark.parametrize(("t_max", "step", "order", "extra"), [
    ("epochs", PER_EPOCH, ("optimizer", "scheduler"), ""),
    ("epochs - 2", PER_EPOCH, ("scheduler", "optimizer"), ", warmup=0.1"),
    ("epochs * 4", PER_STEP, ("optimizer", "scheduler"), ""),
    ("epochs * 2", PER_STEP, ("scheduler", "optimizer"), ""),
], ids=["per-epoch", "scheduler-first-with-a-default", "per-step", "per-step-past-t-max"])
def test_a_builder_returning_the_scheduler_in_a_tuple_converts_exactly(t_max, step, order, extra):
    returned = ", ".join(order)
    source = BUILDER.format(extra_parameters=extra, t_max=t_max, returned=returned, unpacked=returned,
                            loader_before=LOADER, loader_after="", step=step)
    outcome = _judge(source)
    assert outcome.verdict == differential.EXACT, f"{outcome.detail}\n{outcome.diagnostics}"
    assert "    optimizer = build_optimizer(model, 0.2, epochs, " in outcome.output
    assert "    return optimizer\n" in outcome.output


def test_a_builder_whose_caller_binds_the_loader_after_the_call_is_refused_at_the_site():
    returned = "optimizer, scheduler"
    source = BUILDER.format(extra_parameters="", t_max="epochs", returned=returned, unpacked=returned,
                            loader_before="", loader_after=LOADER, step=PER_EPOCH)
    outcome = _judge(source)
    assert outcome.verdict == differential.REFUSED, outcome.diagnostics
    assert "build_optimizer() would need `loader` from its call at line 14" in outcome.diagnostics

GROUPS = '''
import torch
from torch.utils.data import DataLoader, TensorDataset

epochs = {epochs}
backbone, head = torch.nn.Linear(4, 4), torch.nn.Linear(4, 1)
loader = DataLoader(TensorDataset(torch.randn(10, 4), torch.randn(10, 1)), batch_size=4)
optimizer = torch.optim.AdamW([{{"params": backbone.parameters(), "lr": 2e-4, "weight_decay": 0.0}},
                               {{"params": head.parameters()}}], lr=1e-3, weight_decay=0.05)
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=6, eta_min=1e-5)
for epoch in range(epochs):
    for x, y in loader:
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(head(backbone(x)), y).backward()
        optimizer.step()
    scheduler.step()
'''


@pytest.mark.parametrize("epochs", [6, 15], ids=["within-t-max", "past-t-max"])
def test_param_groups_with_their_own_lr_get_one_list_each(epochs):
    outcome = _judge(GROUPS.format(epochs=epochs))
    assert outcome.verdict == differential.EXACT, f"{outcome.detail}\n{outcome.diagnostics}"
    assert '"lr": lr_schedule_group1, "weight_decay": 0.0}' in outcome.output


def test_a_group_lr_below_eta_min_is_refused_naming_it():
    outcome = _judge(GROUPS.format(epochs=6).replace('"lr": 2e-4', '"lr": 1e-6'))
    assert outcome.verdict == differential.REFUSED
    assert "eta_min=1e-5 is not below the optimizer's lr=1e-6" in outcome.diagnostics


def test_a_group_whose_lr_is_eta_min_itself_is_refused_naming_it():
    outcome = _judge(GROUPS.format(epochs=6).replace('"lr": 2e-4', '"lr": 1e-5'))
    assert outcome.verdict == differential.REFUSED
    assert "eta_min=1e-5 is not below the optimizer's lr=1e-5" in outcome.diagnostics

CHAIN = '''
import torch
from torch.utils.data import DataLoader, TensorDataset

epochs, warmup = {epochs}, 3
model = torch.nn.Linear(4, 1)
loader = DataLoader(TensorDataset(torch.randn(9, 4), torch.randn(9, 1)), batch_size=4)
optimizer = torch.optim.SGD(model.parameters(), lr=0.4, momentum=0.9)
linear = torch.optim.lr_scheduler.LinearLR(optimizer, {warmup_arguments})
cosine = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max={t_max}, eta_min=0.004)
scheduler = torch.optim.lr_scheduler.SequentialLR(optimizer, [linear, cosine], milestones=[{milestone}])
for epoch in range(epochs):
    for x, y in loader:
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(x), y).backward()
        optimizer.step()
    scheduler.step()
'''


@pytest.mark.parametrize(("epochs", "warmup_arguments", "t_max", "milestone"), [
    (12, "start_factor=0.25, total_iters=warmup", "epochs - warmup", "warmup"),
    (30, "start_factor=0.1, end_factor=0.9, total_iters=warmup", "5", "warmup"),
    (10, "total_iters=2", "epochs - warmup", "warmup"),
    (10, "0.5, 1.0, 4", "8", "warmup"),
], ids=["torchvision-recipe", "past-t-max-end-factor", "warmup-shorter-than-milestone", "positional"])
def test_a_linear_warmup_then_cosine_chain_becomes_one_exact_list(epochs, warmup_arguments, t_max, milestone):
    outcome = _judge(CHAIN.format(epochs=epochs, warmup_arguments=warmup_arguments, t_max=t_max,
                                  milestone=milestone))
    assert outcome.verdict == differential.EXACT, f"{outcome.detail}\n{outcome.diagnostics}"
    assert "LinearLR" not in outcome.output and "SequentialLR" not in outcome.output


def test_the_cosine_of_a_chain_that_does_not_convert_is_never_converted_alone():
    source = CHAIN.format(epochs=12, warmup_arguments="total_iters=warmup", t_max="9", milestone="warmup")
    source = source.replace("[linear, cosine], milestones=[warmup]",
                            "[linear, cosine, torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=0.9)], "
                            "milestones=[warmup, 8]")
    outcome = _judge(source, unsafe=True)
    assert outcome.verdict == differential.REFUSED
    assert "this CosineAnnealingLR is part of torch.optim.lr_scheduler.SequentialLR(...)" in outcome.diagnostics

FLAG = '''
import argparse

import torch
from torch.utils.data import DataLoader, TensorDataset

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=9)
parser.add_argument("--lr", type=float, default=0.2)
parser.add_argument("--sched", default="cos")
args = parser.parse_args()

model = torch.nn.Linear(4, 1)
loader = DataLoader(TensorDataset(torch.randn(10, 4), torch.randn(10, 1)), batch_size=3)
optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9)
if args.sched == "cos":
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=args.epochs, eta_min=1e-4)
elif args.sched == "step":
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, 2, gamma=0.5)
elif args.sched == "multistep":
    scheduler = torch.optim.lr_scheduler.MultiStepLR(optimizer, milestones=[3, 5], gamma=0.3)
elif args.sched == "exp":
    scheduler = torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=0.8)
else:
    scheduler = None
for epoch in range(args.epochs):
    for x, y in loader:
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(x), y).backward()
        optimizer.step()
    if scheduler is not None:
        scheduler.step()
'''


ALL_SCHEDULERS = FLAG.replace("if scheduler is not None:\n        scheduler.step()", "scheduler.step()").replace(
    "else:\n    scheduler = None\n", "else:\n    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, 100)\n")


@pytest.mark.parametrize("argv", [("--sched", "cos"), ("--sched", "step"), ("--sched", "multistep"),
                                  ("--sched", "multistep", "--epochs", "4"), ("--sched", "exp"), ("--sched", "other")])
def test_a_scheduler_chosen_by_flag_converts_as_a_whole_whichever_branch_runs(argv):
    outcome = _judge(ALL_SCHEDULERS, argv)
    assert outcome.verdict == differential.EXACT, f"{outcome.detail}\n{outcome.diagnostics}"
    assert outcome.output.count("lr_schedule = ") == 5


FAMILY = FLAG.replace(
    'elif args.sched == "exp":\n    scheduler = torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=0.8)\n',
    'elif args.sched == "poly":\n'
    '    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda epoch: (1 - epoch / args.epochs) ** 0.9)\n'
    'elif args.sched == "linear":\n'
    '    scheduler = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=0.25, total_iters=4)\n'
    'elif args.sched == "constant":\n'
    '    scheduler = torch.optim.lr_scheduler.ConstantLR(optimizer, factor=0.5, total_iters=3)\n'
    'elif args.sched == "polynomial":\n'
    '    scheduler = torch.optim.lr_scheduler.PolynomialLR(optimizer, total_iters=6, power=2)\n')


@pytest.mark.parametrize("argv", [("--sched", name) for name in ("cos", "step", "poly", "linear", "constant",
                                                                   "polynomial", "none")]
                         + [("--sched", "poly", "--epochs", "30"), ("--sched", "linear", "--epochs", "2")])
def test_lambda_linear_constant_and_polynomial_branches_convert_with_the_rest(argv):
    outcome = _judge(FAMILY, argv)
    assert outcome.verdict == differential.EXACT, f"{outcome.detail}\n{outcome.diagnostics}"
    assert outcome.output.count("lr_schedule = ") == 8
    assert "(1 - step // len(loader) / args.epochs) ** 0.9" in outcome.output.replace("(step // len(loader))",
                                                                                      "step // len(loader)")


def test_a_lambda_lr_with_a_named_function_is_refused_naming_the_branch():
    source = FAMILY.replace("LambdaLR(optimizer, lambda epoch: (1 - epoch / args.epochs) ** 0.9)",
                            "LambdaLR(optimizer, lr_lambda=poly)").replace("args = parser.parse_args()\n",
                                                                           "args = parser.parse_args()\n\n\n"
                                                                           "def poly(epoch):\n"
                                                                           "    return 0.9 ** epoch\n\n\n")
    outcome = _judge(source, unsafe=True)
    assert outcome.verdict == differential.REFUSED
    assert "lr_lambda=poly is not a lambda of the epoch spelled out in the call" in outcome.diagnostics


@pytest.mark.parametrize("choice", ["cos", "step", "none"])
def test_a_flag_branch_without_a_scheduler_keeps_the_constant_lr(choice):
    outcome = _judge(FLAG, ("--sched", choice))
    assert outcome.verdict == differential.EXACT, f"{outcome.detail}\n{outcome.diagnostics}"
    assert "else:\n    lr_schedule = args.lr\n" in outcome.output


def test_groups_with_their_own_lr_in_a_flag_choice_are_refused_not_left_undefined():
    """Found by the differential harness: the other branches did not define the groups' lists."""
    source = ALL_SCHEDULERS.replace("torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9)",
                                    "torch.optim.SGD([{\"params\": model.parameters(), \"lr\": 0.01}], lr=args.lr)")
    outcome = _judge(source, ("--sched", "step"), unsafe=True)
    assert outcome.verdict == differential.REFUSED
    assert "every branch would need one list per group" in outcome.diagnostics


@pytest.mark.parametrize("optimizer", [
    "torch.optim.SGD(model.parameters(), lr=0.4, momentum=0.9)",
    "torch.optim.SGD([{\"params\": model.parameters()}, {\"params\": [], \"lr\": 0.04}], lr=0.4, momentum=0.9)",
], ids=["one-group", "two-groups"])
def test_a_chain_logging_get_last_lr_in_a_while_loop_converts_exactly(optimizer):
    """Found by the differential harness: the chain's list was one entry short of the read after the last step,
    and with several groups MindSpore's get_lr() is a tuple."""
    source = CHAIN.format(epochs=7, warmup_arguments="start_factor=0.25, total_iters=warmup", t_max="4",
                          milestone="warmup")
    source = source.replace("torch.optim.SGD(model.parameters(), lr=0.4, momentum=0.9)", optimizer)
    source = source.replace("for epoch in range(epochs):", "epoch = 0\nwhile epoch < epochs:")
    source = source.replace("    scheduler.step()\n", "    scheduler.step()\n    print(scheduler.get_last_lr()[0])\n"
                            "    epoch += 1\n")
    outcome = _judge(source)
    assert outcome.verdict == differential.EXACT, f"{outcome.detail}\n{outcome.diagnostics}"


def test_a_step_budget_inside_another_loop_is_not_the_run_length():
    """Found in review: the counter restarts for every trial, so the run is three budgets, not one."""
    source = BUDGET.format(max_steps=6, t_max=6, tail=SPENT).replace("step = 0\nwhile step < max_steps:",
                                                                      "for trial in range(3):\n  step = 0\n  while "
                                                                      "step < max_steps:")
    lines = source.splitlines()
    start = next(index for index, line in enumerate(lines) if line.startswith("  while"))
    source = "\n".join(lines[:start + 1] + ["  " + line for line in lines[start + 1:]]) + "\n"
    for unsafe in (False, True):
        outcome = _judge(source, unsafe=unsafe)
        assert outcome.verdict != differential.INVALID and not outcome.failed, f"{outcome.verdict}: {outcome.detail}"
        assert "total_step=max_steps," not in (outcome.output or "")


OPTIMIZER_CHOICE = '''
import argparse

import torch
from torch.utils.data import DataLoader, TensorDataset

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=7)
parser.add_argument("--lr", type=float, default=0.05)
parser.add_argument("--optimizer", default="sgd")
args = parser.parse_args()

model = torch.nn.Linear(4, 1)
loader = DataLoader(TensorDataset(torch.randn(12, 4), torch.randn(12, 1)), batch_size=4)
if args.optimizer == "sgd":
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9, nesterov=True)
elif args.optimizer == "adam":
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr, betas=(0.9, 0.99))
elif args.optimizer == "adamw":
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr)
else:
    raise ValueError(args.optimizer)
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=args.epochs, eta_min=1e-5)
for epoch in range(args.epochs):
    for x, y in loader:
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(x), y).backward()
        optimizer.step()
    scheduler.step()
'''


@pytest.mark.parametrize("argv", [(), ("--optimizer", "adam"), ("--optimizer", "adamw", "--epochs", "3")])
def test_an_optimizer_chosen_by_flag_takes_one_list_built_before_the_choice(argv):
    outcome = _judge(OPTIMIZER_CHOICE, argv)
    assert outcome.verdict == differential.EXACT, f"{outcome.detail}\n{outcome.diagnostics}"
    assert outcome.output.count("learning_rate=lr_schedule") == 3
    assert outcome.output.index("lr_schedule = ") < outcome.output.index('if args.optimizer == "sgd":')
    assert "mindspore.nn.AdamWeightDecay does not" in outcome.diagnostics


def test_optimizers_chosen_with_different_lrs_each_get_a_list_from_their_own_lr():
    source = OPTIMIZER_CHOICE.replace("Adam(model.parameters(), lr=args.lr,", "Adam(model.parameters(), lr=1e-3,")
    for argv in ((), ("--optimizer", "adam"), ("--optimizer", "adamw", "--lr", "0.2")):
        outcome = _judge(source, argv)
        assert outcome.verdict == differential.EXACT, f"{outcome.detail}\n{outcome.diagnostics}"
    assert outcome.output.count("max_lr=float(args.lr)") == 2 and outcome.output.count("max_lr=1e-3") == 1
    assert "each branch builds lr_schedule from its own lr" in outcome.diagnostics


def test_an_optimizer_choice_whose_other_lr_is_not_above_eta_min_is_refused_at_that_lr():
    source = OPTIMIZER_CHOICE.replace("Adam(model.parameters(), lr=args.lr,", "Adam(model.parameters(), lr=1e-6,")
    outcome = _judge(source, unsafe=True)
    assert outcome.verdict == differential.REFUSED
    assert ":18:57: MIG105" in outcome.diagnostics and "eta_min=1e-5 is not below the optimizer's lr=1e-6" in (
        outcome.diagnostics)


def test_an_optimizer_choice_that_may_bind_nothing_is_refused():
    outcome = _judge(OPTIMIZER_CHOICE.replace("else:\n    raise ValueError(args.optimizer)\n", ""), unsafe=True)
    assert outcome.verdict == differential.REFUSED
    assert "MIG109" in outcome.diagnostics


LIGHTNING = '''
import lightning as L
import torch
from torch.utils.data import DataLoader, TensorDataset


class LitRegressor(L.LightningModule):
    def __init__(self, lr=0.02, epochs=6):
        super().__init__()
        self.save_hyperparameters()
        self.net = torch.nn.Linear(4, 1)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = torch.nn.functional.mse_loss(self.net(x), y)
        self.log("train_loss", loss)
        return loss

    def configure_optimizers(self):
        optimizer = torch.optim.AdamW(self.parameters(), lr=self.hparams.lr)
        scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=self.trainer.max_epochs)
        return [optimizer], [scheduler]


loader = DataLoader(TensorDataset(torch.randn(10, 4), torch.randn(10, 1)), batch_size=3)
L.Trainer(max_epochs=6).fit(LitRegressor(), loader)
'''

LIGHTNING_STEP = LIGHTNING.replace(
    "return [optimizer], [scheduler]",
    'return {"optimizer": optimizer, "lr_scheduler": {"scheduler": scheduler, "interval": "step"}}').replace(
    "T_max=self.trainer.max_epochs", "T_max=self.trainer.max_epochs * self.trainer.num_training_batches")


@pytest.mark.parametrize("source", [LIGHTNING, LIGHTNING_STEP, LIGHTNING.replace(
    "T_max=self.trainer.max_epochs", "T_max=self.hparams.epochs // 2")], ids=["epoch", "step", "periodic"])
def test_a_lightning_scheduler_converts_at_the_interval_the_trainer_steps_it_as_an_unsafe_fix(source):
    outcome = _judge(source, unsafe=True)
    assert outcome.verdict == differential.EXACT, f"{outcome.detail}\n{outcome.diagnostics}"
    assert "return optimizer\n" in outcome.output
    assert "MIG115" in outcome.diagnostics and "Lightning's Trainer stepped this scheduler" in outcome.diagnostics
    assert _judge(source).verdict == differential.REFUSED


def test_a_lightning_scheduler_with_another_frequency_is_not_followed():
    source = LIGHTNING.replace("return [optimizer], [scheduler]",
                               'return [optimizer], [{"scheduler": scheduler, "frequency": 2}]')
    outcome = _judge(source, unsafe=True)
    assert outcome.verdict == differential.REFUSED
    assert "the scheduler is used at line" in outcome.diagnostics


EPOCH_START = '''
import argparse

import torch
from torch.utils.data import DataLoader, TensorDataset

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=6)
args = parser.parse_args()

model = torch.nn.Linear(4, 1)
loader = DataLoader(TensorDataset(torch.randn(10, 4), torch.randn(10, 1)), batch_size=4)
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, args.epochs, eta_min=1e-4)
for epoch in range(args.epochs):
    scheduler.step()
    for x, y in loader:
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(x), y).backward()
        optimizer.step()
'''


@pytest.mark.parametrize("argv", [(), ("--epochs", "1"), ("--epochs", "9")])
def test_a_step_at_the_start_of_the_epoch_reads_the_list_from_its_second_epoch(argv):
    outcome = _judge(EPOCH_START, argv)
    assert outcome.verdict == differential.EXACT, f"{outcome.detail}\n{outcome.diagnostics}"
    assert "[len(loader):]" in outcome.output


def test_a_step_at_the_start_of_the_epoch_past_t_max_is_not_applied_by_default():
    outcome = _judge(EPOCH_START.replace("(optimizer, args.epochs,", "(optimizer, 4,"), ("--epochs", "9"))
    assert outcome.verdict == differential.REFUSED
    assert "MIG101" in outcome.diagnostics


def test_a_continue_between_the_step_and_the_batches_is_refused_at_its_line():
    source = EPOCH_START.replace("    scheduler.step()\n", "    scheduler.step()\n    if epoch == 2:\n        continue\n")
    outcome = _judge(source, unsafe=True)
    assert outcome.verdict == differential.REFUSED
    assert "can skip an epoch's batches after its scheduler.step()" in outcome.diagnostics


GET_SCHEDULER = (Path(__file__).parent / "programs" / "torch_to_mindspore" / "get_scheduler_by_name.py").read_text()


@pytest.mark.parametrize("argv", [(), ("--scheduler", "step"), ("--scheduler", "multistep", "--epochs", "3"),
                                  ("--scheduler", "cosine", "--epochs", "2", "--min-lr", "0.001")])
def test_a_builder_returning_the_scheduler_a_flag_names_returns_that_branchs_list(argv):
    outcome = _judge(GET_SCHEDULER, argv)
    assert outcome.verdict == differential.EXACT, f"{outcome.detail}\n{outcome.diagnostics}"
    assert "def get_scheduler(args, step_per_epoch):" in outcome.output
    assert outcome.output.count("        return ") == 3 and "raise ValueError" in outcome.output


def test_a_builder_branch_without_a_list_form_refuses_the_whole_builder_at_that_return():
    source = GET_SCHEDULER.replace("return torch.optim.lr_scheduler.MultiStepLR(optimizer, milestones=[3, 5], gamma=0.2)",
                                   "return torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer)")
    outcome = _judge(source, unsafe=True)
    assert outcome.verdict == differential.REFUSED
    assert "get_scheduler() returns `torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer)` at line 17" \
        in outcome.diagnostics


def test_a_builder_whose_flag_can_fall_through_is_refused():
    source = GET_SCHEDULER.replace("    else:\n        raise ValueError(f\"unknown scheduler {args.scheduler}\")\n", "")
    outcome = _judge(source, unsafe=True)
    assert outcome.verdict == differential.REFUSED


def test_a_builder_whose_flag_chain_is_followed_by_a_raise_converts():
    source = GET_SCHEDULER.replace("    else:\n        raise ValueError(", "    raise ValueError(")
    outcome = _judge(source, ("--scheduler", "step"))
    assert outcome.verdict == differential.EXACT, f"{outcome.detail}\n{outcome.diagnostics}"


SEQUENTIAL_DECAYS = {
    "cosine": "torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=args.epochs - 3)",
    "polynomial": "torch.optim.lr_scheduler.PolynomialLR(optimizer, total_iters=args.epochs - 3, power=2.0)",
    "exponential": "torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=0.8)",
}


@pytest.mark.parametrize("decay", sorted(SEQUENTIAL_DECAYS))
@pytest.mark.parametrize("epochs", ["1", "2", "3", "4", "9"])
def test_a_run_that_can_end_within_the_warmup_never_builds_the_decays_list(decay, epochs):
    """``T_max=epochs - 3`` is out of MindSpore's range when the run ends within the 3-epoch warmup: the written
    list must not build the decay's part there, and must be exact on every run length."""
    source = (Path(__file__).parents[1] / "fixtures" / "torch_to_mindspore" / "sequential_run_may_end_within_the_warmup"
              / "input.py").read_text()
    source = source.replace("torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=args.epochs - 3)",
                            SEQUENTIAL_DECAYS[decay])
    outcome = _judge(source, ("--epochs", epochs))
    if outcome.verdict == differential.INVALID:
        assert epochs == "3" and decay != "exponential", outcome.detail  # torch's own T_max=0 division
        return
    assert outcome.verdict == differential.EXACT, f"{outcome.detail}\n{outcome.diagnostics}"
    assert " else []" in outcome.output
