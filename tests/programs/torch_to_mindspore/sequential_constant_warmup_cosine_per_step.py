"""A ConstantLR warmup then the cosine over the steps, both stepped after every optimizer step.

Expect: rewrite (ConstantLR's rates for the milestone's steps, then the cosine from its step 0).
"""
import torch
from torch.utils.data import DataLoader, TensorDataset

EPOCHS = 4
model = torch.nn.Linear(4, 1)
loader = DataLoader(TensorDataset(torch.randn(32, 4), torch.randn(32, 1)), batch_size=4)
total_steps = EPOCHS * len(loader)
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)
warmup = torch.optim.lr_scheduler.ConstantLR(optimizer, factor=0.1, total_iters=5)
cosine = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=total_steps - 5)
scheduler = torch.optim.lr_scheduler.SequentialLR(optimizer, [warmup, cosine], milestones=[5])
for epoch in range(EPOCHS):
    for x, y in loader:
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(x), y).backward()
        optimizer.step()
        scheduler.step()
