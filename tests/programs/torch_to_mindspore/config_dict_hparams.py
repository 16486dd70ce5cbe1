"""Hyperparameters in a module-level dict read as cfg["..."]; eta_min given positionally.

Expect: rewrite.
"""
import torch
from torch.utils.data import DataLoader, TensorDataset

cfg = {"epochs": 7, "lr": 0.1, "momentum": 0.9, "min_lr": 1e-4, "batch_size": 5}


def build_loader():
    return DataLoader(TensorDataset(torch.randn(21, 4), torch.randn(21, 1)), batch_size=cfg["batch_size"])


def main():
    net = torch.nn.Linear(4, 1)
    loader = build_loader()
    optimizer = torch.optim.SGD(net.parameters(), lr=cfg["lr"], momentum=cfg["momentum"])
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, cfg["epochs"], cfg["min_lr"])
    for epoch in range(cfg["epochs"]):
        net.train()
        for inputs, targets in loader:
            optimizer.zero_grad()
            torch.nn.functional.mse_loss(net(inputs), targets).backward()
            optimizer.step()
        scheduler.step()


main()
