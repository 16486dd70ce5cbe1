"""An older script imports the schedulers with a star import and calls CosineAnnealingLR by its bare name.

Expect: rewrite (the name only that star import can bind resolves to torch's CosineAnnealingLR).
"""
import torch
from torch.optim.lr_scheduler import *
from torch.utils.data import DataLoader, TensorDataset

EPOCHS = 5

model = torch.nn.Linear(4, 1)
dataset = TensorDataset(torch.randn(16, 4), torch.randn(16, 1))
loader = DataLoader(dataset, batch_size=4, shuffle=True)
optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
scheduler = CosineAnnealingLR(optimizer, T_max=EPOCHS, eta_min=1e-5)

for epoch in range(EPOCHS):
    for x, y in loader:
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
    scheduler.step()
    print(epoch, scheduler.get_last_lr())
