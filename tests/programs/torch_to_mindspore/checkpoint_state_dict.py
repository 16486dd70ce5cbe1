"""The scheduler's state_dict() is saved in a checkpoint dict each epoch.

Expect: rewrite (its state_dict() entry is dropped and reported: MindSpore keeps the step in the optimizer's
global_step).
"""
import torch
from torch.utils.data import DataLoader, TensorDataset


def main():
    epochs = 5
    model = torch.nn.Linear(4, 1)
    loader = DataLoader(TensorDataset(torch.randn(20, 4), torch.randn(20, 1)), batch_size=4)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs)
    checkpoint = {}
    for epoch in range(epochs):
        for x, y in loader:
            optimizer.zero_grad()
            torch.nn.functional.mse_loss(model(x), y).backward()
            optimizer.step()
        scheduler.step()
        checkpoint = {"epoch": epoch, "model": model.state_dict(), "optimizer": optimizer.state_dict(),
                      "scheduler": scheduler.state_dict()}
    return checkpoint


if __name__ == "__main__":
    main()
