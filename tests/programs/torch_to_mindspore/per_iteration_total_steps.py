"""SimCLR style: T_max counts optimizer steps (total_steps = epochs * len(loader)), stepped after every batch.

Expect: rewrite (step_per_epoch=1, decay_epoch=total_steps; total_steps read as its definition by the verifier).
"""
import argparse

import torch
from torch.utils.data import DataLoader, TensorDataset


def train(args):
    model = torch.nn.Sequential(torch.nn.Linear(4, 16), torch.nn.ReLU(), torch.nn.Linear(16, 1))
    train_loader = DataLoader(TensorDataset(torch.randn(22, 4), torch.randn(22, 1)), batch_size=args.batch_size,
                              shuffle=True, drop_last=True)
    total_steps = args.epochs * len(train_loader)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr, weight_decay=args.weight_decay)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=total_steps, eta_min=0)
    for epoch in range(args.epochs):
        for step, (x, y) in enumerate(train_loader):
            loss = torch.nn.functional.mse_loss(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            scheduler.step()
        print(f"epoch {epoch} done")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--batch-size", type=int, default=4)
    parser.add_argument("--lr", type=float, default=3e-4)
    parser.add_argument("--weight-decay", type=float, default=1e-6)
    train(parser.parse_args())
