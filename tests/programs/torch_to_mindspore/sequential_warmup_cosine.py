"""torchvision-style warmup: LinearLR then CosineAnnealingLR in a SequentialLR, stepped per epoch.

Expect: rewrite (one list: LinearLR's warmup written out, then the cosine from the milestone on).
"""
import torch
from torch.utils.data import DataLoader, TensorDataset


def main():
    epochs, warmup_epochs = 10, 2
    model = torch.nn.Linear(4, 1)
    loader = DataLoader(TensorDataset(torch.randn(20, 4), torch.randn(20, 1)), batch_size=10)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    warmup = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=0.1, total_iters=warmup_epochs)
    main_lr = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs - warmup_epochs, eta_min=0.0)
    scheduler = torch.optim.lr_scheduler.SequentialLR(optimizer, schedulers=[warmup, main_lr],
                                                      milestones=[warmup_epochs])
    for epoch in range(epochs):
        for x, y in loader:
            optimizer.zero_grad()
            torch.nn.functional.mse_loss(model(x), y).backward()
            optimizer.step()
        scheduler.step()


if __name__ == "__main__":
    main()
