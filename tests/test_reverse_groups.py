"""MindSpore param groups with their own cosine_decay_lr lists → torch param groups under one CosineAnnealingLR.

torch's scheduler anneals each group from its own initial lr to one eta_min with one T_max and cadence, so the
rewrite is exact only when every group's list shares min_lr, total_step, step_per_epoch and decay_epoch: each group
gets its list's max_lr as its "lr", the lists go, one scheduler is built. Anything else is refused at the group's
line. Each exact shape is run, original and rewrite, by the differential harness (per-group learning rates compared
at every optimizer step).
"""

from __future__ import annotations

import pytest
from harness import differential

from migrate import engine

HEADER = """\
import mindspore
import mindspore.nn as nn

from model import Net, loader, loss_fn

net = Net()
head = Net()
steps = len(loader)
"""
LOOP = """\
grad_fn = mindspore.value_and_grad(lambda x, y: loss_fn(head(net(x)), y), None, optimizer.parameters)
for epoch in range(30):
    for inputs, targets in loader:
        loss, grads = grad_fn(inputs, targets)
        optimizer(grads)
"""
TWO_LISTS = """\
backbone_lr = nn.cosine_decay_lr(0.0, 0.01, 30 * steps, steps, 30)
head_lr = nn.cosine_decay_lr(0.0, 0.1, 30 * steps, steps, 30)
"""
SHAPES = {
    "named groups, the head's list also the optimizer's learning_rate": TWO_LISTS + (
        'groups = [{"params": net.trainable_params(), "lr": backbone_lr}, '
        '{"params": head.trainable_params(), "lr": head_lr}]\n'
        "optimizer = nn.Momentum(groups, learning_rate=head_lr, momentum=0.9)\n"),
    "inline groups, the head keeps the optimizer's learning_rate": TWO_LISTS + (
        'optimizer = nn.SGD([{"params": net.trainable_params(), "lr": mindspore.Tensor(backbone_lr, '
        'mindspore.float32)}, {"params": head.trainable_params()}], learning_rate=head_lr)\n'),
    "every group its own list, a constant learning_rate": TWO_LISTS + (
        'optimizer = nn.Adam([{"params": net.trainable_params(), "lr": backbone_lr}, '
        '{"params": head.trainable_params(), "lr": head_lr}], learning_rate=0.5)\n'),
}


def _convert(source: str, unsafe_fixes: bool = False) -> engine.FileResult:
    options = engine.Options(to="torch", unsafe_fixes=unsafe_fixes)
    return engine.process_bytes(source.encode(), "input.py", options, engine.load_rules("torch"))


def _codes(result: engine.FileResult) -> list[str]:
    return [diagnostic.code for diagnostic in result.diagnostics if diagnostic.code != "MIG112"]


@pytest.mark.parametrize("groups", SHAPES.values(), ids=SHAPES.keys())
def test_param_groups_become_torch_groups_at_their_lists_max_lr_under_one_scheduler(groups):
    source = HEADER + groups + LOOP
    result = _convert(source)
    output = result.output.decode()
    assert _codes(result) == ["MIG100"], "one site reports for all the groups' lists"
    assert output.count("CosineAnnealingLR(") == 1 and "cosine_decay_lr" not in output
    assert '"lr": 0.01' in output and ("lr=0.1" in output or '"lr": 0.1' in output)
    assert "trainable_params" not in output.split("grad_fn")[0]
    for unsafe in (False, True):
        outcome = differential.judge(differential.Program(source, "torch", (), "groups"), unsafe,
                                     with_fixture_modules=True)
        assert outcome.verdict == differential.EXACT, outcome.detail


def test_the_message_gives_each_group_its_lr_and_the_other_lists_verdict():
    [message] = [d.message for d in _convert(HEADER + SHAPES["every group its own list, a constant learning_rate"]
                                             + LOOP).diagnostics if d.code == "MIG100"]
    assert "group 1 at lr=0.01 from this list" in message
    assert "group 2 at lr=0.1 from the list of line 10 [equivalent" in message


@pytest.mark.parametrize("argument, other", [("min_lr", "1e-5, 0.1, 30 * steps, steps, 30"),
                                             ("total_step", "0.0, 0.1, 20 * steps, steps, 30"),
                                             ("step_per_epoch", "0.0, 0.1, 30 * steps, 1, 30"),
                                             ("decay_epoch", "0.0, 0.1, 30 * steps, steps, 20")])
def test_a_group_whose_list_differs_in_more_than_max_lr_is_refused_at_its_line(argument, other):
    groups = SHAPES["named groups, the head's list also the optimizer's learning_rate"].replace(
        "0.0, 0.1, 30 * steps, steps, 30", other)
    result = _convert(HEADER + groups + LOOP, unsafe_fixes=True)
    assert result.output is None
    [diagnostic] = [d for d in result.diagnostics if d.code != "MIG101"]  # a decay_epoch the run passes, said too
    assert diagnostic.code == "MIG118" and diagnostic.line == 11
    assert diagnostic.message.startswith("param group 1 (line 11) takes the list of line 9")
    assert f"whose {argument}=" in diagnostic.message


def test_a_group_keeping_a_constant_lr_is_refused_as_torch_would_anneal_it():
    """Before, the list reached learning_rate and the rewrite claimed equivalence while torch's scheduler annealed
    the group MindSpore keeps at 0.01."""
    source = HEADER + ('lr = nn.cosine_decay_lr(0.0, 0.05, 30 * steps, steps, 30)\n'
                       'optimizer = nn.SGD([{"params": net.trainable_params(), "lr": 0.01}, '
                       '{"params": head.trainable_params()}], learning_rate=lr)\n') + LOOP
    result = _convert(source, unsafe_fixes=True)
    assert result.output is None and _codes(result) == ["MIG118"]
    assert "param group 1 (line 10) takes lr=0.01" in result.diagnostics[0].message


def test_a_group_without_lr_on_a_constant_learning_rate_is_refused():
    source = HEADER + ('lr = nn.cosine_decay_lr(0.0, 0.05, 30 * steps, steps, 30)\n'
                       'optimizer = nn.SGD([{"params": net.trainable_params(), "lr": lr}, '
                       '{"params": head.trainable_params()}], learning_rate=0.1)\n') + LOOP
    result = _convert(source, unsafe_fixes=True)
    assert result.output is None and _codes(result) == ["MIG118"]
    assert result.diagnostics[0].message.startswith("param group 2 (line 10) has no \"lr\"")


def test_a_group_whose_list_is_not_equivalent_refuses_the_groups():
    """Each other group's claim is verified in the rule: a run longer than the lists diverges."""
    source = (HEADER + SHAPES["every group its own list, a constant learning_rate"] + LOOP).replace(
        "range(30)", "range(40)")
    result = _convert(source, unsafe_fixes=True)
    assert result.output is None and _codes(result) == ["MIG118"]
    assert "is not equivalent to it (diverges" in result.diagnostics[0].message


def test_order_params_goes_and_a_key_torch_does_not_take_is_refused():
    order = HEADER + ('lr = nn.cosine_decay_lr(0.0, 0.05, 30 * steps, steps, 30)\n'
                      'optimizer = nn.SGD([{"params": net.trainable_params(), "weight_decay": 1e-4}, '
                      '{"params": head.trainable_params()}, {"order_params": net.trainable_params()}], '
                      'learning_rate=lr)\n') + LOOP
    output = _convert(order).output.decode()
    assert "order_params" not in output
    assert '[{"params": net.parameters(), "weight_decay": 1e-4}, {"params": head.parameters()}]' in output
    refused = _convert(order.replace('"weight_decay": 1e-4', '"grad_centralization": True'), unsafe_fixes=True)
    assert refused.output is None and _codes(refused) == ["MIG104"]


def test_grouped_weight_decay_gets_no_beta_gamma_note():
    """With groups MindSpore decays every parameter of a group (its beta/gamma filter is for an ungrouped
    optimizer), as torch does; ungrouped, the note stays."""
    grouped = HEADER + SHAPES["named groups, the head's list also the optimizer's learning_rate"].replace(
        "momentum=0.9)", "momentum=0.9, weight_decay=1e-4)") + LOOP
    assert "MIG104" not in _codes(_convert(grouped))
    plain = HEADER + ("lr = nn.cosine_decay_lr(0.0, 0.05, 30 * steps, steps, 30)\n"
                      "optimizer = nn.Momentum(net.trainable_params(), learning_rate=lr, momentum=0.9, "
                      "weight_decay=1e-4)\n") + LOOP
    assert "MIG104" in _codes(_convert(plain))
