"""A classic CIFAR script: train()/test() globals, best-accuracy checkpoint with the optimizer's state.

Expect: rewrite.
"""
import argparse

import torch
import torch.nn as nn
import torch.optim as optim
from torch.utils.data import DataLoader, TensorDataset

parser = argparse.ArgumentParser(description="CIFAR10 Training")
parser.add_argument("--lr", default=0.1, type=float)
parser.add_argument("--epochs", default=5, type=int)
args = parser.parse_args()

net = nn.Linear(4, 2)
trainloader = DataLoader(TensorDataset(torch.randn(32, 4), torch.randint(0, 2, (32,))), batch_size=8, shuffle=True)
testloader = DataLoader(TensorDataset(torch.randn(16, 4), torch.randint(0, 2, (16,))), batch_size=8)
criterion = nn.CrossEntropyLoss()
optimizer = optim.SGD(net.parameters(), lr=args.lr, momentum=0.9, weight_decay=5e-4)
scheduler = optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=args.epochs)
best_acc = 0


def train(epoch):
    net.train()
    for inputs, targets in trainloader:
        optimizer.zero_grad()
        loss = criterion(net(inputs), targets)
        loss.backward()
        optimizer.step()


def test(epoch):
    global best_acc
    net.eval()
    total = 0.0
    with torch.no_grad():
        for inputs, targets in testloader:
            total += criterion(net(inputs), targets).item()
    acc = -total
    if acc > best_acc:
        state = {"net": net.state_dict(), "acc": acc, "epoch": epoch}
        best_acc = acc


for epoch in range(args.epochs):
    train(epoch)
    test(epoch)
    scheduler.step()
