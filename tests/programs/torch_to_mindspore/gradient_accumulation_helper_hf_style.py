"""HF-style loop: train_one_epoch(..., lr_scheduler) accumulates gradients and steps both every `accum` batches.

Expect: rewrite.
"""
import argparse

import torch
from torch.utils.data import DataLoader, TensorDataset


def train_one_epoch(model, loader, optimizer, lr_scheduler, accum_steps):
    model.train()
    for step, (x, y) in enumerate(loader):
        loss = torch.nn.functional.mse_loss(model(x), y) / accum_steps
        loss.backward()
        if (step + 1) % accum_steps == 0:
            optimizer.step()
            lr_scheduler.step()
            optimizer.zero_grad()
            print(f"step {step} lr {lr_scheduler.get_last_lr()[0]:.6f}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--gradient-accumulation-steps", type=int, default=2)
    args = parser.parse_args()
    model = torch.nn.Linear(4, 1)
    loader = DataLoader(TensorDataset(torch.randn(32, 4), torch.randn(32, 1)), batch_size=4)
    optimizer = torch.optim.AdamW(model.parameters(), lr=5e-4)
    updates = args.epochs * len(loader) // args.gradient_accumulation_steps
    lr_scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=updates)
    for epoch in range(args.epochs):
        train_one_epoch(model, loader, optimizer, lr_scheduler, args.gradient_accumulation_steps)


if __name__ == "__main__":
    main()
