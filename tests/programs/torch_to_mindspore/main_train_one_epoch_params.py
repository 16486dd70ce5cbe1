"""A main() with argparse; train_one_epoch(model, loader, optimizer) takes its objects as parameters.

Expect: rewrite.
"""
import argparse

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset


def parse_args():
    parser = argparse.ArgumentParser(description="toy regression")
    parser.add_argument("--epochs", type=int, default=15)
    parser.add_argument("--lr", type=float, default=0.05)
    parser.add_argument("--batch-size", type=int, default=16)
    return parser.parse_args()


def train_one_epoch(model, loader, optimizer, criterion):
    model.train()
    for x, y in loader:
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()


def main():
    args = parse_args()
    dataset = TensorDataset(torch.randn(80, 4), torch.randn(80, 1))
    loader = DataLoader(dataset, batch_size=args.batch_size)
    model = nn.Linear(4, 1)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=args.epochs, eta_min=1e-5)
    criterion = nn.MSELoss()
    for epoch in range(args.epochs):
        train_one_epoch(model, loader, optimizer, criterion)
        scheduler.step()


if __name__ == "__main__":
    main()
