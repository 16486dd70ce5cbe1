"""CIFAR-tutorial style with `import torch.optim as optim`, a tqdm trange over the epochs, enumerate(loader, 0), and
the lr printed every other epoch.

Expect: rewrite (trange(5) runs as range(5); the read becomes optimizer.get_lr()).
"""
import torch
import torch.nn as nn
import torch.optim as optim
from torch.utils.data import DataLoader, TensorDataset
from tqdm import trange


def main():
    net = nn.Sequential(nn.Linear(10, 10), nn.ReLU(), nn.Linear(10, 2))
    criterion = nn.CrossEntropyLoss()
    trainloader = DataLoader(TensorDataset(torch.randn(20, 10), torch.randint(0, 2, (20,))), batch_size=4)
    optimizer = optim.SGD(net.parameters(), lr=0.001, momentum=0.9)
    scheduler = optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=200)
    for epoch in trange(5, desc="epochs"):
        running_loss = 0.0
        for i, data in enumerate(trainloader, 0):
            inputs, labels = data
            optimizer.zero_grad()
            outputs = net(inputs)
            loss = criterion(outputs, labels)
            loss.backward()
            optimizer.step()
            running_loss += loss.item()
        scheduler.step()
        if epoch % 2 == 0:
            print(f"[{epoch + 1}] loss: {running_loss / len(trainloader):.3f} lr: {scheduler.get_last_lr()[0]:.6f}")
    print("Finished Training")


if __name__ == "__main__":
    main()
