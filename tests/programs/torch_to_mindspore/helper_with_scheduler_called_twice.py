"""train_one_epoch(..., scheduler) steps the scheduler per batch and is called again after the epoch loop.

Expect: refuse (MIG107: the helper that receives the scheduler is called from two places).
"""
import argparse

import torch
from torch.utils.data import DataLoader, TensorDataset


def train_one_epoch(model, loader, optimizer, scheduler):
    for x, y in loader:
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(x), y).backward()
        optimizer.step()
        scheduler.step()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=4)
    args = parser.parse_args()
    model = torch.nn.Linear(4, 1)
    loader = DataLoader(TensorDataset(torch.randn(24, 4), torch.randn(24, 1)), batch_size=6)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=args.epochs * len(loader))
    for epoch in range(args.epochs):
        train_one_epoch(model, loader, optimizer, scheduler)
    train_one_epoch(model, loader, optimizer, scheduler)


if __name__ == "__main__":
    main()
