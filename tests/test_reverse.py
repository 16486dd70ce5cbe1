"""MindSpore ``cosine_decay_lr`` → torch ``CosineAnnealingLR``: round trips, refusals and collisions.

Round trips read the schedule of each program from the claims the rules make about it (the schedule a program's
optimizer uses, with the argument texts of its code) and compare them with the verifier's schedule models: a
conversion there and back must give the learning rates of the original over the whole MindSpore list.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper

from migrate import engine, verify
from migrate.analysis import Analysis
from migrate.rules import cosine_annealing_to_mindspore as forward
from migrate.rules import cosine_decay_to_torch as reverse

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _forward_cases() -> list[Path]:
    """Forward fixtures whose MindSpore output hands the list to a MindSpore optimizer (not CA103's bare list)."""
    return sorted(case for case in (FIXTURES / "torch_to_mindspore").iterdir()
                  if "learning_rate=" in (case / "output.py").read_text())


def _reverse_cases(stepped: bool = False) -> list[Path]:
    """This direction's fixtures rewritten with --unsafe-fixes; ``stepped``: only those where the rewrite calls
    scheduler.step() itself (not those whose CD102 leaves it to the user)."""
    cases = []
    for case in sorted((FIXTURES / "mindspore_to_torch").iterdir()):
        result = _convert((case / "input.py").read_text(), "torch")
        if result.output is not None and (not stepped or not any(d.code == "CD102" for d in result.diagnostics)):
            cases.append(case)
    return cases


@lru_cache(maxsize=None)
def _convert(text: str, to: str) -> engine.FileResult:
    options = engine.Options(to=to, unsafe_fixes=True)
    return engine.process_bytes(text.encode(), "input.py", options, engine.load_rules(to))


def _read(text: str, rule) -> tuple[list[verify.Claim], dict]:
    """The claims ``rule`` makes about the sites it can rewrite in ``text``, and the module's constants."""
    analysis = Analysis(MetadataWrapper(cst.parse_module(text)), text)
    claims = [finding.fix.claim for finding in rule.findings(analysis) if finding.fix is not None]
    return claims, analysis.constants


def _sites(result: engine.FileResult) -> list:
    """The diagnostics about the sites themselves, without the lines left to port (CD113) an applied fix adds."""
    return [diagnostic for diagnostic in result.diagnostics if diagnostic.code != "CD113"]


def _messages(result: engine.FileResult) -> str:
    return "; ".join(diagnostic.concise() for diagnostic in result.diagnostics)


@pytest.mark.parametrize("case", _forward_cases(), ids=lambda case: case.name)
def test_torch_to_mindspore_and_back_gives_the_original_torch_schedule_or_is_refused(case):
    """Back to torch, the schedule is the original's, or the MindSpore rule refuses with a warning (a helper it does
    not step itself yet, a periodic list read element by element, an optimizer stored in an attribute): never a
    different schedule."""
    original = (case / "input.py").read_text()
    mindspore = _convert(original, "mindspore")
    back = _convert(mindspore.output.decode(), "torch")
    if back.output is None or "CD102" in {diagnostic.code for diagnostic in back.diagnostics}:
        assert any(diagnostic.severity == "warning" for diagnostic in back.diagnostics), _messages(back)
        return
    [before], constants = _read(original, forward.RULE)
    [after], _ = _read(back.output.decode(), forward.RULE)
    [listed], _ = _read(mindspore.output.decode(), reverse.RULE)
    assert listed.run_steps is not None
    verdict = verify.verify(verify.Claim(before.source, after.source, run_steps=listed.run_steps), constants)
    assert verdict.kind == verify.EQUIVALENT, verdict.detail
    assert not any(diagnostic.code == "MIG004" for diagnostic in back.diagnostics)


def test_most_forward_cases_round_trip():
    """The test above is not vacuous: most forward fixtures convert back to the original schedule."""
    back = [case for case in _forward_cases()
            if _convert(_convert((case / "input.py").read_text(), "mindspore").output.decode(), "torch").output]
    assert len(back) >= 15


@pytest.mark.parametrize("case", _reverse_cases(stepped=True), ids=lambda case: case.name)
def test_mindspore_to_torch_and_back_gives_the_original_list_or_is_refused(case):
    """The torch rule reads back loops that step with ``optimizer.step()``; one that still steps the MindSpore
    way (``optimizer(grads)``, a TrainOneStepCell) it must leave alone rather than convert wrongly."""
    original = (case / "input.py").read_text()
    [before], constants = _read(original, reverse.RULE)
    torch = _convert(original, "torch").output.decode()
    converted_back, _ = _read(torch, forward.RULE)
    if converted_back:
        [after] = converted_back
        verdict = verify.verify(verify.Claim(before.source, after.target, run_steps=before.run_steps), constants)
        assert verdict.kind == verify.EQUIVALENT, verdict.detail
    else:
        refused = _convert(torch, "mindspore")
        assert refused.output is None
        assert {diagnostic.code for diagnostic in refused.diagnostics} == {"CA106"}, _messages(refused)


@pytest.mark.parametrize("case", _reverse_cases(), ids=lambda case: case.name)
def test_the_emitted_scheduler_matches_the_list_where_the_verdict_says_so(case):
    """The claim is checked against the arguments the torch code really carries, not the ones the rule meant."""
    original = (case / "input.py").read_text()
    [claim], constants = _read(original, reverse.RULE)
    emitted = _convert(original, "torch").output.decode()
    call = next(node for node in _calls(emitted) if cst.Module([]).code_for_node(node.func).endswith(
        "lr_scheduler.CosineAnnealingLR"))
    arguments = {argument.keyword.value: cst.Module([]).code_for_node(argument.value)
                 for argument in call.args if argument.keyword is not None}
    assert arguments == {"T_max": claim.target.args["T_max"], "eta_min": claim.target.args["eta_min"]}
    assert f"lr={claim.target.args['base_lr']}" in emitted
    schedule = verify.Schedule("torch.CosineAnnealingLR", {
        "base_lr": claim.source.args["max_lr"], "T_max": arguments["T_max"], "eta_min": arguments["eta_min"],
        "step_every": claim.source.args["step_per_epoch"],
    })
    emitted_claim = verify.Claim(claim.source, schedule, run_steps=claim.run_steps, agrees_for=claim.agrees_for)
    agreement = verify.verify(emitted_claim, constants)
    assert agreement.kind == verify.verify(claim, constants).kind


def _calls(text: str) -> list[cst.Call]:
    found: list[cst.Call] = []

    class Calls(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            found.append(node)

    cst.parse_module(text).visit(Calls())
    return found


def test_there_are_enough_cases():
    assert len([case for case in (FIXTURES / "mindspore_to_torch").iterdir() if (case / "input.py").is_file()]) >= 10


TWO_OPTIMIZERS_ONE_LOOP = """\
import mindspore.nn as nn

lr_g = nn.cosine_decay_lr(0.0, 2e-4, 100 * len(loader), len(loader), 100)
lr_d = nn.cosine_decay_lr(0.0, 1e-4, 100 * len(loader), len(loader), 100)
opt_g = nn.Adam(generator.trainable_params(), learning_rate=lr_g, beta1=0.5)
opt_d = nn.Adam(discriminator.trainable_params(), learning_rate=lr_d, beta1=0.5)
for epoch in range(100):
    for real in loader:
        opt_d.step()
        opt_g.step()
"""


def test_two_schedules_stepped_after_one_loop_are_converted_in_one_run():
    """Both sites insert a step() after the same loop: the engine applies one, converts again, applies the other."""
    first = _convert(TWO_OPTIMIZERS_ONE_LOOP, "torch")
    sites = _sites(first)
    assert [diagnostic.code for diagnostic in sites] == ["CD100", "CD100"]
    assert all(diagnostic.fix.applied for diagnostic in sites)
    assert first.tally.equivalent == 2 and first.tally.withheld == 0
    text = first.output.decode()
    assert "cosine_decay_lr" not in text
    assert "scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(opt_g, T_max=100, eta_min=0.0)" in text
    assert "scheduler_2 = torch.optim.lr_scheduler.CosineAnnealingLR(opt_d, T_max=100, eta_min=0.0)" in text
    epoch_loop = text[text.index("for epoch"):]
    assert epoch_loop.count("\n    scheduler") == 2 and epoch_loop.rstrip().endswith("scheduler.step()")
    second = _convert(text, "torch")
    assert second.output is None and not second.diagnostics


REFUSED = {
    "several_optimizers": (
        "lr = nn.cosine_decay_lr(0.0, 0.1, 10 * len(loader), len(loader), 10)\n"
        "a = nn.SGD(net_a.trainable_params(), learning_rate=lr)\n"
        "b = nn.SGD(net_b.trainable_params(), learning_rate=lr)\n",
        "CD107", "feeds several optimizers"),
    "length_read": (
        "lr = nn.cosine_decay_lr(0.0, 0.1, 10 * len(loader), len(loader), 10)\n"
        "optimizer = nn.SGD(net.trainable_params(), learning_rate=lr)\n"
        "print(len(lr))\n",
        "CD107", "passed to `len(...)`"),
    "optimizer_inline_in_model": (
        "lr = nn.cosine_decay_lr(0.0, 0.1, 10 * len(loader), len(loader), 10)\n"
        "model = Model(net, loss, nn.Momentum(net.trainable_params(), lr, 0.9))\n",
        "CD111", "not bound to one variable"),
    "argument_reassigned_before_the_optimizer": (
        "base = 0.1\n"
        "lr = nn.cosine_decay_lr(0.0, base, 10 * len(loader), len(loader), 10)\n"
        "base = 0.2\n"
        "optimizer = nn.SGD(net.trainable_params(), learning_rate=lr)\n",
        "CD105", "`base` is assigned at line 6"),
    "optimizer_handed_to_a_function": (
        "lr = nn.cosine_decay_lr(0.0, 0.1, 10 * len(loader), len(loader), 10)\n"
        "optimizer = nn.SGD(net.trainable_params(), learning_rate=lr)\n"
        "train(net, optimizer, loader)\n",
        "CD106", "passed to `train(...)`"),
    "never_stepped": (
        "lr = nn.cosine_decay_lr(0.0, 0.1, 10 * len(loader), len(loader), 10)\n"
        "optimizer = nn.SGD(net.trainable_params(), learning_rate=lr)\n",
        "CD106", "never stepped"),
    "getattr": (
        "make = getattr(nn, 'cosine_decay_lr')\n",
        "CD110", "getattr"),
    "adam_nesterov": (
        "lr = nn.cosine_decay_lr(0.0, 0.1, 10 * len(loader), len(loader), 10)\n"
        "optimizer = nn.Adam(net.trainable_params(), learning_rate=lr, use_nesterov=True)\n",
        "CD104", "use_nesterov=True"),
}


@pytest.mark.parametrize("source, code, fragment", REFUSED.values(), ids=REFUSED.keys())
def test_sites_that_cannot_be_rewritten_exactly_are_reported_and_kept(source, code, fragment):
    text = "import mindspore.nn as nn\nfrom mindspore import Model\n\n" + source
    result = _convert(text, "torch")
    assert result.output is None
    [diagnostic] = result.diagnostics
    assert diagnostic.code == code and fragment in diagnostic.message, diagnostic.message


def test_a_break_in_the_batch_loop_leaves_scheduler_step_to_the_user():
    text = (
        "import mindspore.nn as nn\n\n"
        "lr = nn.cosine_decay_lr(0.0, 0.1, 10 * len(loader), len(loader), 10)\n"
        "optimizer = nn.SGD(net.trainable_params(), learning_rate=lr)\n"
        "for epoch in range(10):\n"
        "    for batch in loader:\n"
        "        if batch is None:\n"
        "            break\n"
        "        optimizer.step()\n"
    )
    result = _convert(text, "torch")
    assert "scheduler.step()" not in result.output.decode()
    [by_hand] = [diagnostic for diagnostic in result.diagnostics if diagnostic.code == "CD102"]
    assert "break or continue" in by_hand.message


def test_a_later_rebinding_of_the_list_name_does_not_hide_its_use():
    text = (
        "import mindspore.nn as nn\n\n"
        "lr = nn.cosine_decay_lr(0.0, 0.1, 10 * len(loader), len(loader), 10)\n"
        "optimizer = nn.SGD(net.trainable_params(), learning_rate=lr)\n"
        "for epoch in range(10):\n"
        "    for batch in loader:\n"
        "        optimizer.step()\n"
        "lr = 0.5\n"
        "print(lr)\n"
    )
    result = _convert(text, "torch")
    assert [diagnostic.code for diagnostic in _sites(result)] == ["CD100"]
    assert "lr = 0.5\nprint(lr)\n" in result.output.decode()


def test_a_refused_site_leaves_the_scheduler_name_to_the_next_one():
    text = (
        "import mindspore.nn as nn\n\n"
        "first = nn.cosine_decay_lr(0.0, 0.1, 10 * len(loader), len(loader), 10)\n"
        "a = nn.SGD(net_a.trainable_params(), learning_rate=first)\n"
        "train(a)\n"
        "second = nn.cosine_decay_lr(0.0, 0.1, 10 * len(loader), len(loader), 10)\n"
        "b = nn.SGD(net_b.trainable_params(), learning_rate=second)\n"
        "for epoch in range(10):\n"
        "    for batch in loader:\n"
        "        b.step()\n"
    )
    result = _convert(text, "torch")
    assert [diagnostic.code for diagnostic in _sites(result)] == ["CD106", "CD100"]
    assert "\nscheduler = torch.optim.lr_scheduler.CosineAnnealingLR(b," in result.output.decode()


RUN_PER_EPOCH = """\
import mindspore.nn as nn

EPOCHS = 3

steps = dataset.get_dataset_size()
lr = nn.cosine_decay_lr(0.0, 0.1, EPOCHS * steps, steps, EPOCHS)
optimizer = nn.Momentum(net.trainable_params(), learning_rate=lr, momentum=0.9)
for epoch in range({epochs}):
    for data, label in dataset.create_tuple_iterator():
        optimizer(grad_fn(data, label)[1])
"""
RUN_PER_BATCH = """\
import mindspore.nn as nn

EPOCHS = 3

lr = nn.cosine_decay_lr(0.0, 0.1, EPOCHS * len(loader), 1, EPOCHS * len(loader))
optimizer = nn.SGD(net.trainable_params(), learning_rate=lr)
for epoch in range({epochs}):
    for batch in loader:
        optimizer(grad_fn(*batch)[1])
"""
#: The epoch loop's count, as written and its value with EPOCHS = 3.
EPOCH_LOOPS = {"EPOCHS - 1": 2, "EPOCHS": 3, "EPOCHS + 1": 4, "EPOCHS + 5": 8, "2 * EPOCHS": 6}


def _safe_conversion(text: str) -> engine.FileResult:
    return engine.process_bytes(text.encode(), "input.py", engine.Options(to="torch"), engine.load_rules("torch"))


def _original_lrs(program: str, epochs: int, batches: int) -> tuple[list[float], bool]:
    """What the MindSpore program's optimizer uses when run: the list read by global step, until it raises."""
    from migrate.schedules import cosine_decay_lr

    per_epoch = program is RUN_PER_EPOCH
    listed = cosine_decay_lr(0.0, 0.1, 3 * batches, batches if per_epoch else 1, 3 if per_epoch else 3 * batches)
    run = epochs * batches
    return listed[:run], run > len(listed)


def _converted_lrs(program: str, epochs: int, batches: int) -> list[float]:
    """What the torch program's optimizer uses: one scheduler step per epoch or per batch, for the whole loop."""
    from migrate.schedules import TorchCosineAnnealingLR

    groups = [{"lr": 0.1}]
    per_epoch = program is RUN_PER_EPOCH
    scheduler = TorchCosineAnnealingLR(groups, T_max=3 if per_epoch else 3 * batches, eta_min=0.0)
    lrs = []
    for _ in range(epochs):
        for _ in range(batches):
            lrs.append(scheduler.get_last_lr()[0])
            if not per_epoch:
                scheduler.step()
        if per_epoch:
            scheduler.step()
    return lrs


@pytest.mark.parametrize("program", (RUN_PER_EPOCH, RUN_PER_BATCH), ids=("per_epoch", "per_batch"))
@pytest.mark.parametrize("epochs", EPOCH_LOOPS)
def test_a_safe_rewrite_runs_exactly_as_long_as_the_original_with_the_same_lrs(program, epochs):
    """Run both programs on the schedule models for several batch counts: a rewrite applied without
    --unsafe-fixes must be one whose original neither raised nor used other learning rates."""
    result = _safe_conversion(program.format(epochs=epochs))
    applied = result.output is not None
    loop_epochs = EPOCH_LOOPS[epochs]
    for batches in (1, 2, 5):
        original, raised = _original_lrs(program, loop_epochs, batches)
        converted = _converted_lrs(program, loop_epochs, batches)
        same = not raised and converted == pytest.approx(original, rel=1e-12, abs=1e-15)
        assert not applied or same, (epochs, batches)
    assert applied == (loop_epochs <= 3)


@pytest.mark.parametrize("program", (RUN_PER_EPOCH, RUN_PER_BATCH), ids=("per_epoch", "per_batch"))
def test_a_run_longer_than_the_list_names_the_step_where_mindspore_raises(program):
    text = program.format(epochs="EPOCHS + 1")
    result = _safe_conversion(text)
    assert result.output is None
    main, warning = _sites(result)
    total = "EPOCHS * steps" if program is RUN_PER_EPOCH else "EPOCHS * len(loader)"
    assert (main.code, main.fix.applicability, main.fix.applied) == ("CD100", "unsafe", False)
    loop_line = text[:text.index("for epoch")].count("\n") + 1
    assert (warning.code, warning.severity, warning.line) == ("CD112", "warning", loop_line)
    assert f"MindSpore raises at optimizer step {total}" in warning.message
    assert "diverges: from optimizer step 3 with" in warning.message
    with_unsafe = engine.process_bytes(text.encode(), "input.py", engine.Options(to="torch", unsafe_fixes=True),
                                       engine.load_rules("torch"))
    assert "scheduler.step()" in with_unsafe.output.decode()
    assert [diagnostic.code for diagnostic in _sites(with_unsafe)] == ["CD100", "CD112"]


def test_the_claim_carries_the_visible_run_in_the_lists_own_spelling():
    """The batch loop over the dataset counts as ``steps`` (bound to its size), so the verifier samples one value."""
    [claim], constants = _read(RUN_PER_EPOCH.format(epochs="EPOCHS + 5"), reverse.RULE)
    assert claim.run_steps == "(EPOCHS + 5) * steps"
    assert claim.agrees_for == "min(EPOCHS * steps, (EPOCHS + 1) * steps)"
    verdict = verify.verify(claim, constants)
    assert (verdict.kind, verdict.first_difference) == (verify.DIVERGES, 3)
    [same_length], constants = _read(RUN_PER_EPOCH.format(epochs="EPOCHS"), reverse.RULE)
    assert verify.verify(same_length, constants).kind == verify.EQUIVALENT


def test_a_run_the_loops_do_not_show_is_taken_to_be_the_list():
    text = RUN_PER_BATCH.format(epochs="EPOCHS").replace("for epoch in range(EPOCHS):", "while training:")
    [claim], _ = _read(text, reverse.RULE)
    assert claim.run_steps == "EPOCHS * len(loader)"


def test_a_run_cut_short_by_a_break_is_a_bound_not_a_length():
    step = "        optimizer(grad_fn(*batch)[1])\n"
    text = RUN_PER_BATCH.format(epochs="EPOCHS + 1").replace(step, step + "    if done():\n        break\n")
    result = _safe_conversion(text)
    assert result.output is None
    [warning] = [diagnostic for diagnostic in result.diagnostics if diagnostic.code == "CD112"]
    assert "can run up to (EPOCHS + 1) * len(loader) optimizer steps" in warning.message


def test_a_list_past_decay_epoch_in_a_run_that_ends_before_is_equivalent():
    """Periodicity only matters for steps the loop runs: 120 epochs of a 200-epoch list clamped at 150."""
    text = RUN_PER_BATCH.format(epochs="EPOCHS").replace(
        "EPOCHS * len(loader), 1, EPOCHS * len(loader)", "200 * len(loader), len(loader), 150").replace(
        "range(EPOCHS)", "range(120)")
    result = _safe_conversion(text)
    assert [(d.code, d.fix.applicability) for d in _sites(result)] == [("CD100", "safe")]
    assert result.output is not None


TORCH_REBOUND = """\
import mindspore.nn as nn

{binding}
def main({parameter}):
    lr = nn.cosine_decay_lr(0.0, 0.1, 3 * len(loader), 1, 3 * len(loader))
    optimizer = nn.SGD(net.trainable_params(), learning_rate=lr)
    for epoch in range(3):
        for batch in loader:
            optimizer(grad_fn(*batch)[1])
"""


@pytest.mark.parametrize("binding, parameter", (("torch = None\n", ""), ("", "torch")),
                         ids=("module_level", "parameter"))
def test_every_emitted_torch_reference_reaches_torch_when_the_name_is_rebound(binding, parameter):
    """`torch = None` (or a parameter named torch) would shadow an added `import torch`: the rewrite writes the
    optimizer and the scheduler under an alias that nothing in the module binds."""
    result = _safe_conversion(TORCH_REBOUND.format(binding=binding, parameter=parameter))
    text = result.output.decode()
    assert "import torch as th\n" in text and "\nimport torch\n" not in text
    assert "optimizer = th.optim.SGD(net.parameters(), lr=0.1)" in text
    assert "scheduler = th.optim.lr_scheduler.CosineAnnealingLR(optimizer," in text
    assert "torch.optim" not in text


HELPER_RUN = """\
import mindspore.nn as nn

EPOCHS = 3

lr = nn.cosine_decay_lr(0.0, 0.1, EPOCHS * len(loader), 1, EPOCHS * len(loader))
optimizer = nn.SGD(net.trainable_params(), learning_rate=lr)


def train_step(batch):
    optimizer(grad_fn(*batch)[1])
    return batch


for epoch in range({epochs}):
    for batch in loader:
        train_step(batch)
"""


@pytest.mark.parametrize("epochs", EPOCH_LOOPS)
def test_a_run_through_a_helper_is_counted_from_the_loops_around_its_call(epochs):
    """The loops around the helper's one call site make the run, as if the optimizer stepped there."""
    text = HELPER_RUN.format(epochs=epochs)
    [claim], _ = _read(text, reverse.RULE)
    assert claim.run_steps == f"({epochs}) * len(loader)" if " " in epochs else f"{epochs} * len(loader)"
    result = _safe_conversion(text)
    assert (result.output is not None) == (EPOCH_LOOPS[epochs] <= 3)
    if EPOCH_LOOPS[epochs] > 3:
        [warning] = [diagnostic for diagnostic in result.diagnostics if diagnostic.code == "CD112"]
        assert "MindSpore raises at optimizer step EPOCHS * len(loader)" in warning.message


def test_an_early_return_in_the_helper_makes_the_run_a_bound():
    text = HELPER_RUN.format(epochs="EPOCHS + 1").replace(
        "def train_step(batch):\n", "def train_step(batch):\n    if batch is None:\n        return None\n")
    [warning] = [diagnostic for diagnostic in _safe_conversion(text).diagnostics if diagnostic.code == "CD112"]
    assert "can run up to (EPOCHS + 1) * len(loader) optimizer steps" in warning.message


@pytest.mark.parametrize("calls", ("train_step(first)\n", ""), ids=("two_call_sites", "no_loop_call"))
def test_a_helper_whose_run_is_not_visible_is_not_called_equivalent(calls):
    """A second call site (or none in a loop) hides the run's length: the list may end before it, so the rewrite
    waits for --unsafe-fixes and says why."""
    text = HELPER_RUN.format(epochs="EPOCHS") + calls
    if not calls:
        text = text.replace("for epoch in range(EPOCHS):\n    for batch in loader:\n        train_step(batch)\n",
                            "train_step(first)\n")
    result = _safe_conversion(text)
    assert result.output is None
    main, warning = _sites(result)
    assert (main.code, main.fix.applicability, main.fix.applied) == ("CD100", "unsafe", False)
    assert "assumes a run of at most total_step=EPOCHS * len(loader) optimizer steps" in main.message
    assert warning.code == "CD112" and "inside train_step()" in warning.message
    assert ("called from 2 places" if calls else "not called from a loop here") in warning.message


EPOCH_HELPER = """\
import mindspore.nn as nn


def train_one_epoch(dataset, optimizer):
{guard}    for data, label in dataset.create_tuple_iterator():
        optimizer(grad_fn(data, label)[1])


def main(epochs, dataset):
    steps = dataset.get_dataset_size()
    lr = nn.cosine_decay_lr(0.0, 0.1, epochs * steps, steps, epochs)
    optimizer = nn.SGD(net.trainable_params(), learning_rate=lr)
    for epoch in range(epochs):
        train_one_epoch(dataset, optimizer)
"""


def test_a_helper_running_one_epoch_gets_scheduler_step_after_its_call():
    result = _convert(EPOCH_HELPER.format(guard=""), "torch")
    assert "        train_one_epoch(dataset, optimizer)\n        scheduler.step()\n" in result.output.decode()
    [site] = [diagnostic for diagnostic in _sites(result) if diagnostic.code == "CD100"]
    assert site.fix.applicability == "safe" and "after each call of train_one_epoch() (line 14)" in site.message


def test_a_helper_that_can_return_before_its_batch_loop_leaves_scheduler_step_to_the_user():
    text = EPOCH_HELPER.format(guard="    if dataset is None:\n        return\n")
    result = _convert(text, "torch")
    assert "scheduler.step()" not in result.output.decode()
    [by_hand] = [diagnostic for diagnostic in result.diagnostics if diagnostic.code == "CD102"]
    assert by_hand.line == 7 and "an early return can skip the batch loop" in by_hand.message


STEP_BUDGET = """\
import mindspore.nn as nn

from model import grad_fn, loader, net

lr = nn.cosine_decay_lr(0.0, 0.1, {total}, 1, {total})
optimizer = nn.SGD(net.trainable_params(), learning_rate=lr)
step = 0
while step < max_steps:
    for batch in loader:
{body}
"""
CHECK = "        if step >= max_steps:\n            break\n"
STEP = "        optimizer(grad_fn(*batch)[1])\n"
COUNT = "        step += 1\n"


@pytest.mark.parametrize("body", (CHECK + STEP + COUNT, STEP + COUNT + CHECK), ids=("checked_first", "checked_after"))
def test_a_while_step_budget_is_the_run_length(body):
    """The counter grows with each optimizer step and the batch loop leaves once it reaches the limit, before or
    after the step: the run is max_steps optimizer steps, as long as the list, so the rewrite is exact."""
    text = STEP_BUDGET.format(total="max_steps", body=body.rstrip("\n"))
    [claim], constants = _read(text, reverse.RULE)
    assert claim.run_steps == "max_steps"
    assert verify.verify(claim, constants).kind == verify.EQUIVALENT
    result = _safe_conversion(text)
    assert [(d.code, d.fix.applicability) for d in _sites(result)] == [("CD100", "safe")]
    assert "optimizer(grad_fn(*batch)[1])\n        scheduler.step()\n" in result.output.decode()


def test_a_budget_longer_than_the_list_names_the_step_where_mindspore_raises():
    text = STEP_BUDGET.format(total="max_steps - 1", body=(CHECK + STEP + COUNT).rstrip("\n"))
    result = _safe_conversion(text)
    assert result.output is None
    assert [d.code for d in _sites(result)] == ["CD100", "CD112"]
    assert "runs max_steps optimizer steps but the list has total_step=max_steps - 1" in _messages(result)


@pytest.mark.parametrize("body", (STEP + CHECK + COUNT, CHECK.replace(">=", ">") + STEP + COUNT, STEP + COUNT),
                         ids=("check_between_step_and_increment", "one_step_too_many", "never_checked"))
def test_a_loop_that_can_step_past_the_budget_is_not_a_visible_run(body):
    """A check between the step and the increment, ``>`` instead of ``>=``, or none: the batch loop can make one
    step more than max_steps (or finish its pass), so the run is not the budget and the rewrite stays unsafe."""
    text = STEP_BUDGET.format(total="max_steps", body=body.rstrip("\n"))
    [claim], _ = _read(text, reverse.RULE)
    assert claim.run_steps == "max_steps"
    assert "the loops do not show it" in _messages(_safe_conversion(text))
    assert _safe_conversion(text).output is None
