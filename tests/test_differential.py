"""The differential harness, fast path: generated training programs and their conversions run under the stand-ins,
and every applied rewrite keeps the learning rate of every optimizer step, or says at the site that it does not.

``MIGRATE_HARNESS_PROGRAMS`` sets how many programs run (default 5,000); failing programs are saved as would-be
fixtures under ``$MIGRATE_HARNESS_SAVE`` or pytest's tmp folder.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from harness import differential, runner
from harness.campaign import failure_report, run_campaign

PROGRAMS = int(os.environ.get("MIGRATE_HARNESS_PROGRAMS", "5000"))
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def test_generated_programs_convert_without_silent_changes(tmp_path):
    summary = run_campaign(PROGRAMS, seed=0)
    print("\n" + summary.table())
    for outcome in summary.failures:
        differential.save(outcome, tmp_path)
    assert summary.programs >= PROGRAMS
    assert not summary.failures, f"saved under {tmp_path}\n" + failure_report(summary.failures)


SHORT_LIST = """\
import mindspore
from mindspore import nn
lr = nn.cosine_decay_lr(0.01, 0.1, 6, 2, 2)
optimizer = nn.Momentum([], learning_rate=lr, momentum=0.9)
for step in range(8):
    optimizer(None)
"""


def test_mindspore_standin_raises_one_step_past_its_list():
    record = runner.run(SHORT_LIST)
    assert record.steps == [(0.1,), (0.1,), (0.05500000000000001,), (0.05500000000000001,), (0.01,), (0.01,)]
    assert record.exhausted_list
    assert "should be in the range [0, 6), but got 6" in record.error_message


def test_a_rewrite_that_changes_the_lrs_is_a_silent_change():
    original = runner.Record([(0.1,), (0.05,)])
    assert differential.first_difference(original, runner.Record([(0.1,), (0.05,)])) is None
    assert "step 1" in differential.first_difference(original, runner.Record([(0.1,), (0.06,)]))
    assert differential.first_difference(original, runner.Record([(0.1,)])) is not None


def test_hang_guard_stops_an_endless_loop():
    source = "import torch\noptimizer = torch.optim.SGD([], lr=0.1)\nwhile True:\n    optimizer.step()\n"
    record = runner.run(source, step_cap=1000)
    assert record.ending == runner.HUNG and len(record.steps) == 1000


#: Fixtures not run here, with why.
NOT_RUN = {
    "user_class_named_cosine": "the user's own class named CosineAnnealingLR is not a site, though the harness "
                               "finds sites by name",
    "huge_constant_power_tower": "running it computes 10**10**8, minutes of CPU (the tool itself refuses to)",
}


@pytest.mark.parametrize("case", sorted(FIXTURES.glob("*/*/input.py")), ids=lambda path: path.parent.name)
def test_every_runnable_fixture_converts_without_silent_change(case):
    """Each fixture input that runs with the stub ``model``/``data`` modules, run original and converted in both
    modes (a fixture with a policy in its ``args`` runs in the default policy here)."""
    if case.parent.name in NOT_RUN:
        pytest.skip(NOT_RUN[case.parent.name])
    to = case.parent.parent.name.split("_to_")[1]
    program = differential.Program(case.read_text(), to, (), case.parent.name)
    for unsafe in (False, True):
        outcome = differential.judge(program, unsafe, with_fixture_modules=True)
        if outcome.verdict == differential.INVALID:
            pytest.skip(f"not runnable with the stub modules: {outcome.detail}")
        assert not outcome.failed, f"{outcome.verdict}: {outcome.detail}\n{outcome.diagnostics}"
