"""The list through np.array(...).astype(np.float32), given to nn.AdamWeightDecay (transformer fine-tuning style).

Expect: rewrite with a warning (AdamWeightDecay has no bias correction, AdamW has: an update-rule difference, not a
learning-rate one; the schedule itself converts exactly).
"""
import mindspore as ms
import mindspore.dataset as ds
import numpy as np
from mindspore import nn


def create_dataset(batch_size):
    features = [[0.2] * 4 for _ in range(18)]
    labels = [[0.4] for _ in range(18)]
    return ds.NumpySlicesDataset((features, labels), column_names=["data", "label"], shuffle=False).batch(batch_size)


def main():
    epochs = 6
    dataset = create_dataset(6)
    steps_per_epoch = dataset.get_dataset_size()
    lr = np.array(nn.cosine_decay_lr(1e-6, 5e-5, epochs * steps_per_epoch, steps_per_epoch, epochs)).astype(np.float32)
    net = nn.Dense(4, 1)
    optimizer = nn.AdamWeightDecay(net.trainable_params(), learning_rate=lr, weight_decay=0.01, eps=1e-8)
    grad_fn = ms.value_and_grad(lambda x, y: nn.MSELoss()(net(x), y), None, optimizer.parameters)
    for _ in range(epochs):
        for x, y in dataset.create_tuple_iterator():
            _, grads = grad_fn(x, y)
            optimizer(grads)


if __name__ == "__main__":
    main()
