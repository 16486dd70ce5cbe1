"""The data loader is built after the optimizer and scheduler (the schedule needs len(loader)).

Expect: rewrite with the schedule placed after the loader (or refuse naming the loader's line); never above it.
"""
import torch
from torch.utils.data import DataLoader, TensorDataset


def main():
    epochs = 6
    model = torch.nn.Linear(4, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs)
    loader = DataLoader(TensorDataset(torch.randn(18, 4), torch.randn(18, 1)), batch_size=6)
    for epoch in range(epochs):
        for x, y in loader:
            optimizer.zero_grad()
            torch.nn.functional.mse_loss(model(x), y).backward()
            optimizer.step()
        scheduler.step()


if __name__ == "__main__":
    main()
