"""Backbone and head get different learning rates (param groups with their own lr).

Expect: rewrite (one cosine_decay_lr list per group with its own lr, as that group's "lr").
"""
import torch
from torch.utils.data import DataLoader, TensorDataset


def main():
    epochs = 6
    backbone = torch.nn.Linear(4, 4)
    head = torch.nn.Linear(4, 1)
    loader = DataLoader(TensorDataset(torch.randn(24, 4), torch.randn(24, 1)), batch_size=8)
    optimizer = torch.optim.SGD([{"params": backbone.parameters(), "lr": 0.01},
                                 {"params": head.parameters()}], lr=0.1, momentum=0.9)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs)
    for epoch in range(epochs):
        for x, y in loader:
            optimizer.zero_grad()
            torch.nn.functional.mse_loss(head(backbone(x)), y).backward()
            optimizer.step()
        scheduler.step()


if __name__ == "__main__":
    main()
