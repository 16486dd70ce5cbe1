"""CIFAR-style script: globals, a train(epoch) helper that steps the optimizer, the scheduler stepped in main.

Expect: rewrite (the helper runs once per epoch; the batch loop is over the global loader).
"""
import torch
import torch.nn as nn
import torch.optim as optim
from torch.utils.data import DataLoader, TensorDataset

EPOCHS = 12
trainset = TensorDataset(torch.randn(48, 4), torch.randn(48, 1))
trainloader = DataLoader(trainset, batch_size=8, shuffle=True)

net = nn.Linear(4, 1)
criterion = nn.MSELoss()
optimizer = optim.SGD(net.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=EPOCHS)


def train(epoch):
    net.train()
    train_loss = 0
    for batch_idx, (inputs, targets) in enumerate(trainloader):
        optimizer.zero_grad()
        outputs = net(inputs)
        loss = criterion(outputs, targets)
        loss.backward()
        optimizer.step()
        train_loss += loss.item()
    return train_loss / (batch_idx + 1)


start_epoch = 0
for epoch in range(start_epoch, start_epoch + EPOCHS):
    train(epoch)
    scheduler.step()
