"""Param groups in the model-zoo style: the biases and norm parameters in a group without weight decay, each group
given the cosine list as its own "lr" as well as the optimizer's learning_rate, the groups bound to a name first.

Expect: rewrite (each group's "lr" becomes the list's max_lr; one CosineAnnealingLR anneals both groups).
"""
import argparse

import mindspore as ms
import mindspore.dataset as ds
from mindspore import nn

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=6)
parser.add_argument("--lr", type=float, default=0.05)
parser.add_argument("--weight_decay", type=float, default=1e-4)
args = parser.parse_args()


def create_dataset(batch_size):
    features = [[0.3] * 4 for _ in range(40)]
    labels = [[0.5] for _ in range(40)]
    return ds.NumpySlicesDataset((features, labels), column_names=["x", "y"], shuffle=False).batch(batch_size)


def main():
    dataset = create_dataset(8)
    steps = dataset.get_dataset_size()
    net = nn.Dense(4, 1)
    decayed, no_decayed = [], []
    for param in net.trainable_params():
        if "bias" in param.name or "beta" in param.name or "gamma" in param.name:
            no_decayed.append(param)
        else:
            decayed.append(param)
    lr = nn.cosine_decay_lr(0.0, args.lr, args.epochs * steps, steps, args.epochs)
    group_params = [{"params": decayed, "weight_decay": args.weight_decay, "lr": lr},
                    {"params": no_decayed, "lr": lr}]
    optimizer = nn.Momentum(group_params, learning_rate=lr, momentum=0.9)
    grad_fn = ms.value_and_grad(lambda x, y: nn.MSELoss()(net(x), y), None, optimizer.parameters)
    for epoch in range(args.epochs):
        for x, y in dataset.create_tuple_iterator():
            loss, grads = grad_fn(x, y)
            optimizer(grads)


if __name__ == "__main__":
    main()
