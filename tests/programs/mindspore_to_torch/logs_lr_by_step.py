"""The current learning rate is logged by indexing the list with a global step counter (lr[global_step]).

Expect: rewrite (the read becomes the torch optimizer's current lr).
"""
import mindspore as ms
import mindspore.dataset as ds
from mindspore import nn


def create_dataset(batch_size):
    features = [[0.9] * 4 for _ in range(30)]
    labels = [[0.3] for _ in range(30)]
    return ds.NumpySlicesDataset((features, labels), column_names=["data", "label"], shuffle=False).batch(batch_size)


def main():
    epochs = 4
    dataset = create_dataset(10)
    steps = dataset.get_dataset_size()
    lr = nn.cosine_decay_lr(0.0, 0.01, epochs * steps, steps, epochs)
    net = nn.Dense(4, 1)
    optimizer = nn.SGD(net.trainable_params(), learning_rate=lr)
    grad_fn = ms.value_and_grad(lambda x, y: nn.MSELoss()(net(x), y), None, optimizer.parameters)
    global_step = 0
    for epoch in range(epochs):
        for x, y in dataset.create_tuple_iterator():
            loss, grads = grad_fn(x, y)
            print(f"step {global_step} lr {lr[global_step]:.6f} loss {loss}")
            optimizer(grads)
            global_step += 1


if __name__ == "__main__":
    main()
