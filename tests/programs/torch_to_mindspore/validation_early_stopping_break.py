"""Validation each epoch with early stopping (break) and a best-model copy.

Expect: rewrite.
"""
import copy

import torch
from torch.utils.data import DataLoader, TensorDataset


def evaluate(model, loader):
    model.eval()
    with torch.no_grad():
        return sum(torch.nn.functional.mse_loss(model(x), y).item() for x, y in loader)


def main():
    epochs, patience = 12, 3
    model = torch.nn.Linear(4, 1)
    train_loader = DataLoader(TensorDataset(torch.randn(24, 4), torch.randn(24, 1)), batch_size=6)
    val_loader = DataLoader(TensorDataset(torch.randn(12, 4), torch.randn(12, 1)), batch_size=6)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-2)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, epochs)
    best, bad_epochs, best_state = float("inf"), 0, None
    for epoch in range(epochs):
        model.train()
        for x, y in train_loader:
            optimizer.zero_grad()
            torch.nn.functional.mse_loss(model(x), y).backward()
            optimizer.step()
        scheduler.step()
        val = evaluate(model, val_loader)
        if val < best:
            best, bad_epochs, best_state = val, 0, copy.deepcopy(model.state_dict())
        else:
            bad_epochs += 1
            if bad_epochs >= patience:
                print("early stop at", epoch)
                break


if __name__ == "__main__":
    main()
