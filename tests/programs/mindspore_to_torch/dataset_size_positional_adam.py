"""Positional arguments, get_dataset_size() read into a variable before the network is built, nn.Adam with a
positional learning rate and weight decay.

Expect: rewrite.
"""
import mindspore
import mindspore.dataset as ds
from mindspore import nn


def create_dataset(batch_size):
    features = [[0.05 * index] * 4 for index in range(27)]
    labels = [[0.0] for _ in range(27)]
    return ds.NumpySlicesDataset((features, labels), column_names=["data", "label"], shuffle=False).batch(batch_size)


def train():
    max_epoch = 5
    train_dataset = create_dataset(batch_size=9)
    batch_num = train_dataset.get_dataset_size()
    network = nn.Dense(4, 1)
    loss_fn = nn.MSELoss()
    lr = nn.dynamic_lr.cosine_decay_lr(0.0, 0.001, max_epoch * batch_num, batch_num, max_epoch)
    optimizer = nn.Adam(network.trainable_params(), lr, weight_decay=1e-4)
    grad_fn = mindspore.value_and_grad(lambda x, y: loss_fn(network(x), y), None, optimizer.parameters)
    for epoch in range(max_epoch):
        for x, y in train_dataset.create_tuple_iterator():
            _, grads = grad_fn(x, y)
            optimizer(grads)
        print(f"epoch {epoch} done")


if __name__ == "__main__":
    train()
