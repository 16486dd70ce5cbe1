"""Mixed precision: scaler.step(optimizer) inside a helper called once per epoch.

Expect: rewrite.
"""
import torch
from torch.utils.data import DataLoader, TensorDataset


def train_epoch(model, loader, optimizer, scaler):
    for inputs, targets in loader:
        optimizer.zero_grad(set_to_none=True)
        loss = torch.nn.functional.mse_loss(model(inputs), targets)
        scaler.scale(loss).backward()
        scaler.step(optimizer)
        scaler.update()


def main():
    epochs = 6
    model = torch.nn.Linear(4, 1)
    loader = DataLoader(TensorDataset(torch.randn(30, 4), torch.randn(30, 1)), batch_size=10)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs)
    scaler = torch.cuda.amp.GradScaler(enabled=False)
    for epoch in range(epochs):
        train_epoch(model, loader, optimizer, scaler)
        scheduler.step()


if __name__ == "__main__":
    main()
