"""Optimizer and scheduler built by a builder function and returned as a tuple.

Expect: rewrite.
"""
import torch
from torch.utils.data import DataLoader, TensorDataset


def build_optimizer(model, lr, epochs):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9, nesterov=True)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs, eta_min=lr * 0.01)
    return optimizer, scheduler


def main():
    epochs = 9
    model = torch.nn.Linear(4, 1)
    loader = DataLoader(TensorDataset(torch.randn(36, 4), torch.randn(36, 1)), batch_size=12)
    optimizer, scheduler = build_optimizer(model, 0.05, epochs)
    for epoch in range(epochs):
        for x, y in loader:
            optimizer.zero_grad()
            torch.nn.functional.mse_loss(model(x), y).backward()
            optimizer.step()
        scheduler.step()


if __name__ == "__main__":
    main()
