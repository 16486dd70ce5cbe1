"""The lr is logged from optimizer.param_groups[0]['lr'] at the end of train(), called once per epoch.

Expect: rewrite (the read runs after the epoch's optimizer steps and before scheduler.step(): it becomes the last
step's entry, optimizer.learning_rate(optimizer.global_step - 1); get_lr() would give the next epoch's lr).
"""
import torch
from torch.utils.data import DataLoader, TensorDataset


def train(model, loader, optimizer, epoch):
    model.train()
    total = 0.0
    for x, y in loader:
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
        total += loss.item()
    print(f"epoch {epoch} loss {total:.3f} lr {optimizer.param_groups[0]['lr']:.6f}")


def main():
    model = torch.nn.Linear(4, 1)
    loader = DataLoader(TensorDataset(torch.randn(24, 4), torch.randn(24, 1)), batch_size=8)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=10, eta_min=1e-4)
    for epoch in range(10):
        train(model, loader, optimizer, epoch)
        scheduler.step()


if __name__ == "__main__":
    main()
