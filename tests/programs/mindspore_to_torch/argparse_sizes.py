"""Sizes and rates from argparse (defaults visible), a main guard, and a per-batch training helper.

Expect: rewrite.
"""
import argparse

import mindspore as ms
import mindspore.dataset as ds
from mindspore import nn

parser = argparse.ArgumentParser(description="MindSpore classification")
parser.add_argument("--epoch_size", type=int, default=6, help="number of epochs")
parser.add_argument("--batch_size", type=int, default=10)
parser.add_argument("--lr_max", type=float, default=0.1)
parser.add_argument("--lr_min", type=float, default=0.0)
parser.add_argument("--momentum", type=float, default=0.9)
args = parser.parse_args()


def create_dataset(batch_size):
    features = [[0.1] * 4 for _ in range(50)]
    labels = [[0.2] for _ in range(50)]
    return ds.NumpySlicesDataset((features, labels), column_names=["data", "label"], shuffle=False).batch(batch_size)


if __name__ == "__main__":
    dataset = create_dataset(args.batch_size)
    step_size = dataset.get_dataset_size()
    net = nn.Dense(4, 1)
    lr = nn.cosine_decay_lr(args.lr_min, args.lr_max, args.epoch_size * step_size, step_size, args.epoch_size)
    optimizer = nn.Momentum(net.trainable_params(), learning_rate=lr, momentum=args.momentum)
    grad_fn = ms.value_and_grad(lambda x, y: nn.MSELoss()(net(x), y), None, optimizer.parameters)

    def train_step(x, y):
        loss, grads = grad_fn(x, y)
        optimizer(grads)
        return loss

    for epoch in range(args.epoch_size):
        for x, y in dataset.create_tuple_iterator():
            train_step(x, y)
