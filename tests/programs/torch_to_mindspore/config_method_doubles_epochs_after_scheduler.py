"""A trainer config's method doubles the epochs after the scheduler was built from them; the loop reads the new
value, so the cosine runs past T_max in torch while a list written for the old count would end.

Expect: refuse (MIG105: the config's method changes cfg.epochs after the scheduler).
"""
import argparse

import torch
from torch.utils.data import DataLoader, TensorDataset


class TrainConfig:
    def __init__(self, epochs, lr):
        self.epochs, self.lr = epochs, lr

    def for_finetuning(self):
        self.epochs *= 2


parser = argparse.ArgumentParser()
parser.add_argument("--finetune", action="store_true")
args = parser.parse_args()
cfg = TrainConfig(4, 0.1)
model = torch.nn.Linear(4, 1)
loader = DataLoader(TensorDataset(torch.randn(8, 4), torch.randn(8, 1)), batch_size=4)
optimizer = torch.optim.SGD(model.parameters(), lr=cfg.lr)
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=cfg.epochs)
if args.finetune:
    cfg.for_finetuning()
for epoch in range(cfg.epochs):
    for x, y in loader:
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(x), y).backward()
        optimizer.step()
    scheduler.step()
