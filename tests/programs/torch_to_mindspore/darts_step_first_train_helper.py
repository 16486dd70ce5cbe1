"""DARTS as written: scheduler.step() and get_lr()[0] at the start of the epoch, the batches in train(...).

Expect: rewrite (the epoch-start step converts with the batches in train(); the list is read from its second epoch).
"""
import argparse

import torch
from torch.utils.data import DataLoader, TensorDataset

parser = argparse.ArgumentParser("cifar")
parser.add_argument("--learning_rate", type=float, default=0.025)
parser.add_argument("--learning_rate_min", type=float, default=0.001)
parser.add_argument("--epochs", type=int, default=6)
args = parser.parse_args()


def train(train_queue, model, criterion, optimizer, lr):
    model.train()
    total = 0.0
    for step, (x, y) in enumerate(train_queue):
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
        total += loss.item()
    return total / len(train_queue)


def main():
    model = torch.nn.Linear(4, 1)
    criterion = torch.nn.MSELoss()
    train_queue = DataLoader(TensorDataset(torch.randn(24, 4), torch.randn(24, 1)), batch_size=6)
    optimizer = torch.optim.SGD(model.parameters(), args.learning_rate, momentum=0.9, weight_decay=3e-4)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, float(args.epochs), eta_min=args.learning_rate_min)
    for epoch in range(args.epochs):
        scheduler.step()
        lr = scheduler.get_lr()[0]
        print("epoch %d lr %e" % (epoch, lr))
        train_obj = train(train_queue, model, criterion, optimizer, lr)
        print("train_loss %f" % train_obj)


if __name__ == "__main__":
    main()
