"""A fit_one_epoch(epoch, dataset) helper at module level holds the batch loop; main() calls it once per epoch.

Expect: rewrite (scheduler.step() after the helper's call; step_per_epoch is the dataset's size).
"""
import mindspore as ms
import mindspore.dataset as ds
from mindspore import nn

net = nn.Dense(4, 1)
loss_fn = nn.MSELoss()


def create_dataset(batch_size):
    features = [[0.15] * 4 for _ in range(35)]
    labels = [[0.05] for _ in range(35)]
    return ds.NumpySlicesDataset((features, labels), column_names=["data", "label"], shuffle=False).batch(batch_size)


def fit_one_epoch(epoch, dataset, grad_fn, optimizer):
    net.set_train()
    total = 0.0
    for data, label in dataset.create_tuple_iterator():
        loss, grads = grad_fn(data, label)
        optimizer(grads)
        total += float(loss)
    print(f"epoch {epoch}: mean loss {total / dataset.get_dataset_size()}")


def main():
    epochs = 6
    dataset = create_dataset(7)
    step_size = dataset.get_dataset_size()
    lr = nn.cosine_decay_lr(0.0, 0.03, epochs * step_size, step_size, epochs)
    optimizer = nn.Momentum(net.trainable_params(), learning_rate=lr, momentum=0.9)
    grad_fn = ms.value_and_grad(lambda x, y: loss_fn(net(x), y), None, optimizer.parameters)
    for epoch in range(epochs):
        fit_one_epoch(epoch, dataset, grad_fn, optimizer)


if __name__ == "__main__":
    main()
