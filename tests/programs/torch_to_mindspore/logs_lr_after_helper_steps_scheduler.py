"""train_one_epoch(..., scheduler) steps the optimizer per batch and the scheduler at its end; the caller logs
scheduler.get_last_lr() after each call.

Expect: rewrite (the read becomes optimizer.get_lr(), the lr of the next epoch's first step).
"""
import torch
from torch.utils.data import DataLoader, TensorDataset


def train_one_epoch(model, loader, optimizer, scheduler):
    for x, y in loader:
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(x), y).backward()
        optimizer.step()
    scheduler.step()


def main(epochs=5):
    model = torch.nn.Linear(3, 1)
    loader = DataLoader(TensorDataset(torch.randn(12, 3), torch.randn(12, 1)), batch_size=4)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs)
    for epoch in range(epochs):
        train_one_epoch(model, loader, optimizer, scheduler)
        print(epoch, scheduler.get_last_lr()[0])


main()
