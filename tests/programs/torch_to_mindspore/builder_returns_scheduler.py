"""A scheduler builder given the optimizer returns the CosineAnnealingLR alone; the caller steps it per epoch.

Expect: rewrite (the builder returns the list, takes step_per_epoch from its call, which moves before the optimizer).
"""
import argparse

import torch
from torch.utils.data import DataLoader, TensorDataset


def build_scheduler(optimizer, cfg):
    """Cosine decay over the whole run."""
    t_max = cfg.epochs
    return torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=t_max, eta_min=cfg.min_lr)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--lr", type=float, default=0.05)
    parser.add_argument("--min-lr", type=float, default=1e-5)
    args = parser.parse_args()
    model = torch.nn.Linear(4, 1)
    loader = DataLoader(TensorDataset(torch.randn(10, 4), torch.randn(10, 1)), batch_size=4)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    scheduler = build_scheduler(optimizer, args)
    for epoch in range(args.epochs):
        for x, y in loader:
            optimizer.zero_grad()
            torch.nn.functional.mse_loss(model(x), y).backward()
            optimizer.step()
        scheduler.step()


if __name__ == "__main__":
    main()
