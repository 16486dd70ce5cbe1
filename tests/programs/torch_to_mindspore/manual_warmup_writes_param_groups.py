"""A manual linear warmup writes param_group['lr'] for the first epochs, then the cosine steps.

Expect: refuse (MIG110: the program writes the lr itself).
"""
import torch
from torch.utils.data import DataLoader, TensorDataset


def main():
    warmup, epochs, base_lr = 2, 8, 0.1
    model = torch.nn.Linear(4, 1)
    loader = DataLoader(TensorDataset(torch.randn(20, 4), torch.randn(20, 1)), batch_size=5)
    optimizer = torch.optim.SGD(model.parameters(), lr=base_lr)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs - warmup)
    for epoch in range(epochs):
        if epoch < warmup:
            for group in optimizer.param_groups:
                group["lr"] = base_lr * (epoch + 1) / warmup
        for x, y in loader:
            optimizer.zero_grad()
            torch.nn.functional.mse_loss(model(x), y).backward()
            optimizer.step()
        if epoch >= warmup:
            scheduler.step()


if __name__ == "__main__":
    main()
