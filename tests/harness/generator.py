"""Deterministic training programs in the shapes public training code uses, and the holes testing found.

Each *template* is one source text; it runs with several argument vectors when its sizes come from ``argparse``
(run lengths around ``T_max``: shorter, equal, one more, three times), so one conversion serves several programs.
A program's ``shape`` names the choices it was made from (``loop=enumerate,exit=break,...``), which is what the
report groups failures by.

Every program runs under the stand-ins in at most a few hundred optimizer steps.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator

from .differential import Program


def _indent(lines: list[str], level: int) -> list[str]:
    return [("    " * level + line) if line else line for line in lines]


# ---------------------------------------------------------------- torch → MindSpore


def _torch_program(rng: random.Random) -> tuple[str, list[tuple[str, ...]], str]:
    choice: dict[str, str] = {}

    def pick(name: str, options):
        value = rng.choice(options)
        choice[name] = str(value)
        return value

    t_max = pick("t_max", [3, 4, 6])
    batches = pick("batches", [2, 3])
    batch_size = "4"
    sizes = pick("sizes", ["literal", "argparse", "argparse", "argparse"])
    reference = pick("ref", ["fq", "from_import", "lr_scheduler_module"])
    scope = pick("scope", ["module", "function"])
    order = pick("order", ["loader_first", "loader_after_scheduler"]) if scope == "function" else "loader_first"
    choice["order"] = order
    optimizer_kind = pick("optimizer", ["SGD", "Adam", "AdamW", "SGD_groups", "AdamW_groups"])
    t_form = pick("t_max_form", ["positional", "keyword", "float", "separate_t_max"])
    eta = pick("eta_min", ["absent", "zero", "small", "equal_lr"])
    loop = pick("loop", ["plain", "enumerate", "range_batches", "progress", "helper", "tqdm"])
    epochs_form = pick("epochs_loop", ["range", "range_start", "while", "trange", "tqdm_range"])
    cadence = pick("cadence", ["epoch_end", "per_step", "epoch_start", "conditional", "step_epoch"])
    exit_kind = pick("exit", ["none", "break", "continue_nonfinite", "return"])
    extra = pick("extra", ["none", "read_lr", "write_lr", "get_last_lr", "scaler", "mindspore_param",
                           "read_lr_after_batches", "get_last_lr_in_batch", "own_warmup", "epochs_override"])
    if loop == "range_batches" and exit_kind == "break":
        exit_kind = choice["exit"] = "none"
    if exit_kind == "return" and scope != "function":
        exit_kind = choice["exit"] = "none"
    handed = (pick("handed", ["positional", "keyword", "keyword_only"]) if loop == "helper" and cadence == "per_step"
              else pick("handed", ["no", "positional", "keyword", "keyword_only"]) if loop == "helper"
              and cadence == "epoch_end" else "no")
    accumulate = pick("accumulate", ["no", "yes"]) if cadence == "per_step" else "no"
    if accumulate == "yes" and exit_kind in ("break", "continue_nonfinite"):
        exit_kind = choice["exit"] = "none"  # a one-batch cap or a skipped second batch would leave no step at all
    if extra == "scaler" and loop == "helper":
        extra = choice["extra"] = "none"
    if extra == "mindspore_param" and scope != "function":
        extra = choice["extra"] = "none"
    construction = pick("construction", ["plain", "plain", "none_first", "flag_choice", "builder", "chain",
                                         "scheduler_builder", "scheduler_builder_flag", "sibling", "sibling_flag",
                                         "guarded", "sibling_chain", "chain_builder", "flag_guarded",
                                         "optimizer_flag", "default_override"])
    if construction in ("builder", "scheduler_builder", "scheduler_builder_flag", "chain_builder") \
            and scope != "function":
        construction = choice["construction"] = "plain"
    if construction in ("none_first", "guarded", "flag_guarded") and extra in ("get_last_lr",
                                                                              "get_last_lr_in_batch"):
        extra = choice["extra"] = "none"
    holder = (pick("holder", ["main", "trainer_positional", "trainer_keyword", "fit"])
              if scope == "function" and construction == "plain" and loop not in ("helper", "range_batches")
              and extra not in ("scaler", "mindspore_param", "own_warmup") else "main")

    lr = "0.1" if optimizer_kind.startswith("SGD") else "0.001"
    if sizes == "literal":
        run_length = rng.choice([t_max - 1, t_max, t_max + 1, 3 * t_max])
        choice["run"] = {t_max - 1: "shorter", t_max: "equal", t_max + 1: "plus_one", 3 * t_max: "triple"}[run_length]
        epochs, t_value, lr_value, iters = str(run_length), str(t_max), lr, "2"
        header = [f"EPOCHS = {run_length}", f"T_MAX = {t_max}"] if t_form == "separate_t_max" else [
            f"EPOCHS = {run_length}"]
        epochs = "EPOCHS"
        t_value = "T_MAX" if t_form == "separate_t_max" else "EPOCHS"
        if t_form != "separate_t_max" and run_length != t_max:
            t_value = str(t_max)
        argvs = [()]
    else:
        choice["run"] = "argv"
        header = [
            "parser = argparse.ArgumentParser()",
            f"parser.add_argument(\"--epochs\", type=int, default={t_max})",
            f"parser.add_argument(\"--lr\", type=float, default={lr})",
            "parser.add_argument(\"--iters-per-epoch\", type=int, default=2)",
            "parser.add_argument(\"--batch-size\", type=int, default=4)",
        ]
        if t_form == "separate_t_max":
            header.append(f"parser.add_argument(\"--t-max\", type=int, default={t_max})")
        header.append("args = parser.parse_args()")
        epochs, lr_value, iters, batch_size = "args.epochs", "args.lr", "args.iters_per_epoch", "args.batch_size"
        t_value = "args.t_max" if t_form == "separate_t_max" else "args.epochs"
        run_lengths = (t_max - 1, t_max, t_max + 1, 3 * t_max)
        fixed = ("--t-max", str(t_max)) if t_form == "separate_t_max" else ()
        argvs = [("--epochs", str(e), "--batch-size", str(size), "--lr", rate, "--iters-per-epoch", iters, *fixed)
                 for e in run_lengths for size in (4, 3) for rate in (lr, "0.05") for iters in ("2", "1")]
    if t_form == "float":
        t_value = f"float({t_value})"

    scheduler_name = {"fq": "torch.optim.lr_scheduler.CosineAnnealingLR", "from_import": "CosineAnnealingLR",
                      "lr_scheduler_module": "lr_scheduler.CosineAnnealingLR"}[reference]
    imports = ["import torch"]
    if reference == "from_import":
        imports.append("from torch.optim.lr_scheduler import CosineAnnealingLR")
    elif reference == "lr_scheduler_module":
        imports.append("from torch.optim import lr_scheduler")
    if sizes == "argparse":
        imports.insert(0, "import argparse")
    if loop == "tqdm" or epochs_form == "tqdm_range":
        imports.append("from tqdm import tqdm")
    if epochs_form == "trange":
        imports.append("from tqdm import trange")

    optimizer = {
        "SGD": f"torch.optim.SGD(model.parameters(), lr={lr_value}, momentum=0.9)",
        "Adam": f"torch.optim.Adam(model.parameters(), lr={lr_value})",
        "AdamW": f"torch.optim.AdamW(model.parameters(), lr={lr_value}, weight_decay=0.05)",
        "SGD_groups": f"torch.optim.SGD([{{\"params\": model.parameters(), \"lr\": {lr_value} * 0.1}}, "
                      f"{{\"params\": head.parameters()}}], lr={lr_value}, momentum=0.9)",
        "AdamW_groups": "torch.optim.AdamW([{\"params\": model.parameters(), \"lr\": 1e-4}, "
                        "{\"params\": head.parameters(), \"lr\": 1e-3}])",
    }[optimizer_kind]
    base_lr = "1e-4" if optimizer_kind == "AdamW_groups" else lr_value
    t_argument = t_value if t_form in ("positional", "float") else f"T_max={t_value}"
    eta_argument = {"absent": "", "zero": ", eta_min=0", "small": ", eta_min=1e-5",
                    "equal_lr": f", eta_min={base_lr}"}[eta]
    if t_form == "positional" and eta == "small":
        eta_argument = ", 1e-5"
    scheduler = f"scheduler = {scheduler_name}(optimizer, {t_argument}{eta_argument})"

    poison = exit_kind == "continue_nonfinite"
    data = [
        f"inputs = torch.randn({batches * 4}, 4)",
        f"targets = torch.randn({batches * 4}, 1)",
        *(["targets[5] = float(\"nan\")"] if poison else []),
        f"loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(inputs, targets), "
        f"batch_size={batch_size})",
    ]
    model_lines = ["model = torch.nn.Linear(4, 1)", "head = torch.nn.Linear(1, 1)"]
    setup = [*model_lines]
    creation, helpers = _construction(construction, rng, choice, optimizer, scheduler, header)
    if order == "loader_first":
        setup += data + creation
    else:
        setup += creation + data
    if extra == "scaler":
        setup.append("scaler = torch.cuda.amp.GradScaler()")
    if extra == "epochs_override":
        setup.append("args.epochs = args.epochs + 1" if sizes == "argparse" else "EPOCHS = EPOCHS + 1")
    if extra == "own_warmup":
        helpers += ["class Warmup(torch.optim.lr_scheduler.LRScheduler):",
                    "    def __init__(self, optimizer, epochs, last_epoch=-1):",
                    "        self.epochs = epochs", "        super().__init__(optimizer, last_epoch)", "",
                    "    def get_lr(self):",
                    "        return [base * min(1.0, (self.last_epoch + 1) / self.epochs) for base in self.base_lrs]",
                    ""]
        setup.append("warmup = Warmup(optimizer, 2)")

    step_call = "scaler.step(optimizer)" if extra == "scaler" else "optimizer.step()"
    body_step = ["optimizer.zero_grad()", "loss = torch.nn.functional.mse_loss(model(x), y)"]
    if exit_kind == "continue_nonfinite":
        body_step += ["if not torch.isfinite(loss):", "    continue"]
    stepping = [step_call, *(["scaler.update()"] if extra == "scaler" else []),
                *(["scheduler.step()"] if cadence == "per_step" else [])]
    body_step += ["loss.backward()", *(["if (i + 1) % 2 == 0:", *_indent(stepping, 1)] if accumulate == "yes"
                                       else stepping)]
    if extra == "read_lr":
        body_step.append("print(\"lr\", optimizer.param_groups[0][\"lr\"])")
    elif extra == "get_last_lr_in_batch":
        body_step.append("print(\"lr\", scheduler.get_last_lr()[0])")

    if loop == "plain":
        batch_loop = ["for x, y in loader:"]
    elif loop == "enumerate":
        batch_loop = ["for i, (x, y) in enumerate(loader):"]
    elif loop == "range_batches":
        batch_loop = ["for i in range(len(loader)):",
                      f"    x, y = inputs[i * {batch_size}:(i + 1) * {batch_size}], "
                      f"targets[i * {batch_size}:(i + 1) * {batch_size}]"]
    elif loop == "tqdm":
        batch_loop = ["for x, y in tqdm(loader, desc=f\"epoch {epoch}\", leave=False):"]
    else:
        batch_loop = ["for x, y in progress(loader):"]
    if accumulate == "yes" and not batch_loop[0].startswith(("for i, (x, y)", "for i in range")):
        batch_loop[0] = f"for i, (x, y) in enumerate({batch_loop[0].removeprefix('for x, y in ')[:-1]}):"
    if exit_kind == "break":
        if loop == "enumerate":
            batch_loop.append(f"    if i >= {iters}:")
        else:
            batch_loop = ["for i, (x, y) in enumerate(loader):", f"    if i >= {iters}:"]
            choice["loop"] = loop = "enumerate" if loop != "helper" else loop
        batch_loop.append("        break")
    batch_loop += _indent(body_step, 1)

    if loop == "progress":
        helpers += ["def progress(iterable):", "    for item in iterable:", "        yield item", ""]
    epoch_body: list[str] = []
    if cadence == "epoch_start":
        epoch_body.append("scheduler.step()")
    if loop == "helper":
        helper_loop = [("for i, (x, y) in enumerate(loader):" if accumulate == "yes" else "for x, y in loader:")
                       ] if exit_kind != "break" else [
            "for i, (x, y) in enumerate(loader):", f"    if i >= {iters}:", "        break"]
        parameter, argument = {"no": ("", ""), "positional": (", scheduler", ", scheduler"),
                               "keyword": (", scheduler=None", ", scheduler=scheduler"),
                               "keyword_only": (", *, scheduler", ", scheduler=scheduler")}[handed]
        ends_epoch = ["scheduler.step()"] if cadence == "epoch_end" and handed != "no" else []
        helpers += [f"def train_one_epoch(model, loader, optimizer{parameter}):",
                    *_indent(helper_loop + _indent(body_step, 1) + ends_epoch, 1), ""]
        if sizes == "argparse":
            helpers = [line.replace("args.iters_per_epoch", "2") for line in helpers]
        epoch_body.append(f"train_one_epoch(model, loader, optimizer{argument})")
    else:
        epoch_body += batch_loop
    if extra == "read_lr_after_batches":
        epoch_body.append("print(epoch, optimizer.param_groups[0][\"lr\"])")
    if extra == "write_lr":
        epoch_body += ["for group in optimizer.param_groups:", "    group[\"lr\"] = max(group[\"lr\"], 1e-4)"]
    if cadence == "epoch_end" and handed == "no":
        epoch_body.append("scheduler.step()")
    elif cadence == "conditional":
        epoch_body += ["if epoch % 2 == 0:", "    scheduler.step()"]
    elif cadence == "step_epoch":
        epoch_body.append("scheduler.step(epoch + 1)")
    if extra == "get_last_lr":
        epoch_body.append("print(epoch, scheduler.get_last_lr()[0])")
    if extra == "own_warmup":
        epoch_body.append("warmup.step()")
    if exit_kind == "return":
        epoch_body += [f"if epoch == {epochs} - 2:", "    return"]

    if epochs_form == "range":
        epoch_loop = [f"for epoch in range({epochs}):", *_indent(epoch_body, 1)]
    elif epochs_form == "trange":
        epoch_loop = [f"for epoch in trange({epochs}, desc=\"epochs\"):", *_indent(epoch_body, 1)]
    elif epochs_form == "tqdm_range":
        epoch_loop = [f"for epoch in tqdm(range({epochs})):", *_indent(epoch_body, 1)]
    elif epochs_form == "range_start":
        epoch_loop = ["start_epoch = 0", f"for epoch in range(start_epoch, {epochs}):", *_indent(epoch_body, 1)]
    else:
        epoch_loop = ["epoch = 0", f"while epoch < {epochs}:", *_indent(epoch_body, 1), "    epoch += 1"]

    main = setup + epoch_loop
    if holder == "fit":
        built = next(line for line in creation if line.startswith("scheduler = "))
        helpers += ["def fit(model, optimizer, loader, epochs):", f"    {built}",
                    *_indent([line.replace(epochs, "epochs") for line in epoch_loop], 1), ""]
        main = [line for line in setup if line != built] + [f"fit(model, optimizer, loader, {epochs})"]
    elif holder != "main":
        helpers += _trainer(epoch_loop, epochs)
        handed = "scheduler=scheduler" if holder == "trainer_keyword" else "scheduler"
        main = setup + [f"trainer = Trainer(model, optimizer, loader, {epochs}, {handed})", "trainer.fit()"]
    if scope == "function":
        parameters = "mindspore=None" if extra == "mindspore_param" else ""
        program = [*imports, "", *header, "", *helpers, f"def main({parameters}):", *_indent(main, 1), "", "",
                   "main()"]
    else:
        program = [*imports, "", *header, "", *helpers, *main]
    if construction in ("none_first", "guarded", "flag_guarded"):
        guard = "if USE_COSINE:" if construction == "flag_guarded" else "if scheduler is not None:"
        program = [line.replace("scheduler.step()", guard + "\n" + line[:len(line) - len(
            line.lstrip())] + "    scheduler.step()") if line.strip() == "scheduler.step()" else line
                   for line in program]
    shape = ",".join(f"{key}={value}" for key, value in sorted(choice.items()))
    return "\n".join(program) + "\n", argvs, "torch:" + shape


def _trainer(epoch_loop: list[str], epochs: str) -> list[str]:
    """A pytorch-template style trainer class: the objects handed to its constructor, which keeps them as
    attributes (the scheduler with a None default), and the training loop in its ``fit()`` method."""
    kept = ["model", "optimizer", "loader", "epochs", "scheduler"]
    body = [re.sub(r"\b(model|optimizer|scheduler|loader)\b", r"self.\1", line.replace(epochs, "self.epochs"))
            for line in epoch_loop]
    return ["class Trainer:", "    def __init__(self, model, optimizer, loader, epochs, scheduler=None):",
            *[f"        self.{name} = {name}" for name in kept], "", "    def fit(self):", *_indent(body, 2), ""]


SIBLINGS = {
    "StepLR": "step_size=2, gamma=0.5",
    "MultiStepLR": "milestones=[1, 3], gamma=0.3",
    "ExponentialLR": "gamma=0.8",
    "LambdaLR": "lr_lambda=lambda epoch: 1.0 / (1 + epoch)",
    "LinearLR": "start_factor=0.2, total_iters=3",
    "ConstantLR": "factor=0.5, total_iters=2",
    "PolynomialLR": "total_iters=4, power=2.0",
}
"""torch's other list-form schedulers, as a program builds them instead of the cosine (``sibling``) or beside
another under a flag (``sibling_flag``)."""


def _construction(kind: str, rng: random.Random, choice: dict, optimizer: str, scheduler: str,
                  header: list[str]) -> tuple[list[str], list[str]]:
    """How the program builds its optimizer and scheduler (lines where they are built, helper functions):
    plainly, created only under a flag (None first), chosen by flag among siblings, by a builder returning both,
    by a builder given the optimizer returning the scheduler (alone, or the one a flag names), as the cosine of a
    LinearLR warmup SequentialLR (bound, or returned by a builder given the optimizer), or replaced by another scheduler (alone, two under a flag, or two chained by a
    SequentialLR or a ChainedScheduler)."""
    plain = [f"optimizer = {optimizer}", scheduler]
    if kind in ("none_first", "flag_guarded"):
        choice["flag"] = flag = rng.choice(["True", "False"])
        header.append(f"USE_COSINE = {flag}")
        return [plain[0], *(["scheduler = None"] if kind == "none_first" else []), "if USE_COSINE:",
                f"    {scheduler}"], []
    if kind == "default_override":
        choice["flag"] = flag = rng.choice(["True", "False"])
        header.append(f"USE_COSINE = {flag}")
        return [plain[0], "scheduler = torch.optim.lr_scheduler.StepLR(optimizer, 2, gamma=0.5)", "if USE_COSINE:",
                f"    {scheduler}"], []
    if kind == "optimizer_flag":
        choice["flag"] = flag = rng.choice(["True", "False"])
        choice["other_lr"] = other = rng.choice(["same", "half"])
        header.append(f"USE_FIRST = {flag}")
        second = optimizer.replace("lr=", "lr=0.5 * ", 1) if other == "half" else optimizer
        return ["if USE_FIRST:", f"    optimizer = {optimizer}", "else:", f"    optimizer = {second}", scheduler], []
    if kind == "flag_choice":
        choice["schedule"] = chosen = rng.choice(["cos", "step", "multistep"])
        header.append(f"SCHEDULE = \"{chosen}\"")
        return [plain[0], "if SCHEDULE == \"cos\":", f"    {scheduler}", "elif SCHEDULE == \"step\":",
                "    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, 2, gamma=0.5)", "else:",
                "    scheduler = torch.optim.lr_scheduler.MultiStepLR(optimizer, milestones=[2, 4], gamma=0.3)"], []
    if kind == "builder":
        return ["optimizer, scheduler = build_optimizer(model, head)"], [
            "def build_optimizer(model, head):", f"    optimizer = {optimizer}", f"    {scheduler}",
            "    return optimizer, scheduler", ""]
    if kind == "scheduler_builder":
        return [plain[0], "scheduler = make_scheduler(optimizer)"], [
            "def make_scheduler(optimizer):", f"    return {scheduler.split(' = ', 1)[1]}", ""]
    if kind == "scheduler_builder_flag":
        choice["schedule"] = chosen = rng.choice(["cos", "step", "multistep", "other"])
        header.append(f"SCHEDULE = \"{chosen}\"")
        return [plain[0], "scheduler = make_scheduler(optimizer)"], [
            "def make_scheduler(optimizer):", "    if SCHEDULE == \"cos\":", f"        return {scheduler.split(' = ', 1)[1]}",
            "    elif SCHEDULE == \"step\":", "        return torch.optim.lr_scheduler.StepLR(optimizer, 2, gamma=0.5)",
            "    elif SCHEDULE == \"multistep\":",
            "        return torch.optim.lr_scheduler.MultiStepLR(optimizer, milestones=[2, 4], gamma=0.3)",
            "    raise ValueError(SCHEDULE)", ""]
    if kind == "sibling":
        choice["sibling"] = name = rng.choice(sorted(SIBLINGS))
        if name == "LambdaLR":
            choice["lambda"] = form = rng.choice(["plain", "warmup", "warmup_rebound"])
            if form != "plain":
                return [plain[0], "warmup = 2", "scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, "
                        "lambda epoch: (epoch + 1) / warmup if epoch < warmup else 0.5 ** (epoch - warmup))",
                        *(["warmup = 3"] if form == "warmup_rebound" else [])], []
        return [plain[0], f"scheduler = torch.optim.lr_scheduler.{name}(optimizer, {SIBLINGS[name]})"], []
    if kind == "sibling_flag":
        first, second = rng.sample(sorted(SIBLINGS), 2)
        choice["schedule"] = chosen = rng.choice([first, second])
        header.append(f"SCHEDULE = \"{chosen}\"")
        return [plain[0], f"if SCHEDULE == \"{first}\":",
                f"    scheduler = torch.optim.lr_scheduler.{first}(optimizer, {SIBLINGS[first]})", "else:",
                f"    scheduler = torch.optim.lr_scheduler.{second}(optimizer, {SIBLINGS[second]})"], []
    if kind == "sibling_chain":
        choice["warmup"], choice["sibling"] = first, second = rng.sample(sorted(SIBLINGS), 2)
        choice["milestone"] = milestone = str(rng.choice([1, 2, 3, "chained"]))
        chain = ("torch.optim.lr_scheduler.ChainedScheduler([warmup, decay])" if milestone == "chained" else
                 f"torch.optim.lr_scheduler.SequentialLR(optimizer, [warmup, decay], milestones=[{milestone}])")
        return [plain[0], f"warmup = torch.optim.lr_scheduler.{first}(optimizer, {SIBLINGS[first]})",
                f"decay = torch.optim.lr_scheduler.{second}(optimizer, {SIBLINGS[second]})",
                f"scheduler = {chain}"], []
    if kind == "chain_builder":
        return [plain[0], "scheduler = make_scheduler(optimizer)"], [
            "def make_scheduler(optimizer):",
            "    warmup = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=0.25, total_iters=2)",
            f"    {scheduler.replace('scheduler = ', 'cosine = ', 1)}",
            "    return torch.optim.lr_scheduler.SequentialLR(optimizer, [warmup, cosine], milestones=[2])", ""]
    if kind == "chain":
        return [plain[0], "warmup = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=0.25, total_iters=2)",
                scheduler.replace("scheduler = ", "cosine = ", 1),
                "scheduler = torch.optim.lr_scheduler.SequentialLR(optimizer, [warmup, cosine], milestones=[2])"], []
    return plain, []


# ---------------------------------------------------------------- MindSpore → torch


def _mindspore_program(rng: random.Random) -> tuple[str, list[tuple[str, ...]], str]:
    choice: dict[str, str] = {}

    def pick(name: str, options):
        value = rng.choice(options)
        choice[name] = str(value)
        return value

    decay = pick("decay", [3, 4, 6])
    batches = pick("batches", [2, 3])
    reference = pick("ref", ["mindspore_nn", "from_nn", "nn_alias", "ms_alias"])
    sizes = pick("sizes", ["literal", "argparse", "argparse", "argparse"])
    scope = pick("scope", ["module", "function"])
    arguments = pick("arguments", ["keyword", "positional"])
    cadence = pick("list_cadence", ["per_epoch", "per_step_list"])
    decay_form = pick("decay_epoch", ["epochs", "shorter"])
    delivery = pick("delivery", ["keyword", "positional", "tensor", "numpy"])
    optimizer_kind = pick("optimizer", ["SGD", "Momentum", "Adam", "AdamWeightDecay"])
    step_form = pick("step", ["grad_fn", "train_one_step_cell", "train_step_helper", "model_train"])
    loop = pick("loop", ["tuple_iterator", "dict_iterator", "range_steps", "iterator_variable"])
    evaluates = pick("evaluates", ["no", "eval_model"]) if step_form != "model_train" else "no"
    holder = pick("holder", ["main", "main", "fit"]) if step_form != "model_train" else "main"
    run = pick("run", ["equal", "longer"])
    rebinding = pick("rebinding", ["none", "torch_none"])
    list_function = pick("list_function", ["cosine_decay_lr", "cosine_decay_lr", "cosine_decay_lr",
                                           "piecewise_constant_lr", "polynomial_decay_lr", "warmup_lr"])
    list_variant = pick("list_variant", ["plain", "other"])
    read = pick("read", ["none", "none", "epoch_start", "before_step", "after_step", "after_batches"])
    flag = pick("flag", ["none", "none", "lists", "constant", "default"]) if sizes == "argparse" else "none"
    override = pick("override", ["none", "none", "none", "lr_after_list", "epochs_before_loop"]) \
        if sizes == "argparse" else "none"

    nn = {"mindspore_nn": "mindspore.nn", "from_nn": "nn", "nn_alias": "nn", "ms_alias": "ms.nn"}[reference]
    ms = "ms" if reference == "ms_alias" else "mindspore"
    imports = {"mindspore_nn": ["import mindspore"], "from_nn": ["import mindspore", "from mindspore import nn"],
               "nn_alias": ["import mindspore", "import mindspore.nn as nn"],
               "ms_alias": ["import mindspore as ms"]}[reference]
    imports.append("import mindspore.dataset as ds")
    if delivery == "numpy":
        imports.append("import numpy as np")
    if delivery == "tensor":
        imports.append("from mindspore import Tensor")
        imports.append("from mindspore.common import dtype as mstype")
    if sizes == "argparse":
        imports.insert(0, "import argparse")
    header = ["torch = None"] if rebinding == "torch_none" else []
    if sizes == "literal":
        header += [f"EPOCHS = {decay}"]
        epochs, lr_value = "EPOCHS", "0.1"
        run_epochs = "EPOCHS" if run == "equal" else "EPOCHS + 2"
        argvs = [()]
    else:
        header += ["parser = argparse.ArgumentParser()", f"parser.add_argument(\"--epochs\", type=int, default={decay})",
                   "parser.add_argument(\"--lr\", type=float, default=0.1)",
                   "parser.add_argument(\"--batch-size\", type=int, default=4)", "args = parser.parse_args()"]
        epochs, lr_value = "args.epochs", "args.lr"
        run_epochs = "args.epochs" if run == "equal" else "args.epochs + 2"
        argvs = [("--epochs", str(e), "--batch-size", str(size), "--lr", rate) for e in (decay, decay + 1, 2 * decay)
                 for size in (4, 3) for rate in ("0.1", "0.05", "0.2")]
    decay_epoch = epochs if decay_form == "epochs" else f"{epochs} - 1"
    if cadence == "per_epoch":
        values = ("0.0", lr_value, f"{epochs} * steps", "steps", decay_epoch)
    else:
        values = ("0.0", lr_value, f"{epochs} * steps", "1", f"({decay_epoch}) * steps")
    names = ("min_lr", "max_lr", "total_step", "step_per_epoch", "decay_epoch")
    call_arguments = ", ".join(values) if arguments == "positional" else ", ".join(
        f"{name}={value}" for name, value in zip(names, values))
    schedule = [f"lr = {nn}.cosine_decay_lr({call_arguments})"]
    if list_function == "piecewise_constant_lr":
        first = f"max({decay_epoch} // 2, 1) * steps" if cadence == "per_epoch" else "2 * steps + 1"
        rates = f"{lr_value} * 0.1" if list_variant == "plain" else "0.03"
        schedule = [f"lr = {nn}.piecewise_constant_lr([{first}, {epochs} * steps], [{lr_value}, {rates}])"]
    elif list_function == "polynomial_decay_lr":
        end, grows = ("0.0", "False") if list_variant == "plain" else ("0.001", "True")
        values = (lr_value, end, *values[2:], "2.0", grows)
        names = ("learning_rate", "end_learning_rate", "total_step", "step_per_epoch", "decay_epoch", "power",
                 "update_decay_epoch")
        polynomial_arguments = ", ".join(values) if arguments == "positional" else ", ".join(
            f"{name}={value}" for name, value in zip(names, values))
        schedule = [f"lr = {nn}.polynomial_decay_lr({polynomial_arguments})"]
    elif list_function == "warmup_lr":
        warmup_epoch = "2" if list_variant == "plain" else values[4]
        schedule = [f"lr = {nn}.warmup_lr({lr_value}, {values[2]}, {values[3]}, {warmup_epoch})"]
    if flag != "none":
        header.insert(-1, f"parser.add_argument(\"--schedule\", default=\"{pick('flag_default', ['a', 'b', 'c'])}\")")
        first = f"max({decay_epoch} // 2, 1) * steps" if cadence == "per_epoch" else "2 * steps + 1"
        other = (f"lr = {nn}.piecewise_constant_lr([{first}, {epochs} * steps], [{lr_value}, {lr_value} * 0.5])"
                 if list_function != "piecewise_constant_lr" else f"lr = {nn}.cosine_decay_lr({call_arguments})")
        last = f"lr = {lr_value}" if flag == "constant" else "raise ValueError(args.schedule)"
        schedule = ["if args.schedule == \"a\":", *_indent(schedule, 1), "elif args.schedule == \"b\":",
                    *_indent([other], 1), *(["else:", *_indent([last], 1)] if flag != "default" else [])]
        if flag == "default":
            schedule.insert(0, f"lr = {lr_value}")
        argvs = [(*argv, "--schedule", name) for argv in argvs[::2] for name in "abc"]
    learning_rate = "lr"
    if delivery == "tensor":
        learning_rate = "Tensor(lr, mstype.float32)"
    elif delivery == "numpy":
        schedule.append("lr = np.array(lr).astype(np.float32)")
    optimizer_args = {"SGD": "", "Momentum": ", momentum=0.9", "Adam": "", "AdamWeightDecay": ", weight_decay=0.0"}
    if delivery == "positional":
        if optimizer_kind == "Momentum":
            optimizer = f"{nn}.Momentum(net.trainable_params(), {learning_rate}, 0.9)"
        else:
            optimizer = f"{nn}.{optimizer_kind}(net.trainable_params(), {learning_rate}{optimizer_args[optimizer_kind]})"
    else:
        optimizer = (f"{nn}.{optimizer_kind}(net.trainable_params(), learning_rate={learning_rate}"
                     f"{optimizer_args[optimizer_kind]})")
    setup = [
        f"dataset = ds.NumpySlicesDataset(list(range({batches * 4})), shuffle=False)"
        f".batch({'args.batch_size' if sizes == 'argparse' else 4})",
        "steps = dataset.get_dataset_size()",
        f"net = {nn}.Dense(4, 1)",
        f"loss_fn = {nn}.MSELoss()",
        *schedule,
        *(["args.lr = args.lr * 0.5"] if override == "lr_after_list" else []),
        f"optimizer = {optimizer}",
    ]
    helpers: list[str] = []
    if step_form == "grad_fn":
        setup.append(f"grad_fn = {ms}.value_and_grad(lambda data, label: loss_fn(net(data), label), None, "
                     "optimizer.parameters)")
        step = ["loss, grads = grad_fn(data, label)", "optimizer(grads)"]
    elif step_form == "train_one_step_cell":
        setup += [f"train_net = {nn}.TrainOneStepCell({nn}.WithLossCell(net, loss_fn), optimizer)",
                  "train_net.set_train()"]
        step = ["train_net(data, label)"]
    else:
        setup.append(f"grad_fn = {ms}.value_and_grad(lambda data, label: loss_fn(net(data), label), None, "
                     "optimizer.parameters)")
        helpers = ["def train_step(data, label):", "    loss, grads = grad_fn(data, label)", "    optimizer(grads)",
                   "    return loss", ""]
        step = ["train_step(data, label)"]
    if step_form == "model_train":
        setup.append(f"model = {ms}.Model(net, loss_fn=loss_fn, optimizer=optimizer)")
        loops = [f"model.train({run_epochs}, dataset)"]
        helpers = []
    else:
        if loop == "tuple_iterator":
            batch_loop = ["for data, label in dataset.create_tuple_iterator():"]
        elif loop == "iterator_variable":
            setup.append(f"iterator = dataset.create_tuple_iterator(num_epochs={run_epochs})")
            batch_loop = ["for data, label in iterator:"]
        elif loop == "dict_iterator":
            batch_loop = ["for batch in dataset.create_dict_iterator():",
                          "    data, label = batch[\"image\"], batch[\"label\"]"]
        else:
            batch_loop = ["for i in range(steps):", "    data, label = i, i"]
        step = {"before_step": ["print(\"lr\", optimizer.get_lr())", *step],
                "after_step": [*step, "print(\"lr\", optimizer.get_lr())"]}.get(read, step)
        if evaluates == "eval_model":
            setup.append(f"model = {ms}.Model(net, loss_fn, optimizer)")
        epoch_body = [*(["print(epoch, optimizer.get_lr())"] if read == "epoch_start" else []),
                      *batch_loop, *_indent(step, 1),
                      *(["print(epoch, optimizer.get_lr())"] if read == "after_batches" else []),
                      *(["print(epoch, model.eval(dataset))"] if evaluates == "eval_model" else [])]
        loops = [f"for epoch in range({run_epochs}):", *_indent(epoch_body, 1)]
        if holder == "fit":
            helpers += ["def fit(optimizer, dataset, epochs):", "    for epoch in range(epochs):",
                        *_indent(epoch_body, 2), ""]
            loops = [f"fit(optimizer, dataset, {run_epochs})"]
    if override == "epochs_before_loop":
        loops = ["args.epochs = args.epochs + 1", *loops]
    if scope == "function":
        program = [*imports, "", *header, "", "def main():", *_indent(setup + helpers + loops, 1), "", "", "main()"]
    else:
        program = [*imports, "", *header, "", *setup, *helpers, *loops]
    shape = ",".join(f"{key}={value}" for key, value in sorted(choice.items()))
    return "\n".join(program) + "\n", argvs, "mindspore:" + shape


def generate(count: int, seed: int = 0) -> Iterator[Program]:
    """At least ``count`` programs (a template's argument vectors are kept together), half in each direction."""
    rng = random.Random(seed)
    produced = 0
    while produced < count:
        make, to = (_torch_program, "mindspore") if rng.random() < 0.5 else (_mindspore_program, "torch")
        source, argvs, shape = make(rng)
        for argv in argvs:
            produced += 1
            yield Program(source, to, argv, shape)


def templates(count: int, seed: int = 0) -> list[list[Program]]:
    """``generate`` grouped by source text, so a worker converts each source once."""
    grouped: dict[str, list[Program]] = {}
    for program in generate(count, seed):
        grouped.setdefault(program.source, []).append(program)
    return list(grouped.values())
