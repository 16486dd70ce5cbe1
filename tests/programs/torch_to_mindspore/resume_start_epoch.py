"""Resume: the epoch loop starts at start_epoch and the scheduler is created with last_epoch=start_epoch - 1.

Expect: rewrite (the list sliced at the resume step, its max_lr through the lr torch resumes from).
"""
import torch
from torch.utils.data import DataLoader, TensorDataset


def main():
    epochs, start_epoch = 8, 3
    model = torch.nn.Linear(4, 1)
    loader = DataLoader(TensorDataset(torch.randn(16, 4), torch.randn(16, 1)), batch_size=8)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for group in optimizer.param_groups:
        group["initial_lr"] = 0.1
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs, last_epoch=start_epoch - 1)
    for epoch in range(start_epoch, epochs):
        for x, y in loader:
            optimizer.zero_grad()
            torch.nn.functional.mse_loss(model(x), y).backward()
            optimizer.step()
        scheduler.step()


if __name__ == "__main__":
    main()
