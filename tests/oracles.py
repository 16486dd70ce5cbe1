"""What the oracle tests share: how to install the oracles, and a torch optimizer whose groups hold plain float lrs
(the real libraries themselves are the ``torch`` and ``ms_nn`` fixtures of ``conftest.py``)."""

from __future__ import annotations

ORACLE = "pip install 'migrate[oracle]'"


def sgd(torch, lrs, initial_lrs=None):
    """An SGD optimizer with one float64 parameter per group; ``initial_lrs`` prepares a resume."""
    groups = [{"params": [torch.nn.Parameter(torch.zeros(1, dtype=torch.float64))], "lr": lr} for lr in lrs]
    optimizer = torch.optim.SGD(groups, lr=lrs[0], foreach=False)
    for group, initial_lr in zip(optimizer.param_groups, initial_lrs or []):
        group["initial_lr"] = initial_lr
    return optimizer


def group_lrs(groups):
    return [group["lr"] for group in groups]
