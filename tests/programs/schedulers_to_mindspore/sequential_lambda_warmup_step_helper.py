"""A LambdaLR warmup spelled out in the call, then StepLR; the batches run in a helper.

Expect: rewrite (the lambda's rates for the warmup epochs, then exponential_decay_lr with is_stair=True).
"""
import argparse

import torch
from torch.utils.data import DataLoader, TensorDataset

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=10)
parser.add_argument("--lr", type=float, default=0.05)
args = parser.parse_args()

model = torch.nn.Linear(4, 1)
loader = DataLoader(TensorDataset(torch.randn(16, 4), torch.randn(16, 1)), batch_size=8)


def train_one_epoch(model, loader, optimizer):
    for x, y in loader:
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(x), y).backward()
        optimizer.step()


optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9)
warmup = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda=lambda epoch: (epoch + 1) / 3)
decay = torch.optim.lr_scheduler.StepLR(optimizer, step_size=3, gamma=0.5)
scheduler = torch.optim.lr_scheduler.SequentialLR(optimizer, [warmup, decay], milestones=[3])
for epoch in range(args.epochs):
    train_one_epoch(model, loader, optimizer)
    scheduler.step()
