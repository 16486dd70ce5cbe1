"""Warmup epochs with LinearLR, then cosine, in SequentialLR; the scheduler built in a get_scheduler(cfg) helper.

Expect: rewrite (get_scheduler() returns the chain's one list, takes step_per_epoch from its call, which moves before
the optimizer).
"""
import torch
from torch.optim.lr_scheduler import CosineAnnealingLR, LinearLR, SequentialLR
from torch.utils.data import DataLoader, TensorDataset

CONFIG = {"epochs": 10, "warmup_epochs": 2, "lr": 0.1, "min_lr": 1e-4, "batch_size": 8}


def get_scheduler(optimizer, cfg):
    warmup = LinearLR(optimizer, start_factor=0.01, total_iters=cfg["warmup_epochs"])
    cosine = CosineAnnealingLR(optimizer, T_max=cfg["epochs"] - cfg["warmup_epochs"], eta_min=cfg["min_lr"])
    return SequentialLR(optimizer, schedulers=[warmup, cosine], milestones=[cfg["warmup_epochs"]])


def train_one_epoch(model, loader, optimizer):
    for x, y in loader:
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(x), y).backward()
        optimizer.step()


def main(cfg):
    model = torch.nn.Linear(4, 1)
    loader = DataLoader(TensorDataset(torch.randn(32, 4), torch.randn(32, 1)), batch_size=cfg["batch_size"])
    optimizer = torch.optim.SGD(model.parameters(), lr=cfg["lr"], momentum=0.9, nesterov=True)
    scheduler = get_scheduler(optimizer, cfg)
    for epoch in range(cfg["epochs"]):
        train_one_epoch(model, loader, optimizer)
        scheduler.step()


if __name__ == "__main__":
    main(CONFIG)
