"""An mmcv/HF-style build_scheduler(optimizer, cfg, iters_per_epoch) returns a SequentialLR of a per-iteration
linear warmup and a cosine over the remaining iterations; the scheduler is handed to train_one_epoch(), which steps
it after every optimizer step.

Expect: rewrite (build_scheduler() returns the list sized for the whole run; the scheduler argument and parameter go).
"""
import argparse

import torch
from torch.optim import lr_scheduler
from torch.utils.data import DataLoader, TensorDataset


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--warmup-epochs", type=int, default=1)
    parser.add_argument("--lr", type=float, default=5e-4)
    parser.add_argument("--batch-size", type=int, default=10)
    return parser.parse_args()


def build_scheduler(optimizer, args, iters_per_epoch):
    warmup_iters = args.warmup_epochs * iters_per_epoch
    warmup = lr_scheduler.LinearLR(optimizer, start_factor=1e-3, end_factor=1.0, total_iters=warmup_iters)
    cosine = lr_scheduler.CosineAnnealingLR(optimizer, T_max=(args.epochs - args.warmup_epochs) * iters_per_epoch,
                                            eta_min=args.lr * 1e-2)
    return lr_scheduler.SequentialLR(optimizer, schedulers=[warmup, cosine], milestones=[warmup_iters])


def train_one_epoch(model, loader, optimizer, scheduler, epoch):
    model.train()
    running = 0.0
    for step, (inputs, targets) in enumerate(loader):
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(inputs), targets)
        loss.backward()
        optimizer.step()
        scheduler.step()
        running += loss.item()
    print(f"epoch {epoch}: loss {running / len(loader):.4f}")


def main():
    args = parse_args()
    data = TensorDataset(torch.randn(40, 6), torch.randn(40, 2))
    loader = DataLoader(data, batch_size=args.batch_size, shuffle=True)
    model = torch.nn.Sequential(torch.nn.Linear(6, 16), torch.nn.ReLU(), torch.nn.Linear(16, 2))
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.05)
    scheduler = build_scheduler(optimizer, args, len(loader))
    for epoch in range(args.epochs):
        train_one_epoch(model, loader, optimizer, scheduler, epoch)


if __name__ == "__main__":
    main()
