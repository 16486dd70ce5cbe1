"""A trainer function keeps the configured lr unless a flag names a schedule: `lr = cfg.lr` first, then `if`/`elif`
branches override it with cosine or polynomial decay; a per-step step function, a `get_lr()` log each epoch.

Expect: rewrite (the optimizer moves before the `if` with a LambdaLR of factor 1 for the default; each branch
replaces it with its own scheduler).
"""
import mindspore as ms
import mindspore.dataset as ds
from mindspore import nn


class Config:
    lr = 0.08
    epochs = 7
    batch_size = 5
    schedule = "poly"


def build_dataset(batch_size):
    samples = [[0.05 * index] * 3 for index in range(35)]
    targets = [[1.0] for _ in range(35)]
    return ds.NumpySlicesDataset((samples, targets), column_names=["x", "y"], shuffle=False).batch(batch_size)


def train(cfg):
    dataset = build_dataset(cfg.batch_size)
    steps = dataset.get_dataset_size()
    net = nn.Dense(3, 1)
    loss_fn = nn.MSELoss()
    lr = cfg.lr
    if cfg.schedule == "cosine":
        lr = nn.cosine_decay_lr(0.0, cfg.lr, cfg.epochs * steps, steps, cfg.epochs)
    elif cfg.schedule == "poly":
        lr = nn.polynomial_decay_lr(cfg.lr, 0.0, cfg.epochs * steps, steps, cfg.epochs, 2.0)
    optimizer = nn.Adam(net.trainable_params(), learning_rate=lr)
    grad_fn = ms.value_and_grad(lambda x, y: loss_fn(net(x), y), None, optimizer.parameters)
    for epoch in range(cfg.epochs):
        print("epoch", epoch, "lr", optimizer.get_lr())
        for x, y in dataset.create_tuple_iterator():
            loss, grads = grad_fn(x, y)
            optimizer(grads)


if __name__ == "__main__":
    train(Config())
