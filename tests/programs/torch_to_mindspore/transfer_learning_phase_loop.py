"""The transfer-learning tutorial's loop: each epoch runs a "train" then a "val" phase over `dataloaders[phase]`,
the optimizer steps only under `if phase == "train":` and so does `scheduler.step()`, after the batch loop.

Expect: rewrite (the train phase runs once an epoch: the list's step_per_epoch is len(dataloaders["train"]), and
the `if phase == "train": scheduler.step()` goes with the scheduler).
"""
import argparse

import torch
import torch.nn as nn
import torch.optim as optim
from torch.optim import lr_scheduler
from torch.utils.data import DataLoader, TensorDataset


def make_loaders(batch_size):
    train = TensorDataset(torch.randn(20, 4), torch.randint(0, 3, (20,)))
    val = TensorDataset(torch.randn(8, 4), torch.randint(0, 3, (8,)))
    return {"train": DataLoader(train, batch_size=batch_size, shuffle=True), "val": DataLoader(val, batch_size=batch_size)}


def train_model(model, dataloaders, criterion, optimizer, scheduler, num_epochs=25):
    best_loss = float("inf")
    for epoch in range(num_epochs):
        for phase in ["train", "val"]:
            if phase == "train":
                model.train()
            else:
                model.eval()
            running_loss = 0.0
            for inputs, labels in dataloaders[phase]:
                optimizer.zero_grad()
                outputs = model(inputs)
                loss = criterion(outputs, labels)
                if phase == "train":
                    loss.backward()
                    optimizer.step()
                running_loss += loss.item()
            if phase == "train":
                scheduler.step()
            epoch_loss = running_loss / len(dataloaders[phase])
            if phase == "val" and epoch_loss < best_loss:
                best_loss = epoch_loss
        print(epoch, optimizer.param_groups[0]["lr"])
    return model


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--lr", type=float, default=0.01)
    parser.add_argument("--batch-size", type=int, default=4)
    args = parser.parse_args()
    dataloaders = make_loaders(args.batch_size)
    model = nn.Linear(4, 3)
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.SGD(model.parameters(), lr=args.lr, momentum=0.9)
    scheduler = lr_scheduler.CosineAnnealingLR(optimizer, T_max=args.epochs)
    train_model(model, dataloaders, criterion, optimizer, scheduler, num_epochs=args.epochs)


if __name__ == "__main__":
    main()
