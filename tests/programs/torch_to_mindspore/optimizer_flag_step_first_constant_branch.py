"""Point-cloud model style, torch's pre-1.1 order: a flag picks SGD at a hundred times the base lr or Adam at the base
lr, the cosine anneals to the base lr, and scheduler.step() runs at the start of each epoch.

Expect: rewrite (the SGD branch's list read from its second epoch; the Adam branch's lr is eta_min itself, which
torch's cosine keeps constant).
"""
import argparse

import torch
from torch import optim
from torch.optim.lr_scheduler import CosineAnnealingLR
from torch.utils.data import DataLoader, TensorDataset


def build_loader(batch_size):
    points = torch.randn(40, 6)
    scores = torch.randn(40, 1)
    return DataLoader(TensorDataset(points, scores), batch_size=batch_size, shuffle=False)


def main():
    parser = argparse.ArgumentParser(description="Point Cloud Recognition")
    parser.add_argument("--batch_size", type=int, default=8)
    parser.add_argument("--epochs", type=int, default=7)
    parser.add_argument("--use_sgd", type=bool, default=True)
    parser.add_argument("--lr", type=float, default=0.001)
    parser.add_argument("--momentum", type=float, default=0.9)
    args = parser.parse_args()

    train_loader = build_loader(args.batch_size)
    model = torch.nn.Sequential(torch.nn.Linear(6, 16), torch.nn.ReLU(), torch.nn.Linear(16, 1))
    if args.use_sgd:
        print("Use SGD")
        opt = optim.SGD(model.parameters(), lr=args.lr * 100, momentum=args.momentum, weight_decay=1e-4)
    else:
        print("Use Adam")
        opt = optim.Adam(model.parameters(), lr=args.lr, weight_decay=1e-4)
    scheduler = CosineAnnealingLR(opt, args.epochs, eta_min=args.lr)

    for epoch in range(args.epochs):
        scheduler.step()
        model.train()
        train_loss, count = 0.0, 0
        for data, label in train_loader:
            opt.zero_grad()
            loss = torch.nn.functional.mse_loss(model(data), label)
            loss.backward()
            opt.step()
            train_loss += loss.item() * len(data)
            count += len(data)
        print(f"Train {epoch}, loss: {train_loss / count:.6f}")


if __name__ == "__main__":
    main()
