"""model_zoo shape: WithLossCell + TrainOneStepCell bound to a name, called once per batch.

Expect: rewrite (the optimizer steps inside the cell once per call).
"""
import mindspore.dataset as ds
from mindspore import nn


def create_dataset(batch_size):
    features = [[0.01 * index] * 4 for index in range(30)]
    labels = [[1.0] for _ in range(30)]
    return ds.NumpySlicesDataset((features, labels), column_names=["data", "label"], shuffle=False).batch(batch_size)


def main():
    epochs = 8
    dataset = create_dataset(6)
    step_size = dataset.get_dataset_size()
    net = nn.Dense(4, 1)
    lr = nn.cosine_decay_lr(min_lr=0.0, max_lr=0.02, total_step=epochs * step_size, step_per_epoch=step_size,
                            decay_epoch=epochs)
    opt = nn.Momentum(net.trainable_params(), lr, 0.9)
    net_with_loss = nn.WithLossCell(net, nn.MSELoss())
    train_net = nn.TrainOneStepCell(net_with_loss, opt)
    train_net.set_train()
    for epoch in range(epochs):
        for data, label in dataset.create_tuple_iterator():
            loss = train_net(data, label)
        print("epoch", epoch, "loss", loss)


if __name__ == "__main__":
    main()
