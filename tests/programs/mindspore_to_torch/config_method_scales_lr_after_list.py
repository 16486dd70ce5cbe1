"""A config method scales cfg.lr after the list was built from it; the torch optimizer's lr= reads cfg.lr later.

Expect: refuse (MIG105: a method of the config scales cfg.lr between the list and the optimizer).
"""
import argparse

import mindspore.dataset as ds
from mindspore import nn


class Config:
    lr = 0.1

    def scale_lr(self, world):
        self.lr *= world


p = argparse.ArgumentParser()
p.add_argument("--world", type=int, default=1)
args = p.parse_args()
cfg = Config()
dataset = ds.NumpySlicesDataset(([[0.0] * 4] * 8, [[1.0]] * 8), column_names=["image", "label"],
                                shuffle=False).batch(4)
steps = dataset.get_dataset_size()
lr = nn.cosine_decay_lr(0.0, cfg.lr, 3 * steps, steps, 3)
cfg.scale_lr(args.world)
opt = nn.SGD(nn.Dense(4, 1).trainable_params(), learning_rate=lr)
for epoch in range(3):
    for x, y in dataset.create_tuple_iterator():
        opt(None)
