"""timm/DeiT style: a builder returns the optimizer and a SequentialLR warmup + cosine, stepped per epoch.

Expect: rewrite (the builder builds the one list and returns the MindSpore optimizer alone).
"""
import argparse

import torch
from torch.utils.data import DataLoader, TensorDataset


def get_args():
    parser = argparse.ArgumentParser("DeiT training")
    parser.add_argument("--epochs", type=int, default=12)
    parser.add_argument("--warmup-epochs", type=int, default=3)
    parser.add_argument("--lr", type=float, default=5e-4)
    parser.add_argument("--min-lr", type=float, default=1e-5)
    parser.add_argument("--weight-decay", type=float, default=0.05)
    return parser.parse_args()


def create_optimizer_and_scheduler(args, model):
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=args.weight_decay)
    warmup = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=1e-3, total_iters=args.warmup_epochs)
    cosine = torch.optim.lr_scheduler.CosineAnnealingLR(
        optimizer, T_max=args.epochs - args.warmup_epochs, eta_min=args.min_lr)
    scheduler = torch.optim.lr_scheduler.SequentialLR(optimizer, [warmup, cosine], milestones=[args.warmup_epochs])
    return optimizer, scheduler


def train_one_epoch(model, loader, optimizer):
    model.train()
    for images, targets in loader:
        loss = torch.nn.functional.mse_loss(model(images), targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


def main(args):
    model = torch.nn.Linear(4, 1)
    loader = DataLoader(TensorDataset(torch.randn(20, 4), torch.randn(20, 1)), batch_size=6)
    optimizer, lr_scheduler = create_optimizer_and_scheduler(args, model)
    for epoch in range(args.epochs):
        train_one_epoch(model, loader, optimizer)
        lr_scheduler.step()


if __name__ == "__main__":
    main(get_args())
