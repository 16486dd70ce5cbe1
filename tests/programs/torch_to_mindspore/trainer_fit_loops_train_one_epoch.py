"""A Trainer class: scheduler built in __init__, stepped per batch in train_one_epoch(), which fit() calls once per
epoch (the run is the epochs times the batches, not one call's batches).

Expect: rewrite.
"""
import torch
from torch.utils.data import DataLoader, TensorDataset


class Trainer:
    def __init__(self, model, train_loader, val_loader, lr=1e-3, epochs=3):
        self.model = model
        self.train_loader = train_loader
        self.val_loader = val_loader
        self.epochs = epochs
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=lr)
        self.scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(
            self.optimizer, T_max=epochs * len(train_loader), eta_min=1e-6)

    def train_one_epoch(self):
        self.model.train()
        for x, y in self.train_loader:
            self.optimizer.zero_grad()
            loss = torch.nn.functional.mse_loss(self.model(x), y)
            loss.backward()
            self.optimizer.step()
            self.scheduler.step()

    @torch.no_grad()
    def validate(self):
        self.model.eval()
        return sum(torch.nn.functional.mse_loss(self.model(x), y).item() for x, y in self.val_loader)

    def fit(self):
        for epoch in range(self.epochs):
            self.train_one_epoch()
            print(epoch, self.validate())


if __name__ == "__main__":
    data = TensorDataset(torch.randn(20, 4), torch.randn(20, 1))
    Trainer(torch.nn.Linear(4, 1), DataLoader(data, batch_size=5), DataLoader(data, batch_size=10)).fit()
