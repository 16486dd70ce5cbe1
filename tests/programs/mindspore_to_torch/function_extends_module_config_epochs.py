"""A nested function writes cfg["epochs"] after the list was built from it; the loop reads the new value.

Expect: refuse (the epoch count the loop reads is changed by a module function after the list).
"""
import argparse

import mindspore.dataset as ds
from mindspore import nn

p = argparse.ArgumentParser()
p.add_argument("--bump", type=int, default=1)
args = p.parse_args()
cfg = {"epochs": 3}


def extend():
    cfg["epochs"] += 1


dataset = ds.NumpySlicesDataset(([[0.0] * 4] * 8, [[1.0]] * 8), column_names=["image", "label"],
                                shuffle=False).batch(4)
steps = dataset.get_dataset_size()
lr = nn.cosine_decay_lr(0.0, 0.1, cfg["epochs"] * steps, steps, cfg["epochs"])
opt = nn.SGD(nn.Dense(4, 1).trainable_params(), learning_rate=lr)
if args.bump:
    extend()
for epoch in range(cfg["epochs"]):
    for x, y in dataset.create_tuple_iterator():
        opt(None)
