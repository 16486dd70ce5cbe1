"""A model zoo's warmup written out per optimizer step, `[args.lr * (i + 1) / warmup_steps for i in
range(warmup_steps)]`, concatenated before a cosine_decay_lr list of the remaining epochs.

Expect: rewrite (SequentialLR of a LambdaLR of the warmup's element and a LambdaLR of cosine_decay_lr's formula per
optimizer step, switching at warmup_steps; stepped after every optimizer step).
"""
import argparse

import mindspore as ms
import mindspore.dataset as ds
from mindspore import nn

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=6)
parser.add_argument("--warmup_epochs", type=int, default=2)
parser.add_argument("--lr", type=float, default=0.1)
args = parser.parse_args()


def create_dataset(batch_size):
    x = [[0.1] * 4 for _ in range(20)]
    y = [[0.2] for _ in range(20)]
    return ds.NumpySlicesDataset((x, y), column_names=["data", "label"], shuffle=False).batch(batch_size)


def main():
    dataset = create_dataset(5)
    steps = dataset.get_dataset_size()
    warmup_steps = args.warmup_epochs * steps
    warmup = [args.lr * (i + 1) / warmup_steps for i in range(warmup_steps)]
    cosine = nn.cosine_decay_lr(0.0, args.lr, (args.epochs - args.warmup_epochs) * steps, steps,
                                args.epochs - args.warmup_epochs)
    lr = warmup + cosine
    net = nn.Dense(4, 1)
    opt = nn.Momentum(net.trainable_params(), learning_rate=lr, momentum=0.9)
    grad_fn = ms.value_and_grad(lambda x, y: nn.MSELoss()(net(x), y), None, opt.parameters)
    for epoch in range(args.epochs):
        for data, label in dataset.create_tuple_iterator():
            loss, grads = grad_fn(data, label)
            opt(grads)


if __name__ == "__main__":
    main()
