"""LinearLR warmup held by a trainer class: optimizer and scheduler set in __init__, stepped in methods.

Expect: rewrite (LinearLR's closed form as a list over the run, given to the MindSpore optimizer).
"""
import torch
from torch.utils.data import DataLoader, TensorDataset


class Trainer:
    def __init__(self, model, loader, epochs):
        self.model = model
        self.loader = loader
        self.epochs = epochs
        self.optimizer = torch.optim.SGD(model.parameters(), lr=0.02)
        self.scheduler = torch.optim.lr_scheduler.LinearLR(self.optimizer, start_factor=0.25, total_iters=4)

    def train_epoch(self):
        for x, y in self.loader:
            self.optimizer.zero_grad()
            torch.nn.functional.mse_loss(self.model(x), y).backward()
            self.optimizer.step()

    def fit(self):
        for epoch in range(self.epochs):
            self.train_epoch()
            self.scheduler.step()


loader = DataLoader(TensorDataset(torch.randn(16, 4), torch.randn(16, 1)), batch_size=8)
Trainer(torch.nn.Linear(4, 1), loader, 7).fit()
