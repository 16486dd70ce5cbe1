"""A batch whose loss is not finite is skipped with continue before optimizer.step().

Expect: refuse (the optimizer may step fewer than len(loader) times per epoch), naming the continue.
"""
import torch
from torch.utils.data import DataLoader, TensorDataset


def main():
    epochs = 4
    model = torch.nn.Linear(4, 1)
    loader = DataLoader(TensorDataset(torch.randn(16, 4), torch.randn(16, 1)), batch_size=4)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs)
    for epoch in range(epochs):
        for x, y in loader:
            loss = torch.nn.functional.mse_loss(model(x), y)
            if not torch.isfinite(loss):
                continue
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        scheduler.step()


if __name__ == "__main__":
    main()
