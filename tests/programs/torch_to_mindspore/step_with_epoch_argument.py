"""The deprecated scheduler.step(epoch) form, called after each epoch.

Expect: rewrite (step(epoch + 1) at the end of `for epoch in range(6)` jumps to the count of its calls: it steps like
step()).
"""
import torch
from torch.utils.data import DataLoader, TensorDataset


def main():
    model = torch.nn.Linear(4, 1)
    loader = DataLoader(TensorDataset(torch.randn(20, 4), torch.randn(20, 1)), batch_size=5)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, 6)
    for epoch in range(6):
        for x, y in loader:
            optimizer.zero_grad()
            torch.nn.functional.mse_loss(model(x), y).backward()
            optimizer.step()
        scheduler.step(epoch + 1)


if __name__ == "__main__":
    main()
