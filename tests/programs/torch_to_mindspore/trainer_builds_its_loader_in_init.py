"""A Trainer class that builds its own DataLoader, model, AdamW, a per-iteration cosine and an AMP GradScaler in
__init__, steps them in train_epoch() and runs fit() once per epoch.

Expect: rewrite (the run's count `len(self.loader)` is read where the list is built, after __init__ stores the
loader: the list reads `self.loader` itself rather than building a second DataLoader).
"""
import argparse
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


class Trainer:
    def __init__(self, args):
        self.args = args
        self.model = nn.Linear(6, 3)
        self.loader = DataLoader(TensorDataset(torch.randn(48, 6), torch.randint(0, 3, (48,))), batch_size=4)
        self.criterion = nn.CrossEntropyLoss()
        self.optimizer = torch.optim.AdamW(self.model.parameters(), lr=args.lr, weight_decay=0.01)
        self.scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(self.optimizer, T_max=args.epochs * len(self.loader))
        self.scaler = torch.amp.GradScaler("cpu", enabled=args.amp)

    def train_epoch(self, epoch):
        self.model.train()
        for i, (x, y) in enumerate(self.loader):
            with torch.autocast("cpu", enabled=self.args.amp):
                loss = self.criterion(self.model(x), y)
            self.scaler.scale(loss).backward()
            self.scaler.step(self.optimizer)
            self.scaler.update()
            self.optimizer.zero_grad(set_to_none=True)
            self.scheduler.step()

    def fit(self):
        for epoch in range(self.args.epochs):
            self.train_epoch(epoch)
            print(epoch, self.optimizer.param_groups[0]["lr"])


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--epochs", type=int, default=2)
    p.add_argument("--accum", type=int, default=2)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--amp", action="store_true")
    Trainer(p.parse_args()).fit()
