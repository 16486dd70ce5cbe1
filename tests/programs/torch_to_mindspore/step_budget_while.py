"""A step budget: while step < max_steps, the scheduler stepped with the optimizer (T_max in steps).

Expect: rewrite (the run is max_steps optimizer steps).
"""
import torch
from torch.utils.data import DataLoader, TensorDataset


def main():
    max_steps = 30
    model = torch.nn.Linear(4, 1)
    loader = DataLoader(TensorDataset(torch.randn(16, 4), torch.randn(16, 1)), batch_size=4)
    optimizer = torch.optim.AdamW(model.parameters(), lr=5e-4)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=max_steps)
    step = 0
    while step < max_steps:
        for x, y in loader:
            optimizer.zero_grad()
            torch.nn.functional.mse_loss(model(x), y).backward()
            optimizer.step()
            scheduler.step()
            step += 1
            if step >= max_steps:
                break


if __name__ == "__main__":
    main()
