"""main() builds the model, data and optimizer and calls train(model, optimizer, train_loader, args); train() builds
its CosineAnnealingLR over the iterations it will run (a local total_steps), steps it per batch and logs the lr.

Expect: rewrite (the list is computed where the optimizer is built, train()'s counts written with main()'s
arguments).
"""
import argparse

import torch
from torch.utils.data import DataLoader, TensorDataset


def train(model, optimizer, train_loader, args):
    total_steps = args.epochs * len(train_loader)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=total_steps, eta_min=args.min_lr)
    model.train()
    for epoch in range(args.epochs):
        running = 0.0
        for step, (inputs, targets) in enumerate(train_loader):
            optimizer.zero_grad()
            loss = torch.nn.functional.cross_entropy(model(inputs), targets)
            loss.backward()
            optimizer.step()
            scheduler.step()
            running += loss.item()
        print(f"epoch {epoch}: loss {running / len(train_loader):.4f} lr {scheduler.get_last_lr()[0]:.6f}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--lr", type=float, default=0.05)
    parser.add_argument("--min-lr", type=float, default=1e-4)
    parser.add_argument("--batch-size", type=int, default=8)
    args = parser.parse_args()
    model = torch.nn.Sequential(torch.nn.Linear(10, 16), torch.nn.ReLU(), torch.nn.Linear(16, 3))
    train_loader = DataLoader(TensorDataset(torch.randn(40, 10), torch.randint(0, 3, (40,))),
                              batch_size=args.batch_size, shuffle=True)
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9, nesterov=True)
    train(model, optimizer, train_loader, args)


if __name__ == "__main__":
    main()
