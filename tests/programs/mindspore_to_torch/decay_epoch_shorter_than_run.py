"""decay_epoch shorter than training (mobilevit style: the list decays over 80 % of the epochs, then stays at
min_lr).

Expect: rewrite (scheduler.step() only while last_epoch < T_max, so torch holds min_lr after decay_epoch; MIG114).
"""
import mindspore as ms
import mindspore.dataset as ds
from mindspore import nn


def create_dataset(batch_size):
    features = [[0.25] * 4 for _ in range(20)]
    labels = [[0.5] for _ in range(20)]
    return ds.NumpySlicesDataset((features, labels), column_names=["data", "label"], shuffle=False).batch(batch_size)


def main():
    epochs = 10
    dataset = create_dataset(5)
    step_per_epoch = dataset.get_dataset_size()
    decay_epoch = int(epochs * 0.8)
    lr = nn.cosine_decay_lr(min_lr=1e-4, max_lr=0.01, total_step=epochs * step_per_epoch,
                            step_per_epoch=step_per_epoch, decay_epoch=decay_epoch)
    net = nn.Dense(4, 1)
    optimizer = nn.SGD(net.trainable_params(), learning_rate=lr)
    grad_fn = ms.value_and_grad(lambda x, y: nn.MSELoss()(net(x), y), None, optimizer.parameters)
    for epoch in range(epochs):
        for x, y in dataset.create_tuple_iterator():
            _, grads = grad_fn(x, y)
            optimizer(grads)


if __name__ == "__main__":
    main()
