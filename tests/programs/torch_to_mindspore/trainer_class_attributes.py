"""A Trainer class: optimizer and scheduler are attributes set in __init__, stepped in methods.

Expect: rewrite.
"""
import torch
from torch.utils.data import DataLoader, TensorDataset


class Trainer:
    def __init__(self, model, loader, epochs=7, lr=0.1):
        self.model = model
        self.loader = loader
        self.epochs = epochs
        self.optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
        self.scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(self.optimizer, T_max=epochs)

    def train_epoch(self):
        for x, y in self.loader:
            self.optimizer.zero_grad()
            torch.nn.functional.mse_loss(self.model(x), y).backward()
            self.optimizer.step()

    def fit(self):
        for epoch in range(self.epochs):
            self.train_epoch()
            self.scheduler.step()


if __name__ == "__main__":
    loader = DataLoader(TensorDataset(torch.randn(28, 4), torch.randn(28, 1)), batch_size=7)
    Trainer(torch.nn.Linear(4, 1), loader).fit()
