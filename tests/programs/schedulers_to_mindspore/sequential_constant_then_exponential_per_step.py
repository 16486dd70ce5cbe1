"""A ConstantLR warmup then ExponentialLR, both stepped after every optimizer step, in main().

Expect: rewrite (ConstantLR's rates for the milestone's steps, then exponential_decay_lr from step 0).
"""
import torch
from torch.utils.data import DataLoader, TensorDataset


def main():
    model = torch.nn.Linear(4, 1)
    loader = DataLoader(TensorDataset(torch.randn(32, 4), torch.randn(32, 1)), batch_size=4)
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
    warmup = torch.optim.lr_scheduler.ConstantLR(optimizer, factor=0.5, total_iters=5)
    decay = torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=0.9)
    scheduler = torch.optim.lr_scheduler.SequentialLR(optimizer, schedulers=[warmup, decay], milestones=[5])
    for epoch in range(3):
        for x, y in loader:
            optimizer.zero_grad()
            torch.nn.functional.mse_loss(model(x), y).backward()
            optimizer.step()
            scheduler.step()


if __name__ == "__main__":
    main()
