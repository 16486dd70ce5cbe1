"""Resume (CRNN style): the full list is computed, then sliced from the step training restarts at.

Expect: rewrite (a resume at an epoch boundary: the optimizer starts at the cosine's lr of start_epoch, each group's
initial_lr is max_lr, and CosineAnnealingLR(last_epoch=start_epoch - 1) continues the uninterrupted run).
"""
import argparse

import mindspore as ms
import mindspore.dataset as ds
from mindspore import nn


def parse_args():
    parser = argparse.ArgumentParser(description="resume training")
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--start-epoch", type=int, default=2)
    parser.add_argument("--lr", type=float, default=0.05)
    return parser.parse_args()


def create_dataset():
    features = [[0.3] * 4 for _ in range(20)]
    labels = [[0.1] for _ in range(20)]
    return ds.NumpySlicesDataset((features, labels), column_names=["data", "label"], shuffle=False).batch(4)


def main():
    args = parse_args()
    dataset = create_dataset()
    step_size = dataset.get_dataset_size()
    lr = nn.cosine_decay_lr(0.0, args.lr, args.epochs * step_size, step_size, args.epochs)
    start_step = args.start_epoch * step_size
    lr = lr[start_step:]
    net = nn.Dense(4, 1)
    optimizer = nn.Adam(net.trainable_params(), learning_rate=lr)
    grad_fn = ms.value_and_grad(lambda x, y: nn.MSELoss()(net(x), y), None, optimizer.parameters)
    for epoch in range(args.start_epoch, args.epochs):
        for data, label in dataset.create_tuple_iterator():
            _, grads = grad_fn(data, label)
            optimizer(grads)


if __name__ == "__main__":
    main()
