"""step_per_epoch=1 and total_step=epochs: a per-epoch list, but the optimizer gathers one entry per batch
(GANLC style), so MindSpore raises once the batches outnumber the epochs.

Expect: rewrite with a warning (the run is longer than the list: MindSpore raises where torch runs on; refused by
default).
"""
import mindspore as ms
import mindspore.dataset as ds
from mindspore import nn


def create_dataset():
    features = [[1.0] * 4 for _ in range(16)]
    labels = [[0.0] for _ in range(16)]
    return ds.NumpySlicesDataset((features, labels), column_names=["data", "label"], shuffle=False).batch(4)


def main():
    num_epochs = 6
    lr = nn.cosine_decay_lr(0.0, 2e-4, num_epochs, 1, num_epochs)
    net = nn.Dense(4, 1)
    optimizer = nn.Adam(net.trainable_params(), learning_rate=lr, beta1=0.5, beta2=0.999)
    grad_fn = ms.value_and_grad(lambda x, y: nn.MSELoss()(net(x), y), None, optimizer.parameters)
    dataset = create_dataset()
    for epoch in range(num_epochs):
        for x, y in dataset.create_tuple_iterator():
            _, grads = grad_fn(x, y)
            optimizer(grads)


if __name__ == "__main__":
    main()
