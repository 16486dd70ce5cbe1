"""pytorch-cifar style: --lr-scheduler chooses cosine or multistep, anything else raises.

Expect: rewrite (each branch builds its list; the raising branch stays).
"""
import argparse

import torch
from torch.utils.data import DataLoader, TensorDataset

parser = argparse.ArgumentParser(description="CIFAR10 Training")
parser.add_argument("--lr", default=0.1, type=float)
parser.add_argument("--epochs", default=10, type=int)
parser.add_argument("--lr-scheduler", default="cosine", type=str)
args = parser.parse_args()

net = torch.nn.Linear(4, 1)
trainloader = DataLoader(TensorDataset(torch.randn(32, 4), torch.randn(32, 1)), batch_size=8)
optimizer = torch.optim.SGD(net.parameters(), lr=args.lr, momentum=0.9, weight_decay=5e-4)
if args.lr_scheduler == "cosine":
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=args.epochs)
elif args.lr_scheduler == "multistep":
    scheduler = torch.optim.lr_scheduler.MultiStepLR(optimizer, milestones=[5, 8], gamma=0.1)
else:
    raise ValueError(f"unknown scheduler {args.lr_scheduler}")


def train(epoch):
    net.train()
    for batch_idx, (inputs, targets) in enumerate(trainloader):
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(net(inputs), targets)
        loss.backward()
        optimizer.step()


for epoch in range(args.epochs):
    train(epoch)
    scheduler.step()
