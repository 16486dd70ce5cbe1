"""StepLR in a loop that runs until a loss threshold: the run's length is not visible.

Expect: refuse (MIG102: the list is written for the run's length).
"""
import torch
from torch.utils.data import DataLoader, TensorDataset

model = torch.nn.Linear(4, 1)
loader = DataLoader(TensorDataset(torch.randn(24, 4), torch.randn(24, 1)), batch_size=8)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.5)
loss = torch.tensor(1.0)
epochs = 0
while loss.item() > 1e-3 and epochs < 6:
    for x, y in loader:
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
    scheduler.step()
    epochs += 1
