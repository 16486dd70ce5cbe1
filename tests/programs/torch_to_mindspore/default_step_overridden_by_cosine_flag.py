"""Re-ID baseline style: a StepLR by default, replaced by a cosine when --cosine is given; the scheduler steps at
the end of each epoch.

Expect: rewrite (the StepLR line becomes its list, the `if` its cosine list, the optimizer built after the `if`).
"""
import argparse

import torch
from torch.optim import lr_scheduler
from torch.utils.data import DataLoader, TensorDataset

parser = argparse.ArgumentParser(description="Training")
parser.add_argument("--lr", default=0.05, type=float, help="learning rate")
parser.add_argument("--total_epoch", default=9, type=int, help="total training epoch")
parser.add_argument("--batchsize", default=8, type=int, help="batchsize")
parser.add_argument("--cosine", action="store_true", help="use cosine lrRate")
opt = parser.parse_args()

features = torch.randn(32, 8)
identities = torch.randn(32, 1)
train_loader = DataLoader(TensorDataset(features, identities), batch_size=opt.batchsize, shuffle=False)
model = torch.nn.Sequential(torch.nn.Linear(8, 8), torch.nn.ReLU(), torch.nn.Linear(8, 1))

optimizer_ft = torch.optim.SGD(model.parameters(), lr=opt.lr, weight_decay=5e-4, momentum=0.9, nesterov=True)
exp_lr_scheduler = lr_scheduler.StepLR(optimizer_ft, step_size=opt.total_epoch * 2 // 3, gamma=0.1)
if opt.cosine:
    exp_lr_scheduler = lr_scheduler.CosineAnnealingLR(optimizer_ft, opt.total_epoch, eta_min=0.01 * opt.lr)


def train_model(model, optimizer, scheduler, num_epochs):
    for epoch in range(num_epochs):
        model.train()
        running_loss = 0.0
        for inputs, labels in train_loader:
            optimizer.zero_grad()
            loss = torch.nn.functional.mse_loss(model(inputs), labels)
            loss.backward()
            optimizer.step()
            running_loss += loss.item()
        scheduler.step()
        print(f"Epoch {epoch}/{num_epochs - 1} loss {running_loss:.4f}")
    return model


model = train_model(model, optimizer_ft, exp_lr_scheduler, num_epochs=opt.total_epoch)
