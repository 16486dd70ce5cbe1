"""A get_lr() helper in the script returns the list; main() passes its arguments and gives the list to nn.SGD.

Expect: rewrite (the helper's call is followed with the caller's arguments).
"""
import mindspore as ms
import mindspore.dataset as ds
from mindspore import nn


def get_lr(lr_max, epochs, steps_per_epoch):
    return nn.cosine_decay_lr(0.0, lr_max, epochs * steps_per_epoch, steps_per_epoch, epochs)


def create_dataset(batch_size):
    features = [[0.4] * 4 for _ in range(28)]
    labels = [[0.2] for _ in range(28)]
    return ds.NumpySlicesDataset((features, labels), column_names=["data", "label"], shuffle=False).batch(batch_size)


def main():
    epochs = 5
    dataset = create_dataset(7)
    steps = dataset.get_dataset_size()
    net = nn.Dense(4, 1)
    lr = get_lr(0.08, epochs, steps)
    optimizer = nn.SGD(net.trainable_params(), learning_rate=lr, momentum=0.9)
    grad_fn = ms.value_and_grad(lambda x, y: nn.MSELoss()(net(x), y), None, optimizer.parameters)
    for epoch in range(epochs):
        for x, y in dataset.create_tuple_iterator():
            _, grads = grad_fn(x, y)
            optimizer(grads)


if __name__ == "__main__":
    main()
