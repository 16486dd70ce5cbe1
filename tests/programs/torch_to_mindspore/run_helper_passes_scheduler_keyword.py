"""run() loops over epochs and hands the scheduler on to train_one_epoch(..., scheduler=scheduler), which steps it
per batch when it is given one.

Expect: rewrite (the run is run()'s epochs times the batches; the scheduler argument and parameter go away).
"""
import argparse

import torch
from torch.utils.data import DataLoader, TensorDataset


def train_one_epoch(model, data_loader, optimizer, scheduler=None, log_every=2):
    model.train()
    for step, (x, y) in enumerate(data_loader):
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
        if scheduler is not None:
            scheduler.step()
        if step % log_every == 0:
            print(f"step {step} loss {loss.item():.4f}")


def run(model, loader, optimizer, scheduler, epochs):
    for epoch in range(epochs):
        train_one_epoch(model, loader, optimizer, scheduler=scheduler)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--lr", type=float, default=0.01)
    parser.add_argument("--min-lr", type=float, default=1e-5)
    args = parser.parse_args()
    model = torch.nn.Linear(4, 1)
    loader = DataLoader(TensorDataset(torch.randn(30, 4), torch.randn(30, 1)), batch_size=6, shuffle=True)
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=args.epochs * len(loader),
                                                           eta_min=args.min_lr)
    run(model, loader, optimizer, scheduler, args.epochs)


if __name__ == "__main__":
    main()
