"""MindSpore ``cosine_decay_lr`` → torch ``CosineAnnealingLR``: round trips, refusals and collisions.

Round trips read the schedule of each program from the claims the rules make about it (the schedule a program's
optimizer uses, with the argument texts of its code) and compare them with the verifier's schedule models: a
conversion there and back must give the learning rates of the original over the whole MindSpore list.
"""

from __future__ import annotations

import ast
import itertools
import math
import re
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
    """Forward fixtures whose MindSpore output hands a cosine_decay_lr list to a MindSpore optimizer (not MIG103's
    bare list; the other schedulers' lists have rules of their own)."""
    return sorted(case for case in (FIXTURES / "torch_to_mindspore").iterdir()
                  if "learning_rate=" in (output := (case / "output.py").read_text()) and "cosine_decay_lr" in output)


def _reverse_cases(stepped: bool = False) -> list[Path]:
    """This direction's fixtures rewritten with --unsafe-fixes; ``stepped``: only those where the rewrite calls
    scheduler.step() itself (not those whose MIG116 leaves it to the user)."""
    cases = []
    for case in sorted((FIXTURES / "mindspore_to_torch").iterdir()):
        if "cosine_decay_lr" not in (case / "input.py").read_text():
            continue
        result = _convert((case / "input.py").read_text(), "torch")
        if result.output is not None and (not stepped or not any(d.code == "MIG116" for d in result.diagnostics)):
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


def _unknowns(schedule: verify.Schedule) -> set[str]:
    return {name for text in schedule.args.values() for name in re.findall(r"[A-Za-z_][\w.]*", text)}


def _sites(result: engine.FileResult) -> list:
    """The diagnostics about the sites themselves, without the lines left to port (MIG112) an applied fix adds."""
    return [diagnostic for diagnostic in result.diagnostics if diagnostic.code != "MIG112"]


def _messages(result: engine.FileResult) -> str:
    return "; ".join(diagnostic.concise() for diagnostic in result.diagnostics)


@pytest.mark.parametrize("case", _forward_cases(), ids=lambda case: case.name)
def test_torch_to_mindspore_and_back_gives_the_original_torch_schedule_or_is_refused(case):
    """Back to torch, the schedule is the original's, or the MindSpore rule refuses with a warning (a helper it does
    not step itself yet, a periodic list read element by element, an optimizer stored in an attribute): never a
    different schedule; a file with several sites, each in order. A checkpoint resume comes back without the
    scheduler's state (MindSpore keeps the step in the optimizer), so the optimizer's own load is refused going
    forward again (MIG110)."""
    original = (case / "input.py").read_text()
    mindspore = _convert(original, "mindspore")
    back = _convert(mindspore.output.decode(), "torch")
    if back.output is None or "MIG116" in {diagnostic.code for diagnostic in back.diagnostics}:
        assert any(diagnostic.severity == "warning" for diagnostic in back.diagnostics), _messages(back)
        return
    befores, constants = _read(original, forward.RULE)
    readback, _ = _read(back.output.decode(), forward.RULE)
    if "scheduler.load_state_dict(" in original and not readback:
        again = _convert(back.output.decode(), "mindspore")
        assert again.output is None and {d.code for d in again.diagnostics} & {"MIG110"}, _messages(again)
        return
    listed, _ = _read(mindspore.output.decode(), reverse.RULE)
    assert len(befores) == len(readback) == len(listed) >= 1
    for before, after, site in zip(befores, readback, listed):
        assert site.run_steps is not None
        if _unknowns(before.source) != _unknowns(after.source):
            # A builder's schedule is read in its parameters' terms, the schedule back in its caller's: each
            # direction's own verified claim relates them, so both must be equivalent.
            assert "[equivalent" in _messages(mindspore) and "[equivalent" in _messages(back), _messages(back)
            continue
        verdict = verify.verify(verify.Claim(before.source, after.source, run_steps=site.run_steps), constants)
        assert verdict.kind == verify.EQUIVALENT, verdict.detail
    assert not any(diagnostic.code == "MIG004" for diagnostic in back.diagnostics)


def test_most_forward_cases_round_trip():
    """The test above is not vacuous: most forward fixtures convert back to the original schedule."""
    back = [case for case in _forward_cases()
            if _convert(_convert((case / "input.py").read_text(), "mindspore").output.decode(), "torch").output]
    assert len(back) >= 15


HELD_STEP = "if scheduler.last_epoch < scheduler.T_max:"
"""The guard that stops the scheduler at T_max, where the list holds min_lr (MIG114)."""


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
        expected = "MIG107" if HELD_STEP in torch else "MIG105" if _groups_with_lr_bound_to_a_name(torch) else "MIG106"
        codes = {diagnostic.code for diagnostic in refused.diagnostics}
        assert expected in codes and codes <= {"MIG105", "MIG106", "MIG107"}, _messages(refused)


def _groups_with_lr_bound_to_a_name(source: str) -> bool:
    """Param groups setting their own "lr", bound to a name before the torch optimizer takes them: the forward rule
    writes one list per group only for groups in the optimizer call, and refuses these first (MIG105)."""
    tree = ast.parse(source)
    bound = {node.targets[0].id: node.value for node in ast.walk(tree) if isinstance(node, ast.Assign)
             and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)}
    for call in (node for node in ast.walk(tree) if isinstance(node, ast.Call)):
        if ast.unparse(call.func).startswith("torch.optim.") and call.args and isinstance(call.args[0], ast.Name):
            groups = bound.get(call.args[0].id)
            if isinstance(groups, ast.List) and any(
                    isinstance(group, ast.Dict) and any(isinstance(key, ast.Constant) and key.value == "lr"
                                                         for key in group.keys) for group in groups.elts):
                return True
    return False


@pytest.mark.parametrize("case", _reverse_cases(), ids=lambda case: case.name)
def test_the_emitted_scheduler_matches_the_list_where_the_verdict_says_so(case):
    """The claim is checked against the arguments the torch code really carries, not the ones the rule meant, and
    against the stepping it writes (or, for MIG116, tells the user to write): held at T_max or not."""
    original = (case / "input.py").read_text()
    [claim], constants = _read(original, reverse.RULE)
    emitted = _convert(original, "torch").output.decode()
    if claim.target.model == WRITTEN_OUT_WARMUP:
        _assert_claims_the_lambdas_it_writes(emitted, claim, constants)
        return
    call = next(node for node in _calls(emitted) if cst.Module([]).code_for_node(node.func).endswith(
        "lr_scheduler.CosineAnnealingLR"))
    arguments = {argument.keyword.value: cst.Module([]).code_for_node(argument.value)
                 for argument in call.args if argument.keyword is not None}
    last_epoch = arguments.pop("last_epoch", None)
    assert arguments == {"T_max": claim.target.args["T_max"], "eta_min": claim.target.args["eta_min"]}
    by_hand = " ".join(d.message for d in _convert(original, "torch").diagnostics if d.code == "MIG116")
    held = HELD_STEP in emitted or "only while scheduler.last_epoch < scheduler.T_max" in by_hand
    if claim.target.model == "torch.ResumedCosineAnnealingLR":
        _assert_claims_the_resume_it_writes(emitted, claim, last_epoch)
        return
    if last_epoch is None:
        base_lr = claim.target.args["base_lr"]
        assert f"lr={base_lr}" in emitted or f'"lr": {base_lr}' in emitted, "the optimizer's or its group's lr"
    else:
        assert f'["initial_lr"] = {claim.target.args["base_lr"]}\n' in emitted
        _assert_resumes_the_uninterrupted_run(emitted, arguments, claim.target.args["base_lr"], last_epoch, held,
                                              constants)
    emitted_arguments = {
        "base_lr": claim.source.args["max_lr"], "T_max": arguments["T_max"], "eta_min": arguments["eta_min"],
        "step_every": claim.source.args["step_per_epoch"],
    }
    if "SequentialLR(" in emitted:
        milestone = _warmup_epochs(emitted)
        schedule = verify.Schedule("torch.LambdaWarmupCosine", {**emitted_arguments, "warmup_epochs": milestone})
    else:
        schedule = verify.Schedule("torch.HeldCosineAnnealingLR" if held else "torch.CosineAnnealingLR",
                                   emitted_arguments)
    emitted_claim = verify.Claim(claim.source, schedule, run_steps=claim.run_steps, agrees_for=claim.agrees_for,
                                 definitions=claim.definitions)
    agreement = verify.verify(emitted_claim, constants)
    assert agreement.kind == verify.verify(claim, constants).kind


WRITTEN_OUT_WARMUP = "torch.SequentialLR[torch.LambdaLR,torch.LambdaLR]"


def _assert_claims_the_lambdas_it_writes(emitted: str, claim: verify.Claim, constants) -> None:
    """A warmup written out: the optimizer's lr, the two LambdaLRs' lambdas and the SequentialLR's milestone as the
    torch code carries them, against the list, give the claim's verdict; and the scheduler steps after every
    optimizer step."""
    code = cst.Module([]).code_for_node
    calls = [node for node in _calls(emitted) if code(node.func).startswith("torch.optim")]
    [chain] = [node for node in calls if code(node.func).endswith("SequentialLR")]
    members = [code(element.value) for element in chain.args[1].value.elements]
    bound = {code(assign.targets[0].target): code(assign.value.args[1].value)
             for assign in _assignments(emitted) if code(assign.value.func).endswith("LambdaLR")}
    lambdas = [bound[member] for member in members]
    [milestones] = [argument.value for argument in chain.args
                    if argument.keyword and argument.keyword.value == "milestones"]
    [optimizer] = [node for node in calls if "lr_scheduler" not in code(node.func)]
    [lr] = [code(argument.value) for argument in optimizer.args if argument.keyword and argument.keyword.value == "lr"]
    assert len(lambdas) == 2 and "scheduler.step()" in emitted
    carried = verify.Schedule(WRITTEN_OUT_WARMUP, {"base_lr": lr, "milestones": code(milestones), "0.lr_lambda":
                                                   lambdas[0], "1.lr_lambda": lambdas[1], "step_every": "1"})
    emitted_claim = verify.Claim(claim.source, carried, run_steps=claim.run_steps, agrees_for=claim.agrees_for,
                                 definitions=claim.definitions)
    assert verify.verify(emitted_claim, constants).kind == verify.verify(claim, constants).kind


def _assert_claims_the_resume_it_writes(emitted: str, claim: verify.Claim, last_epoch: str) -> None:
    """A claim on the resumed run names what the torch code carries: the optimizer's lr, each group's initial_lr and
    the scheduler's last_epoch, one epoch before the claim's start epoch."""
    args = claim.target.args
    optimizer = next(node for node in _calls(emitted) if cst.Module([]).code_for_node(node.func).startswith(
        "torch.optim.") and "lr_scheduler" not in cst.Module([]).code_for_node(node.func))
    [start_lr] = [cst.Module([]).code_for_node(argument.value) for argument in optimizer.args
                  if argument.keyword is not None and argument.keyword.value == "lr"]
    assert start_lr == args["start_lr"]
    assert f'["initial_lr"] = {args["initial_lr"]}\n' in emitted
    assert last_epoch.replace(" ", "") in (f"{args['start_epoch']}-1".replace(" ", ""),
                                           str(int(args["start_epoch"]) - 1) if args["start_epoch"].isdigit() else "")
    assert claim.source.model == "mindspore.sliced_cosine_decay_lr"


def _assert_resumes_the_uninterrupted_run(emitted: str, arguments: dict, base_lr: str, last_epoch: str, held: bool,
                                          constants: dict) -> None:
    """A resumed CosineAnnealingLR continues the uninterrupted run (the claim's) exactly when the optimizer's lr at
    construction is torch's closed form at ``last_epoch + 1`` (at ``T_max`` once past it, for a held scheduler):
    checked by evaluating the emitted ``lr=`` for sampled values of what it reads."""
    optimizer = next(node for node in _calls(emitted) if cst.Module([]).code_for_node(node.func).startswith(
        "torch.optim.") and "lr_scheduler" not in cst.Module([]).code_for_node(node.func))
    [start_lr] = [cst.Module([]).code_for_node(argument.value) for argument in optimizer.args
                  if argument.keyword is not None and argument.keyword.value == "lr"]
    texts = [start_lr, last_epoch, base_lr, *arguments.values()]
    unknown = sorted({node.id for text in texts for node in ast.walk(ast.parse(text)) if isinstance(node, ast.Name)}
                     - set(constants) - {"math", "min"})
    for point in itertools.product(verify.SAMPLES["count"], repeat=len(unknown)):
        scope = {**constants, **dict(zip(unknown, point)), "math": math}
        T, eta_min, base = (eval(text, scope) for text in (arguments["T_max"], arguments["eta_min"], base_lr))
        epoch = eval(last_epoch, scope) + 1
        epoch = min(epoch, T) if held else epoch
        expected = eta_min + (base - eta_min) * (1 + math.cos(math.pi * epoch / T)) / 2
        assert math.isclose(eval(start_lr, scope), expected, rel_tol=1e-12, abs_tol=1e-15), (point, start_lr)


def _warmup_epochs(emitted: str) -> str:
    """The milestone of the emitted SequentialLR, checked to be where its LambdaLR's ramp ``epoch / W`` ends."""
    code = cst.Module([]).code_for_node
    calls = {code(node.func).rsplit(".", 1)[-1]: node for node in _calls(emitted)}
    [milestones] = [argument.value for argument in calls["SequentialLR"].args if argument.keyword
                    and argument.keyword.value == "milestones"]
    [element] = milestones.elements
    ramp = calls["LambdaLR"].args[1].value
    assert code(ramp.body) == f"epoch / {code(element.value)}", code(ramp)
    return code(element.value)


def _assignments(text: str) -> list[cst.Assign]:
    """Each ``name = call(...)`` of the text."""
    found: list[cst.Assign] = []

    class Assignments(cst.CSTVisitor):
        def visit_Assign(self, node: cst.Assign) -> None:
            if len(node.targets) == 1 and isinstance(node.value, cst.Call):
                found.append(node)

    cst.parse_module(text).visit(Assignments())
    return found


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
    assert [diagnostic.code for diagnostic in sites] == ["MIG100", "MIG100"]
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
    "several_optimizers_over_different_runs": (
        "lr = nn.cosine_decay_lr(0.0, 0.1, 10 * len(loader), len(loader), 10)\n"
        "a = nn.SGD(net_a.trainable_params(), learning_rate=lr)\n"
        "b = nn.SGD(net_b.trainable_params(), learning_rate=lr)\n"
        "for epoch in range(10):\n"
        "    for batch in loader:\n"
        "        a(grad_a(*batch)[1])\n"
        "for epoch in range(5):\n"
        "    for batch in loader:\n"
        "        b(grad_b(*batch)[1])\n",
        "MIG107", "feeds several optimizers that step for different runs"),
    "several_optimizers_one_read_element_by_element": (
        "lr = nn.cosine_decay_lr(0.0, 0.1, 10 * len(loader), len(loader), 10)\n"
        "a = nn.SGD(net_a.trainable_params(), learning_rate=lr)\n"
        "b = nn.SGD(net_b.trainable_params(), learning_rate=lr)\n"
        "step = 0\n"
        "for epoch in range(10):\n"
        "    for batch in loader:\n"
        "        print(lr[step])\n"
        "        a(grad_a(*batch)[1])\n"
        "        b(grad_b(*batch)[1])\n"
        "        step += 1\n",
        "MIG107", "feeds several optimizers and is read element by element"),
    "length_read": (
        "lr = nn.cosine_decay_lr(0.0, 0.1, 10 * len(loader), len(loader), 10)\n"
        "optimizer = nn.SGD(net.trainable_params(), learning_rate=lr)\n"
        "print(len(lr))\n",
        "MIG107", "passed to `len(...)`"),
    "optimizer_inline_in_model": (
        "lr = nn.cosine_decay_lr(0.0, 0.1, 10 * len(loader), len(loader), 10)\n"
        "model = Model(net, loss, nn.Momentum(net.trainable_params(), lr, 0.9))\n",
        "MIG109", "not bound to one variable"),
    "argument_reassigned_before_the_optimizer": (
        "base = 0.1\n"
        "lr = nn.cosine_decay_lr(0.0, base, 10 * len(loader), len(loader), 10)\n"
        "base = 0.2\n"
        "optimizer = nn.SGD(net.trainable_params(), learning_rate=lr)\n",
        "MIG105", "`base` is assigned at line 6"),
    "optimizer_handed_to_a_function": (
        "lr = nn.cosine_decay_lr(0.0, 0.1, 10 * len(loader), len(loader), 10)\n"
        "optimizer = nn.SGD(net.trainable_params(), learning_rate=lr)\n"
        "train(net, optimizer, loader)\n",
        "MIG106", "passed to `train(...)`"),
    "never_stepped": (
        "lr = nn.cosine_decay_lr(0.0, 0.1, 10 * len(loader), len(loader), 10)\n"
        "optimizer = nn.SGD(net.trainable_params(), learning_rate=lr)\n",
        "MIG106", "never stepped"),
    "getattr": (
        "make = getattr(nn, 'cosine_decay_lr')\n",
        "MIG108", "getattr"),
    "adam_nesterov": (
        "lr = nn.cosine_decay_lr(0.0, 0.1, 10 * len(loader), len(loader), 10)\n"
        "optimizer = nn.Adam(net.trainable_params(), learning_rate=lr, use_nesterov=True)\n",
        "MIG104", "use_nesterov=True"),
}


@pytest.mark.parametrize("source, code, fragment", REFUSED.values(), ids=REFUSED.keys())
def test_sites_that_cannot_be_rewritten_exactly_are_reported_and_kept(source, code, fragment):
    text = "import mindspore.nn as nn\nfrom mindspore import Model\n\n" + source
    result = _convert(text, "torch")
    assert result.output is None
    assert any(diagnostic.code == code and fragment in diagnostic.message for diagnostic in result.diagnostics), (
        _messages(result))
    assert "MIG100" not in {diagnostic.code for diagnostic in result.diagnostics}


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
    [by_hand] = [diagnostic for diagnostic in result.diagnostics if diagnostic.code == "MIG116"]
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
    assert [diagnostic.code for diagnostic in _sites(result)] == ["MIG100"]
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
    assert [diagnostic.code for diagnostic in _sites(result)] == ["MIG106", "MIG100"]
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
    assert (main.code, main.fix.applicability, main.fix.applied) == ("MIG100", "unsafe", False)
    loop_line = text[:text.index("for epoch")].count("\n") + 1
    assert (warning.code, warning.severity, warning.line) == ("MIG102", "warning", loop_line)
    assert f"MindSpore raises at optimizer step {total}" in warning.message
    assert "diverges: from optimizer step 3 with" in warning.message
    with_unsafe = engine.process_bytes(text.encode(), "input.py", engine.Options(to="torch", unsafe_fixes=True),
                                       engine.load_rules("torch"))
    assert "scheduler.step()" in with_unsafe.output.decode()
    assert [diagnostic.code for diagnostic in _sites(with_unsafe)] == ["MIG100", "MIG102"]


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
    [warning] = [diagnostic for diagnostic in result.diagnostics if diagnostic.code == "MIG102"]
    assert "can run up to (EPOCHS + 1) * len(loader) optimizer steps" in warning.message


def test_a_list_past_decay_epoch_in_a_run_that_ends_before_is_equivalent():
    """Periodicity only matters for steps the loop runs: 120 epochs of a 200-epoch list clamped at 150."""
    text = RUN_PER_BATCH.format(epochs="EPOCHS").replace(
        "EPOCHS * len(loader), 1, EPOCHS * len(loader)", "200 * len(loader), len(loader), 150").replace(
        "range(EPOCHS)", "range(120)")
    result = _safe_conversion(text)
    assert [(d.code, d.fix.applicability) for d in _sites(result)] == [("MIG100", "safe")]
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
        [warning] = [diagnostic for diagnostic in result.diagnostics if diagnostic.code == "MIG102"]
        assert "MindSpore raises at optimizer step EPOCHS * len(loader)" in warning.message


def test_an_early_return_in_the_helper_makes_the_run_a_bound():
    text = HELPER_RUN.format(epochs="EPOCHS + 1").replace(
        "def train_step(batch):\n", "def train_step(batch):\n    if batch is None:\n        return None\n")
    [warning] = [diagnostic for diagnostic in _safe_conversion(text).diagnostics if diagnostic.code == "MIG102"]
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
    assert (main.code, main.fix.applicability, main.fix.applied) == ("MIG100", "unsafe", False)
    assert "assumes a run of at most total_step=EPOCHS * len(loader) optimizer steps" in main.message
    assert warning.code == "MIG102" and "inside train_step()" in warning.message
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
    [site] = [diagnostic for diagnostic in _sites(result) if diagnostic.code == "MIG100"]
    assert site.fix.applicability == "safe" and "after each call of train_one_epoch() (line 14)" in site.message


def test_a_helper_that_can_return_before_its_batch_loop_leaves_scheduler_step_to_the_user():
    text = EPOCH_HELPER.format(guard="    if dataset is None:\n        return\n")
    result = _convert(text, "torch")
    assert "scheduler.step()" not in result.output.decode()
    [by_hand] = [diagnostic for diagnostic in result.diagnostics if diagnostic.code == "MIG116"]
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
    assert [(d.code, d.fix.applicability) for d in _sites(result)] == [("MIG100", "safe")]
    assert "optimizer(grad_fn(*batch)[1])\n        scheduler.step()\n" in result.output.decode()


def test_a_budget_longer_than_the_list_names_the_step_where_mindspore_raises():
    text = STEP_BUDGET.format(total="max_steps - 1", body=(CHECK + STEP + COUNT).rstrip("\n"))
    result = _safe_conversion(text)
    assert result.output is None
    assert [d.code for d in _sites(result)] == ["MIG100", "MIG102"]
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


PAST_DECAY_EPOCH = """\
import mindspore.nn as nn

from model import grad_fn, loader, net

lr = nn.cosine_decay_lr(0.001, 0.1, 12 * len(loader), {step_per_epoch}, {decay_epoch})
optimizer = nn.SGD(net.trainable_params(), learning_rate=lr)
for epoch in range(12):
    for batch in loader:
        optimizer(grad_fn(*batch)[1])
"""


def _with_policy(text: str, periodic: str) -> engine.FileResult:
    from migrate.config import Config

    options = engine.Options(to="torch", config=Config(periodic=periodic))
    return engine.process_bytes(text.encode(), "input.py", options, engine.load_rules("torch"))


@pytest.mark.parametrize("step_per_epoch, decay_epoch, guard", (
    ("len(loader)", "4", "    if scheduler.last_epoch < scheduler.T_max:\n        scheduler.step()\n"),
    ("1", "5 * len(loader)", "        if scheduler.last_epoch < scheduler.T_max:\n            scheduler.step()\n"),
), ids=("per_epoch", "per_step"))
def test_a_run_past_decay_epoch_stops_the_scheduler_at_t_max_by_default(step_per_epoch, decay_epoch, guard):
    """The list holds min_lr after decay_epoch; the scheduler stepped only while last_epoch < T_max holds eta_min
    too: exact (MIG114 says the plain scheduler would have climbed back), where the plain one diverges."""
    text = PAST_DECAY_EPOCH.format(step_per_epoch=step_per_epoch, decay_epoch=decay_epoch)
    result = _safe_conversion(text)
    assert [(d.code, d.fix.applicability if d.fix else None) for d in _sites(result)] == [
        ("MIG100", "safe"), ("MIG114", None)]
    assert result.output.decode().endswith(guard)
    [claim], constants = _read(text, reverse.RULE)
    assert claim.target.model == "torch.HeldCosineAnnealingLR"
    assert verify.verify(claim, constants).kind == verify.EQUIVALENT
    plain = verify.Claim(claim.source, verify.Schedule("torch.CosineAnnealingLR", dict(claim.target.args)),
                         run_steps=claim.run_steps, agrees_for=claim.agrees_for)
    assert verify.verify(plain, constants).kind == verify.DIVERGES


def test_periodic_clamp_keeps_the_plain_scheduler_as_an_unsafe_fix_and_refuse_keeps_the_site():
    text = PAST_DECAY_EPOCH.format(step_per_epoch="len(loader)", decay_epoch="4")
    clamped = _with_policy(text, "clamp")
    assert [(d.code, d.fix.applicability if d.fix else None) for d in _sites(clamped)] == [
        ("MIG100", "unsafe"), ("MIG101", None)]
    assert "diverges: from optimizer step 5" in _messages(clamped)
    refused = _with_policy(text, "refuse")
    assert refused.output is None
    [diagnostic] = refused.diagnostics
    assert (diagnostic.code, diagnostic.fix) == ("MIG101", None)
    assert "periodic = \"refuse\" keeps the site" in diagnostic.message


def test_a_run_ending_before_decay_epoch_keeps_the_plain_scheduler():
    """No guard where the run never reaches the clamp: the plain CosineAnnealingLR is exact there."""
    text = PAST_DECAY_EPOCH.format(step_per_epoch="len(loader)", decay_epoch="11")
    result = _safe_conversion(text)
    assert [d.code for d in _sites(result)] == ["MIG100"]
    assert result.output.decode().endswith("        optimizer(grad_fn(*batch)[1])\n    scheduler.step()\n")


@pytest.mark.parametrize("T_max, eta_min, step_every", ((4, 0.01, 1), (7, 0.0, 3), (1, 1e-5, 2), (10, 0.001, 1)))
def test_the_held_cosine_model_is_torch_stepped_only_while_last_epoch_is_below_t_max(torch, T_max, eta_min,
                                                                                    step_every):
    """Oracle: torch 2.13's CosineAnnealingLR with `if scheduler.last_epoch < scheduler.T_max: scheduler.step()`
    after every step_every optimizer steps, against the verifier's model, over three times T_max."""
    import numpy as np

    from migrate.schedules import model

    optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=T_max, eta_min=eta_min)
    steps = 3 * (T_max + 1) * step_every
    observed = []
    for step in range(steps):
        observed.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        if (step + 1) % step_every == 0 and scheduler.last_epoch < scheduler.T_max:
            scheduler.step()
    held = model("torch.HeldCosineAnnealingLR").per_step(
        {"base_lr": 0.1, "T_max": T_max, "eta_min": eta_min, "step_every": step_every}, steps)
    np.testing.assert_allclose(held, observed, rtol=verify.RTOL, atol=verify.ATOL_SCALE * 0.1)
    assert observed[-1] == eta_min


WARMUP_SUM = """\
import mindspore.nn as nn

steps = len(loader)
lr = nn.warmup_lr({learning_rate}, {warmup_total}, {warmup_every}, 5) + nn.cosine_decay_lr(0.0, 0.1, {total}, steps, 95)
optimizer = nn.SGD(net.trainable_params(), learning_rate=lr)
for epoch in range(100):
    for batch in loader:
        optimizer(grad_fn(*batch)[1])
"""
WARMUP_EXACT = {"learning_rate": "0.1", "warmup_total": "5 * steps", "warmup_every": "steps", "total": "95 * steps"}


def test_a_warmup_before_the_cosine_becomes_a_sequential_lr_verified_against_the_sum():
    text = WARMUP_SUM.format(**WARMUP_EXACT)
    [claim], constants = _read(text, reverse.RULE)
    assert (claim.source.model, claim.target.model) == ("mindspore.warmup_lr+cosine_decay_lr",
                                                        "torch.LambdaWarmupCosine")
    assert claim.run_steps == "100 * steps" and claim.agrees_for == "(5 * steps) + (95 * steps)"
    assert verify.verify(claim, constants).kind == verify.EQUIVALENT
    result = _safe_conversion(text)
    assert [(d.code, d.fix.applicability) for d in _sites(result)] == [("MIG100", "safe")]
    output = result.output.decode()
    assert "warmup_scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda epoch: epoch / 5)\n" in output
    assert ("scheduler = torch.optim.lr_scheduler.SequentialLR(optimizer, [warmup_scheduler, cosine_scheduler], "
            "milestones=[5])\n") in output
    assert "warmup_lr" not in output and "cosine_decay_lr" not in output


@pytest.mark.parametrize("change, reason", (
    ({"warmup_every": "1"}, "its step_per_epoch=1 is not the cosine list's steps"),
    ({"warmup_total": "500"}, "its total_step=500 is not warmup_epoch * step_per_epoch = 5 * steps"),
    ({"learning_rate": "0.05"}, "it rises to learning_rate=0.05, not to the cosine's max_lr=0.1"),
    ({"total": "97 * steps"}, "the cosine list's total_step=97 * steps goes past (decay_epoch + 1) * step_per_epoch"),
), ids=("other_step_per_epoch", "not_whole_epochs", "other_learning_rate", "cosine_holds_min_lr"))
def test_a_warmup_no_sequential_lr_reproduces_is_refused_with_the_reason(change, reason):
    """Never the cosine part alone: the whole site is kept, and MIG118 names the condition that fails."""
    result = _safe_conversion(WARMUP_SUM.format(**{**WARMUP_EXACT, **change}))
    assert result.output is None
    [diagnostic] = result.diagnostics
    assert diagnostic.code == "MIG118" and reason in diagnostic.message


def test_a_warmup_whose_epochs_name_is_rebound_is_refused():
    """The LambdaLR reads warmup_epochs at every step: a second binding of the name could change it."""
    text = WARMUP_SUM.format(**WARMUP_EXACT).replace("steps, 5)", "steps, warmup)").replace(
        "steps = len(loader)\n", "steps = len(loader)\nwarmup = 5\nwarmup = 5\n")
    result = _safe_conversion(text)
    assert result.output is None
    assert [d.code for d in result.diagnostics] == ["MIG105"]


@pytest.mark.parametrize("warmup_epochs, epochs, step_every", ((2, 8, 3), (3, 12, 1), (1, 5, 2), (5, 30, 1)))
def test_the_sequential_warmup_model_is_torch_and_the_sum_model_is_mindspore(torch, ms_nn, warmup_epochs, epochs,
                                                                            step_every):
    """Oracles: torch 2.13's SequentialLR([LambdaLR(lambda epoch: epoch / W), CosineAnnealingLR]) and MindSpore
    2.10's warmup_lr(...) + cosine_decay_lr(...), each against its model bit for bit, and the two within the
    verifier's tolerance."""
    import numpy as np

    from migrate.schedules import model

    base, eta, decay = 0.1, 1e-5, epochs - warmup_epochs
    optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=base)
    chain = torch.optim.lr_scheduler.SequentialLR(optimizer, [
        torch.optim.lr_scheduler.LambdaLR(optimizer, lambda epoch: epoch / warmup_epochs),
        torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=decay, eta_min=eta)], milestones=[warmup_epochs])
    steps = epochs * step_every
    observed = []
    for step in range(steps):
        observed.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        if (step + 1) % step_every == 0:
            chain.step()
    torch_model = model("torch.LambdaWarmupCosine").per_step(
        {"base_lr": base, "warmup_epochs": warmup_epochs, "T_max": decay, "eta_min": eta, "step_every": step_every},
        steps)
    assert torch_model.tolist() == observed
    listed = (ms_nn.warmup_lr(base, warmup_epochs * step_every, step_every, warmup_epochs)
              + ms_nn.cosine_decay_lr(eta, base, decay * step_every, step_every, decay))
    sum_model = model("mindspore.warmup_lr+cosine_decay_lr").per_step(
        {"learning_rate": base, "warmup_total_step": warmup_epochs * step_every, "warmup_step_per_epoch": step_every,
         "warmup_epoch": warmup_epochs, "min_lr": eta, "max_lr": base, "total_step": decay * step_every,
         "step_per_epoch": step_every, "decay_epoch": decay}, steps + 1)
    assert sum_model[:steps].tolist() == listed and sum_model[steps] == np.inf
    np.testing.assert_allclose(observed, listed, rtol=verify.RTOL, atol=verify.ATOL_SCALE * base)


ONE_LIST_TWO_OPTIMIZERS = """\
import mindspore.nn as nn

lr = nn.cosine_decay_lr(0.0, 2e-4, 100 * len(loader), len(loader), 100)
optimizer_g = nn.Adam(generator.trainable_params(), learning_rate=lr, beta1=0.5)
optimizer_d = nn.Adam(discriminator.trainable_params(), learning_rate=lr, beta1=0.5)
for epoch in range(100):
    for real in loader:
        optimizer_d(grad_d(real)[1])
        optimizer_g(grad_g(real)[1])
"""


def test_one_list_feeding_two_optimizers_gets_a_scheduler_per_optimizer():
    """Each MindSpore optimizer reads the list by its own global step: each torch optimizer gets its own
    CosineAnnealingLR, named after it, stepped where its steps show; one verdict covers both, as they step over
    the same run."""
    result = _safe_conversion(ONE_LIST_TWO_OPTIMIZERS)
    [main] = _sites(result)
    assert (main.code, main.fix.applicability) == ("MIG100", "safe")
    assert "the list also feeds optimizer_d (line 5), which gets its own scheduler_d" in main.message
    text = result.output.decode()
    for suffix in ("g", "d"):
        assert (f"scheduler_{suffix} = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer_{suffix}, T_max=100, "
                "eta_min=0.0)\n") in text
    assert text.endswith("        optimizer_g(grad_g(real)[1])\n    scheduler_g.step()\n    scheduler_d.step()\n")
    assert "cosine_decay_lr" not in text


def _cosine_lines(source: str) -> set[int]:
    return {node.lineno for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Call)
            and (getattr(node.func, "attr", None) or getattr(node.func, "id", None)) in LIST_FUNCTIONS}


LIST_FUNCTIONS = ("cosine_decay_lr", "exponential_decay_lr", "piecewise_constant_lr", "polynomial_decay_lr", "warmup_lr")
"""The MindSpore list functions a reverse rule converts: a diagnostic at one of their calls is at its call line."""


ABOUT_THE_OPTIMIZER = {"MIG100", "MIG104", "MIG108", "MIG112", "MIG114"}
"""The site's own note, and notes about the optimizer or a reference at their own line."""


@pytest.mark.parametrize("case", sorted((FIXTURES / "mindspore_to_torch").iterdir()), ids=lambda case: case.name)
def test_a_diagnostic_away_from_the_call_cites_the_call_line(case):
    """A refusal or a warning about a cosine_decay_lr list reported at another line (a loop 85 lines below, a read,
    the optimizer) names the line of the call it is about."""
    source = (case / "input.py").read_text()
    calls = _cosine_lines(source)
    for diagnostic in _convert(source, "torch").diagnostics:
        if diagnostic.code in ABOUT_THE_OPTIMIZER or diagnostic.line in calls:
            continue
        assert any(f"line {line}" in diagnostic.message for line in calls), diagnostic.concise()


REFUSED_AFTER_ITS_RUN = """\
import mindspore.nn as nn

from data import log
from model import Net, loader

net = Net()
lr = nn.cosine_decay_lr(0.0, 0.1, 100 * len(loader), len(loader), 80)
optimizer = nn.Momentum(net.trainable_params(), learning_rate=lr, momentum=0.9)
shown = 0
for epoch in range(100):
    for batch in loader:
        optimizer(None)
    log("lr", lr[shown])
    shown += len(loader)
"""


def test_a_refused_site_also_reports_that_its_run_passes_decay_epoch_at_the_call():
    result = _convert(REFUSED_AFTER_ITS_RUN, "torch")
    assert result.output is None
    by_code = {diagnostic.code: diagnostic for diagnostic in result.diagnostics}
    assert set(by_code) == {"MIG107", "MIG101"}
    assert by_code["MIG107"].line == 13 and by_code["MIG101"].line == 7
    assert "the run (the loop at line 10, 100 * len(loader) optimizer steps) goes past" in by_code["MIG101"].message
    assert "from optimizer step 81 * len(loader)" in by_code["MIG101"].message


def test_a_refused_site_whose_list_ends_by_decay_epoch_reports_nothing_more():
    within = REFUSED_AFTER_ITS_RUN.replace("len(loader), 80)", "len(loader), 100)")
    assert [diagnostic.code for diagnostic in _convert(within, "torch").diagnostics] == ["MIG107"]


def test_an_out_of_sight_run_is_judged_by_the_list_length():
    source = REFUSED_AFTER_ITS_RUN.replace("for epoch in range(100):", "while not stop():").replace(
        "from data import log", "from data import log, stop")
    [past] = [d for d in _convert(source, "torch").diagnostics if d.code == "MIG101"]
    assert past.message.startswith("the list has total_step=100 * len(loader) entries and goes past")


@pytest.mark.parametrize("arguments, why", [("args.lr, args.lr", "the same expression, args.lr"),
                                            ("0.2, 0.1", "min_lr=0.2 is not below max_lr=0.1")])
def test_min_lr_not_below_max_lr_is_reported_with_what_else_blocks_the_site(arguments, why):
    source = ("import mindspore.nn as nn\n\nfrom model import Net, args, loader\n\nnet = Net()\n"
              f"lr = nn.cosine_decay_lr({arguments}, 30 * len(loader), len(loader), 30)\n"
              "optimizer = nn.RMSProp(net.trainable_params(), learning_rate=lr)\n"
              "for epoch in range(30):\n    for batch in loader:\n        optimizer(None)\n")
    result = _convert(source, "torch")
    assert [(d.code, d.line) for d in result.diagnostics] == [("MIG105", 6), ("MIG103", 7)]
    assert why in result.diagnostics[0].message
    mapped = _convert(source.replace("nn.RMSProp", "nn.SGD"), "torch")
    assert mapped.output is None and [d.code for d in mapped.diagnostics] == ["MIG105"], (
        "refused, not an unverifiable rewrite, with counts the verifier samples")
