"""The list wrapped as Tensor(lr, mstype.float32) before it reaches the optimizer (model_zoo ResNet style).

Expect: rewrite (the wrapper is removed with the list; lr=max_lr on the torch optimizer).
"""
import mindspore.common.dtype as mstype
import mindspore.dataset as ds
from mindspore import Tensor, nn, value_and_grad


def create_dataset(batch_size):
    features = [[float(index)] * 4 for index in range(32)]
    labels = [[float(index % 2)] for index in range(32)]
    return ds.NumpySlicesDataset((features, labels), column_names=["data", "label"], shuffle=False).batch(batch_size)


def main():
    epoch_size = 7
    dataset = create_dataset(8)
    step_size = dataset.get_dataset_size()
    net = nn.Dense(4, 2)
    loss = nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean")
    lr = nn.cosine_decay_lr(0.0, 0.1, epoch_size * step_size, step_size, epoch_size)
    lr = Tensor(lr, mstype.float32)
    opt = nn.Momentum(net.trainable_params(), learning_rate=lr, momentum=0.9)

    def forward_fn(data, label):
        return loss(net(data), label)

    grad_fn = value_and_grad(forward_fn, None, opt.parameters)
    for _ in range(epoch_size):
        for data, label in dataset.create_tuple_iterator():
            _, grads = grad_fn(data, label)
            opt(grads)


if __name__ == "__main__":
    main()
