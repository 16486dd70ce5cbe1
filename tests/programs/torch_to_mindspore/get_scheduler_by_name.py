"""A `get_scheduler(optimizer, args)` helper returns the scheduler the `--scheduler` flag names, or raises.

Expect: rewrite (the helper returns the list of the branch that runs; its call moves before the optimizer).
"""
import argparse

import torch
from torch.utils.data import DataLoader, TensorDataset


def get_scheduler(optimizer, args):
    if args.scheduler == "cosine":
        return torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=args.epochs, eta_min=args.min_lr)
    elif args.scheduler == "step":
        return torch.optim.lr_scheduler.StepLR(optimizer, step_size=args.step_size, gamma=0.5)
    elif args.scheduler == "multistep":
        return torch.optim.lr_scheduler.MultiStepLR(optimizer, milestones=[3, 5], gamma=0.2)
    else:
        raise ValueError(f"unknown scheduler {args.scheduler}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=7)
    parser.add_argument("--lr", type=float, default=0.05)
    parser.add_argument("--min-lr", type=float, default=1e-4)
    parser.add_argument("--step-size", type=int, default=2)
    parser.add_argument("--scheduler", default="cosine")
    args = parser.parse_args()
    model = torch.nn.Linear(4, 1)
    loader = DataLoader(TensorDataset(torch.randn(15, 4), torch.randn(15, 1)), batch_size=4)
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9)
    scheduler = get_scheduler(optimizer, args)
    for epoch in range(args.epochs):
        for inputs, targets in loader:
            optimizer.zero_grad()
            torch.nn.functional.mse_loss(model(inputs), targets).backward()
            optimizer.step()
        scheduler.step()


if __name__ == "__main__":
    main()
