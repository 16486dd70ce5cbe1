"""The scheduler is chosen by a command-line flag among cosine and step decay.

Expect: rewrite (each branch builds its list: cosine_decay_lr or exponential_decay_lr; one optimizer after the branches).
"""
import argparse

import torch
from torch.utils.data import DataLoader, TensorDataset

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=8)
parser.add_argument("--lr", type=float, default=0.1)
parser.add_argument("--scheduler", default="cos", choices=["cos", "step"])
args = parser.parse_args()

model = torch.nn.Linear(4, 1)
loader = DataLoader(TensorDataset(torch.randn(24, 4), torch.randn(24, 1)), batch_size=8)
optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9)
if args.scheduler == "cos":
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=args.epochs)
else:
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=3, gamma=0.1)

for epoch in range(args.epochs):
    for x, y in loader:
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(x), y).backward()
        optimizer.step()
    scheduler.step()
