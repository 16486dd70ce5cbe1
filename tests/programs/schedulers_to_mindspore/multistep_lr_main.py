"""MultiStepLR with milestones, built in main() and stepped after each epoch's loop.

Expect: rewrite (a list of the rates between milestones for the whole run).
"""
import torch
from torch.utils.data import DataLoader, TensorDataset


def main():
    epochs = 10
    model = torch.nn.Linear(4, 1)
    loader = DataLoader(TensorDataset(torch.randn(32, 4), torch.randn(32, 1)), batch_size=8)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    scheduler = torch.optim.lr_scheduler.MultiStepLR(optimizer, milestones=[4, 7], gamma=0.2)
    for epoch in range(epochs):
        for step, (x, y) in enumerate(loader):
            optimizer.zero_grad()
            loss = torch.nn.functional.mse_loss(model(x), y)
            loss.backward()
            optimizer.step()
        scheduler.step()


if __name__ == "__main__":
    main()
