"""End to end with the real libraries: a runnable torch training script, converted, gives the same learning rates.

The original runs under real torch and records the lr of every optimizer step; the converted script's
``cosine_decay_lr`` call runs under real MindSpore. Skipped, with the reason, when either library is absent.
"""

from __future__ import annotations

import ast

import pytest

from migrate import engine

torch = pytest.importorskip("torch", reason="torch==2.13.0 (the oracle extra) is not installed")
mindspore = pytest.importorskip("mindspore", reason="mindspore==2.10.0 (the oracle extra) is not installed")

SCRIPT = """\
import torch

EPOCHS = {epochs}
model = torch.nn.Linear(2, 1)
loader = [torch.ones(4, 2)] * {batches}
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max={t_max}, eta_min=0.001)
for epoch in range(EPOCHS):
    for batch in loader:
        optimizer.zero_grad()
        model(batch).sum().backward()
        record(optimizer)
        optimizer.step()
    scheduler.step()
"""


def torch_learning_rates(source: str) -> list[float]:
    seen: list[float] = []
    def record(optimizer) -> None:
        seen.append(optimizer.param_groups[0]["lr"])

    exec(compile(source, "original.py", "exec"), {"record": record})
    return seen


def mindspore_learning_rates(source: str, batches: int) -> list[float]:
    """The list the converted script computes, by running its own cosine_decay_lr statement under MindSpore."""
    tree = ast.parse(source)
    schedule = [node for node in tree.body if isinstance(node, ast.Assign)
                and ast.unparse(node.targets[0]) in ("EPOCHS", "lr_cycle", "lr_schedule")]
    program = ast.Module(body=schedule, type_ignores=[])
    namespace = {"mindspore": mindspore, "loader": [None] * batches}
    exec(compile(program, "converted.py", "exec"), namespace)
    return namespace["lr_schedule"]


@pytest.mark.parametrize("epochs, batches, t_max", [(20, 3, 20), (7, 5, 7), (30, 2, 10), (25, 3, 4)])
def test_converted_script_uses_the_learning_rates_of_the_original(epochs, batches, t_max):
    """By default, past T_max too: the run of 3 * T_max converts to the periodic list (MIG114), step for step."""
    source = SCRIPT.format(epochs=epochs, batches=batches, t_max=t_max)
    result = engine.process_bytes(source.encode(), "train.py", engine.Options(), engine.load_rules("mindspore"))
    converted = result.output.decode()
    original = torch_learning_rates(source)
    rewritten = mindspore_learning_rates(converted, batches)
    assert len(rewritten) == len(original) == epochs * batches
    for step, (expected, actual) in enumerate(zip(original, rewritten)):
        assert actual == pytest.approx(expected, rel=1e-9, abs=1e-13), step
    [verdict] = [diagnostic.verdict for diagnostic in result.diagnostics if diagnostic.code == "MIG100"]
    assert verdict.startswith("equivalent: over the whole run")
    assert result.tally.equivalent == 1
    assert ("MIG114" in {diagnostic.code for diagnostic in result.diagnostics}) == (epochs > t_max + 1)
