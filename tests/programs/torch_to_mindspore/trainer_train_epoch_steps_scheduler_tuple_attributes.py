"""Trainer: self.a, self.b = a, b in __init__; train_epoch() runs the batches and steps self.scheduler at its end;
fit() loops over epochs.

Expect: rewrite.
"""
import torch
from torch.utils.data import DataLoader, TensorDataset


class Trainer:
    def __init__(self, model, loader, epochs=5, lr=0.05):
        self.model, self.loader, self.epochs = model, loader, epochs
        self.optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
        self.scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(self.optimizer, T_max=epochs, eta_min=1e-4)

    def train_epoch(self, epoch):
        for x, y in self.loader:
            self.optimizer.zero_grad()
            torch.nn.functional.mse_loss(self.model(x), y).backward()
            self.optimizer.step()
        self.scheduler.step()
        print(epoch, self.scheduler.get_last_lr()[0])

    def fit(self):
        for epoch in range(self.epochs):
            self.train_epoch(epoch)


if __name__ == "__main__":
    Trainer(torch.nn.Linear(4, 1), DataLoader(TensorDataset(torch.randn(20, 4), torch.randn(20, 1)), batch_size=5)).fit()
