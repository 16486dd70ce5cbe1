"""A MindSpore Trainer: the list is built in __init__, train_epoch() runs the batches, fit() loops over epochs.

Expect: rewrite.
"""
import mindspore as ms
import mindspore.dataset as ds
from mindspore import nn


def create_dataset(batch_size):
    features = [[0.5] * 4 for _ in range(24)]
    labels = [[1.0] for _ in range(24)]
    return ds.NumpySlicesDataset((features, labels), column_names=["data", "label"], shuffle=False).batch(batch_size)


class Trainer:
    def __init__(self, net, dataset, epochs=5, lr=0.05):
        self.net = net
        self.dataset = dataset
        self.epochs = epochs
        steps = dataset.get_dataset_size()
        lr_list = nn.cosine_decay_lr(0.0, lr, epochs * steps, steps, epochs)
        self.optimizer = nn.Momentum(net.trainable_params(), learning_rate=lr_list, momentum=0.9)
        self.grad_fn = ms.value_and_grad(self.forward, None, self.optimizer.parameters)

    def forward(self, x, y):
        return nn.MSELoss()(self.net(x), y)

    def train_epoch(self):
        for x, y in self.dataset.create_tuple_iterator():
            _, grads = self.grad_fn(x, y)
            self.optimizer(grads)

    def fit(self):
        for epoch in range(self.epochs):
            self.train_epoch()


if __name__ == "__main__":
    Trainer(nn.Dense(4, 1), create_dataset(6)).fit()
