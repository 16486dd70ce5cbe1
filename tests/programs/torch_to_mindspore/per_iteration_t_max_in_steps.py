"""Per-iteration stepping with T_max counted in optimizer steps (litgpt/dinov2 style).

Expect: rewrite.
"""
import torch
from torch.utils.data import DataLoader, TensorDataset


def main():
    epochs = 4
    loader = DataLoader(TensorDataset(torch.randn(30, 4), torch.randn(30, 1)), batch_size=6)
    model = torch.nn.Linear(4, 1)
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4, weight_decay=0.05)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs * len(loader), eta_min=1e-6)
    for epoch in range(epochs):
        for x, y in loader:
            optimizer.zero_grad()
            torch.nn.functional.mse_loss(model(x), y).backward()
            optimizer.step()
            scheduler.step()


if __name__ == "__main__":
    main()
