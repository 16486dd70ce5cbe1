"""A builder returns optimizer and scheduler in a dict; the loop steps the scheduler per iteration.

Expect: refuse (MIG107: the scheduler is returned inside a dict).
"""
import torch
from torch.utils.data import DataLoader, TensorDataset


def build_optim(model, cfg, iters_per_epoch):
    optimizer = torch.optim.AdamW(model.parameters(), lr=cfg["lr"], weight_decay=cfg["wd"])
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=cfg["epochs"] * iters_per_epoch,
                                                           eta_min=cfg["lr"] * 0.01)
    return {"optimizer": optimizer, "scheduler": scheduler}


def main():
    cfg = {"lr": 3e-4, "wd": 0.05, "epochs": 4}
    model = torch.nn.Linear(4, 1)
    loader = DataLoader(TensorDataset(torch.randn(24, 4), torch.randn(24, 1)), batch_size=6)
    optim = build_optim(model, cfg, len(loader))
    for epoch in range(cfg["epochs"]):
        for x, y in loader:
            optim["optimizer"].zero_grad()
            torch.nn.functional.mse_loss(model(x), y).backward()
            optim["optimizer"].step()
            optim["scheduler"].step()


if __name__ == "__main__":
    main()
