"""DARTS style: float(args.epochs), the scheduler stepped at the start of each epoch, get_lr()[0] read.

Expect: rewrite (the epoch-start step converts; the get_lr() read becomes optimizer.get_lr(), noting that torch logged a
recomputed value there).
"""
import argparse

import torch
from torch.utils.data import DataLoader, TensorDataset

parser = argparse.ArgumentParser("cifar")
parser.add_argument("--learning_rate", type=float, default=0.025)
parser.add_argument("--learning_rate_min", type=float, default=0.001)
parser.add_argument("--epochs", type=int, default=6)
args = parser.parse_args()


def main():
    model = torch.nn.Linear(4, 1)
    train_queue = DataLoader(TensorDataset(torch.randn(24, 4), torch.randn(24, 1)), batch_size=6)
    optimizer = torch.optim.SGD(model.parameters(), args.learning_rate, momentum=0.9, weight_decay=3e-4)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, float(args.epochs), eta_min=args.learning_rate_min)
    for epoch in range(args.epochs):
        scheduler.step()
        lr = scheduler.get_lr()[0]
        print("epoch %d lr %e", epoch, lr)
        for step, (x, y) in enumerate(train_queue):
            optimizer.zero_grad()
            torch.nn.functional.mse_loss(model(x), y).backward()
            optimizer.step()


if __name__ == "__main__":
    main()
