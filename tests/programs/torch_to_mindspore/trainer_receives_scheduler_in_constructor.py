"""pytorch-template style: main builds the optimizer and the scheduler and hands both to a Trainer, which keeps
them as attributes (the scheduler defaults to None); train() loops epochs from 1, _train_epoch() steps the optimizer
per batch and the scheduler, when given, at its end; train() logs the lr after each epoch.

Expect: rewrite (the scheduler leaves the constructor; the list is counted from the constructor's arguments).
"""
import argparse

import torch
from torch.utils.data import DataLoader, TensorDataset


class Trainer:
    def __init__(self, model, criterion, optimizer, data_loader, epochs, lr_scheduler=None, log_step=2):
        self.model = model
        self.criterion = criterion
        self.optimizer = optimizer
        self.data_loader = data_loader
        self.epochs = epochs
        self.start_epoch = 1
        self.lr_scheduler = lr_scheduler
        self.log_step = log_step

    def _train_epoch(self, epoch):
        self.model.train()
        total = 0.0
        for batch_idx, (data, target) in enumerate(self.data_loader):
            self.optimizer.zero_grad()
            loss = self.criterion(self.model(data), target)
            loss.backward()
            self.optimizer.step()
            total += loss.item()
            if batch_idx % self.log_step == 0:
                print(f"train epoch {epoch} [{batch_idx}/{len(self.data_loader)}] loss {loss.item():.4f}")
        if self.lr_scheduler is not None:
            self.lr_scheduler.step()
        return {"loss": total / len(self.data_loader)}

    def train(self):
        for epoch in range(self.start_epoch, self.epochs + 1):
            log = self._train_epoch(epoch)
            print(f"epoch {epoch}: {log} lr {self.lr_scheduler.get_last_lr()[0]:.6f}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--lr", type=float, default=0.01)
    args = parser.parse_args()
    model = torch.nn.Sequential(torch.nn.Linear(6, 12), torch.nn.ReLU(), torch.nn.Linear(12, 1))
    loader = DataLoader(TensorDataset(torch.randn(30, 6), torch.randn(30, 1)), batch_size=8, shuffle=True)
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9, weight_decay=5e-4)
    lr_scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=args.epochs, eta_min=1e-5)
    trainer = Trainer(model, torch.nn.functional.mse_loss, optimizer, loader, args.epochs, lr_scheduler=lr_scheduler)
    trainer.train()


if __name__ == "__main__":
    main()
