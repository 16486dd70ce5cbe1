"""The learning rate is logged with get_last_lr() each epoch.

Expect: rewrite (get_last_lr()[0] becomes the list indexed by the optimizer step count).
"""
import torch
from torch.utils.data import DataLoader, TensorDataset


def main():
    epochs = 8
    model = torch.nn.Linear(4, 1)
    loader = DataLoader(TensorDataset(torch.randn(32, 4), torch.randn(32, 1)), batch_size=8)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs)
    for epoch in range(epochs):
        for x, y in loader:
            optimizer.zero_grad()
            torch.nn.functional.mse_loss(model(x), y).backward()
            optimizer.step()
        scheduler.step()
        print(f"epoch {epoch} lr {scheduler.get_last_lr()[0]:.6f}")


if __name__ == "__main__":
    main()
