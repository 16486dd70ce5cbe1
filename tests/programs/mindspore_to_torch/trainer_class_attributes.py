"""A Trainer class: the list and optimizer are attributes built in __init__, the optimizer stepped in a method.

Expect: rewrite.
"""
import mindspore as ms
import mindspore.dataset as ds
from mindspore import nn


def create_dataset(batch_size):
    features = [[0.35] * 4 for _ in range(24)]
    labels = [[0.25] for _ in range(24)]
    return ds.NumpySlicesDataset((features, labels), column_names=["data", "label"], shuffle=False).batch(batch_size)


class Trainer:
    def __init__(self, epochs, batch_size):
        self.epochs = epochs
        self.dataset = create_dataset(batch_size)
        self.net = nn.Dense(4, 1)
        steps = self.dataset.get_dataset_size()
        self.lr = nn.cosine_decay_lr(0.0, 0.05, epochs * steps, steps, epochs)
        self.optimizer = nn.Momentum(self.net.trainable_params(), learning_rate=self.lr, momentum=0.9)
        self.grad_fn = ms.value_and_grad(self.forward, None, self.optimizer.parameters)

    def forward(self, data, label):
        return nn.MSELoss()(self.net(data), label)

    def train_epoch(self):
        for data, label in self.dataset.create_tuple_iterator():
            _, grads = self.grad_fn(data, label)
            self.optimizer(grads)

    def fit(self):
        for _ in range(self.epochs):
            self.train_epoch()


if __name__ == "__main__":
    Trainer(epochs=5, batch_size=6).fit()
