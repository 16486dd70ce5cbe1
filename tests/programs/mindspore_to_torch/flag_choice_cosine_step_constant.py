"""The schedule is chosen by an argparse flag among cosine, step decay and a constant lr; the optimizer is built
once after the `if`, and TrainOneStepCell steps it.

Expect: rewrite (the optimizer moves before the `if`; each branch builds its scheduler, the constant one a LambdaLR
of factor 1).
"""
import argparse

import mindspore.dataset as ds
from mindspore import nn


def parse_args():
    parser = argparse.ArgumentParser(description="classifier")
    parser.add_argument("--lr", type=float, default=0.05)
    parser.add_argument("--epochs", type=int, default=9)
    parser.add_argument("--batch_size", type=int, default=8)
    parser.add_argument("--lr_scheduler", default="cosine", choices=["cosine", "step", "constant"])
    return parser.parse_args()


def create_dataset(batch_size):
    features = [[0.02 * index] * 4 for index in range(40)]
    labels = [[0.5] for _ in range(40)]
    return ds.NumpySlicesDataset((features, labels), column_names=["data", "label"], shuffle=False).batch(batch_size)


def main():
    args = parse_args()
    dataset = create_dataset(args.batch_size)
    steps_per_epoch = dataset.get_dataset_size()
    net = nn.Dense(4, 1)
    if args.lr_scheduler == "cosine":
        lr = nn.cosine_decay_lr(0.0, args.lr, args.epochs * steps_per_epoch, steps_per_epoch, args.epochs)
    elif args.lr_scheduler == "step":
        lr = nn.piecewise_constant_lr([3 * steps_per_epoch, 6 * steps_per_epoch, args.epochs * steps_per_epoch],
                                      [args.lr, args.lr * 0.1, args.lr * 0.01])
    else:
        lr = args.lr
    optimizer = nn.Momentum(net.trainable_params(), learning_rate=lr, momentum=0.9)
    train_net = nn.TrainOneStepCell(nn.WithLossCell(net, nn.MSELoss()), optimizer)
    train_net.set_train()
    for epoch in range(args.epochs):
        for data, label in dataset.create_tuple_iterator():
            loss = train_net(data, label)
        print("epoch", epoch, "loss", loss)


if __name__ == "__main__":
    main()
