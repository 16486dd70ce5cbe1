"""A TrainOneStepCell is passed to train_one_epoch(train_net, dataset), called once per epoch from main().

Expect: rewrite.
"""
import mindspore.dataset as ds
from mindspore import nn


def create_dataset(batch_size):
    features = [[0.45] * 4 for _ in range(40)]
    labels = [[0.15] for _ in range(40)]
    return ds.NumpySlicesDataset((features, labels), column_names=["data", "label"], shuffle=False).batch(batch_size)


def train_one_epoch(train_net, dataset):
    train_net.set_train()
    for data, label in dataset.create_tuple_iterator():
        train_net(data, label)


def main():
    epochs = 5
    dataset = create_dataset(10)
    steps = dataset.get_dataset_size()
    net = nn.Dense(4, 1)
    lr = nn.cosine_decay_lr(0.0, 0.1, epochs * steps, steps, epochs)
    optimizer = nn.SGD(net.trainable_params(), learning_rate=lr, momentum=0.9, nesterov=True)
    train_net = nn.TrainOneStepCell(nn.WithLossCell(net, nn.MSELoss()), optimizer)
    for epoch in range(epochs):
        train_one_epoch(train_net, dataset)


if __name__ == "__main__":
    main()
