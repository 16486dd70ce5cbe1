"""The program model: where a scheduler and its optimizer live, and the cadence read from real training shapes.

Each case is one of the runnable scripts in ``tests/programs/torch_to_mindspore`` (written in the shapes public
training code has: helpers called once per epoch, trainer classes, builders, flags); the model must read the same
cadence a person reads.
"""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper

from migrate.analysis import Analysis
from migrate.program import Program
from migrate.program.cadence import cadence

PROGRAMS = Path(__file__).resolve().parent / "programs" / "torch_to_mindspore"
SCHEDULER = "torch.optim.lr_scheduler.CosineAnnealingLR"


def _site(name: str):
    source = (PROGRAMS / name).read_text()
    analysis = Analysis(MetadataWrapper(cst.parse_module(source), unsafe_skip_copy=True), source)
    program = Program(analysis)
    calls = []

    class Finder(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            if SCHEDULER in analysis.names_of(node.func):
                calls.append(node)

    analysis.module.visit(Finder())
    return analysis, program, calls[0]


def _cadence(name: str, site=None):
    analysis, program, call = site or _site(name)
    scheduler = program.follow(call)
    optimizer = program.follow(program.origin(call.args[0].value))
    sites = [use.call for use in optimizer.methods("step")] + [
        use.call for use in optimizer.of_kind("argument") if use.detail.endswith(".step")]
    assert len(sites) == 1 and len(scheduler.methods("step")) == 1
    step = analysis.statement(scheduler.methods("step")[0].call)
    allowed = tuple(next(node for node in analysis.ancestors(use.node) if isinstance(node, cst.If))
                    for use in scheduler.of_kind("none-test"))
    return cadence(program, step, analysis.statement(sites[0]), analysis.statement(call), allowed)


@pytest.mark.parametrize("name, every, run", [
    ("inline_per_epoch.py", "len(loader)", "epochs * len(loader)"),
    ("cifar_globals_train_helper.py", "len(trainloader)", "EPOCHS * len(trainloader)"),
    ("main_train_one_epoch_params.py", "len(loader)", "args.epochs * len(loader)"),
    ("amp_scaler_helper.py", "len(loader)", "epochs * len(loader)"),
    ("trainer_class_attributes.py", "len(self.loader)", "self.epochs * len(self.loader)"),
    ("per_iteration_t_max_in_steps.py", "1", "epochs * len(loader)"),
    ("none_first_guarded_step.py", "len(loader)", "args.epochs * len(loader)"),
])
def test_cadence_is_read_through_helpers_methods_and_guards(name, every, run):
    found = _cadence(name)
    assert (found.step_every, found.run_steps) == (every, run)


@pytest.mark.parametrize("name, exit_, line", [
    ("skip_non_finite_loss.py", cst.Continue, 19),
    ("iters_per_epoch_cap.py", cst.Break, 23),
])
def test_an_exit_that_can_end_an_epoch_early_is_kept_for_the_caller_to_say(name, exit_, line):
    """The count is the most a pass runs; the exit comes back so the rewrite says where an epoch can be shorter."""
    site = _site(name)
    found = _cadence(name, site)
    analysis = site[0]
    assert [(type(node), analysis.line(node)) for node in found.early_exits] == [(exit_, line)]


def test_a_step_before_the_epochs_batches_is_a_per_epoch_cadence_read_from_the_next_epoch():
    found = _cadence("step_at_epoch_start_darts.py")
    assert (found.per_epoch, found.epoch_start, found.step_every) == (True, True, "len(train_queue)")


def test_follow_reaches_the_scheduler_through_a_builder_and_names_competitors():
    analysis, program, call = _site("builder_returns_tuple.py")
    tracked = program.follow(call)
    assert [analysis.line(binding.statement) for binding in tracked.bindings] == [11, 19]
    assert [(use.kind, use.detail, analysis.line(use.node)) for use in tracked.uses] == [("method", "step", 25)]
    analysis, program, call = _site("flag_choice_cos_or_step.py")
    competitors = program.follow(call).competitors
    assert [(analysis.line(statement), analysis.code(value).split("(")[0]) for statement, value in competitors] == [
        (22, "torch.optim.lr_scheduler.StepLR")]


def test_follow_classifies_reads_of_the_scheduler():
    analysis, program, call = _site("checkpoint_state_dict.py")
    assert [use.detail for use in program.follow(call).methods()] == ["step", "state_dict"]
    analysis, program, call = _site("none_first_guarded_step.py")
    tracked = program.follow(call)
    assert [use.kind for use in tracked.uses] == ["none-test", "method"]
    assert [analysis.code(value) for _, value in tracked.competitors] == ["None"]


def test_origin_follows_self_attributes_and_parameters():
    analysis, program, call = _site("trainer_class_attributes.py")
    assert analysis.code(program.origin(call.args[0].value).func) == "torch.optim.SGD"
    analysis, program, call = _site("builder_returns_tuple.py")
    assert analysis.code(program.origin(call.args[0].value).func) == "torch.optim.SGD"


def _loops(source: str):
    analysis = Analysis(MetadataWrapper(cst.parse_module(source), unsafe_skip_copy=True), source)
    return analysis, analysis.nodes(cst.For)


GROWING = '''
rows = [1, 2, 3]
loader = DataLoader(rows, batch_size=2)
for epoch in range(3):
    for batch in loader:
        step(batch)
    rows.append(epoch)
'''

TRAINER = '''
class Trainer:
    def fit(self):
        for epoch in range(3):
            for batch in self.loader:
                self.step += 1
                self.samples.extend(batch)
            self.loader.dataset.extend([epoch])
'''


def test_a_loop_over_what_grows_between_passes_has_no_static_length():
    analysis, (_, batches) = _loops(GROWING)
    count, why = analysis.iteration_count(batches)
    assert count is None and "`rows.append(epoch)` at line 7 changes its size" in why
    analysis, (_, batches) = _loops(GROWING.replace("    rows.append(epoch)\n", "    history.append(epoch)\n"))
    assert analysis.iteration_count(batches)[0] == "len(loader)"
    analysis, (_, batches) = _loops(TRAINER)
    count, why = analysis.iteration_count(batches)
    assert count is None and "`self.loader.dataset.extend([epoch])` at line 8" in why
    analysis, (_, batches) = _loops(TRAINER.replace("            self.loader.dataset.extend([epoch])\n", ""))
    assert analysis.iteration_count(batches)[0] == "len(self.loader)"
