"""Pre-1.1 torch order: StepLR stepped at the top of every epoch, batches in a train() helper, lr and epochs by flag.

Expect: rewrite (the StepLR list is built one epoch longer and read from its second epoch).
"""
import argparse

import torch
from torch.utils.data import DataLoader, TensorDataset

parser = argparse.ArgumentParser(description="classifier")
parser.add_argument("--epochs", type=int, default=12)
parser.add_argument("--lr", type=float, default=0.05)
parser.add_argument("--lr-step", type=int, default=4)
args = parser.parse_args()

model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 1))
loader = DataLoader(TensorDataset(torch.randn(20, 4), torch.randn(20, 1)), batch_size=6)
optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9, weight_decay=5e-4)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=args.lr_step, gamma=0.1)


def train(epoch):
    model.train()
    total = 0.0
    for x, y in loader:
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
        total += loss.item()
    return total / len(loader)


for epoch in range(args.epochs):
    scheduler.step()
    print(f"epoch {epoch} loss {train(epoch):.4f}")
