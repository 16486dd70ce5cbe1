"""train(epoch) runs the batches and steps the scheduler at its end; main loops over epochs.

Expect: rewrite (the run is the caller's epochs; the read before scheduler.step() takes the last step's entry, the one
after it get_lr()).
"""
import argparse

import torch
from torch.utils.data import DataLoader, TensorDataset


def train(model, loader, optimizer, scheduler, epoch):
    model.train()
    for x, y in loader:
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(x), y).backward()
        optimizer.step()
    print(epoch, optimizer.param_groups[0]["lr"])
    scheduler.step()
    print(epoch, scheduler.get_last_lr()[0])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=6)
    args = parser.parse_args()
    model = torch.nn.Linear(4, 1)
    loader = DataLoader(TensorDataset(torch.randn(24, 4), torch.randn(24, 1)), batch_size=6)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=args.epochs)
    for epoch in range(args.epochs):
        train(model, loader, optimizer, scheduler, epoch)


if __name__ == "__main__":
    main()
