"""Segmentation style: `--lr-policy` picks a cosine, a "poly" LambdaLR or a short constant warmup factor.

Expect: rewrite (each branch becomes its list, the optimizer is built once after the `if`).
"""
import argparse

import torch
from torch.utils.data import DataLoader, TensorDataset

parser = argparse.ArgumentParser()
parser.add_argument("--max-epoch", type=int, default=8)
parser.add_argument("--base-lr", type=float, default=0.01)
parser.add_argument("--lr-policy", default="poly", choices=["cosine", "poly", "constant"])
cfg = parser.parse_args()


class SegHead(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Linear(4, 2)

    def forward(self, x):
        return self.conv(x)


net = SegHead()
loader = DataLoader(TensorDataset(torch.randn(18, 4), torch.randn(18, 2)), batch_size=5)
optimizer = torch.optim.SGD(net.parameters(), lr=cfg.base_lr, momentum=0.9)
if cfg.lr_policy == "cosine":
    lr_scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, cfg.max_epoch)
elif cfg.lr_policy == "poly":
    lr_scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda e: (1 - e / cfg.max_epoch) ** 0.9)
else:
    lr_scheduler = torch.optim.lr_scheduler.ConstantLR(optimizer, factor=0.25, total_iters=2)

for epoch in range(cfg.max_epoch):
    for images, labels in loader:
        loss = torch.nn.functional.mse_loss(net(images), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    lr_scheduler.step()
