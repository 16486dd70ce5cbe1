"""Hyper-parameters in a module-level config dict (model_zoo src/config.py style), read as cfg["..."].

Expect: rewrite.
"""
import mindspore as ms
import mindspore.dataset as ds
from mindspore import nn

cfg = {
    "epoch_size": 5,
    "batch_size": 8,
    "lr_init": 0.05,
    "lr_end": 0.0001,
    "momentum": 0.9,
    "weight_decay": 1e-4,
}


def create_dataset(batch_size):
    features = [[0.3] * 4 for _ in range(32)]
    labels = [[0.7] for _ in range(32)]
    return ds.NumpySlicesDataset((features, labels), column_names=["data", "label"], shuffle=False).batch(batch_size)


def main():
    dataset = create_dataset(cfg["batch_size"])
    step_size = dataset.get_dataset_size()
    lr = nn.cosine_decay_lr(min_lr=cfg["lr_end"], max_lr=cfg["lr_init"], total_step=cfg["epoch_size"] * step_size,
                            step_per_epoch=step_size, decay_epoch=cfg["epoch_size"])
    net = nn.Dense(4, 1)
    opt = nn.Momentum(net.trainable_params(), learning_rate=lr, momentum=cfg["momentum"],
                      weight_decay=cfg["weight_decay"])
    grad_fn = ms.value_and_grad(lambda x, y: nn.MSELoss()(net(x), y), None, opt.parameters)
    for _ in range(cfg["epoch_size"]):
        for x, y in dataset.create_tuple_iterator():
            _, grads = grad_fn(x, y)
            opt(grads)


if __name__ == "__main__":
    main()
