"""model_zoo style: a config class, cosine_decay_lr wrapped in Tensor(..., mstype.float32), Momentum with weight
decay, TrainOneStepCell over a dict iterator, and opt.get_lr() logged at the start of each epoch.

Expect: rewrite (get_lr() becomes opt.param_groups[0]["lr"], the lr of the next step in both).
"""
import mindspore.dataset as ds
from mindspore import Tensor, nn
from mindspore.common import dtype as mstype


class config:
    lr = 0.05
    epoch_size = 4
    batch_size = 5
    momentum = 0.9
    weight_decay = 1e-4


def create_dataset(batch_size):
    images = [[0.02 * index] * 3 for index in range(25)]
    labels = [[0.1 * (index % 5)] for index in range(25)]
    dataset = ds.NumpySlicesDataset((images, labels), column_names=["image", "label"], shuffle=False)
    return dataset.batch(batch_size, drop_remainder=True)


def train_net():
    dataset = create_dataset(config.batch_size)
    step_size = dataset.get_dataset_size()
    net = nn.Dense(3, 1)
    lr = nn.cosine_decay_lr(0.0, config.lr, config.epoch_size * step_size, step_size, config.epoch_size)
    lr = Tensor(lr, mstype.float32)
    opt = nn.Momentum(net.trainable_params(), learning_rate=lr, momentum=config.momentum,
                      weight_decay=config.weight_decay)
    train_step = nn.TrainOneStepCell(nn.WithLossCell(net, nn.MSELoss()), opt)
    train_step.set_train()
    for epoch in range(config.epoch_size):
        print("lr at epoch start", opt.get_lr())
        for data in dataset.create_dict_iterator():
            loss = train_step(data["image"], data["label"])
        print(f"epoch {epoch + 1} loss {loss}")


if __name__ == "__main__":
    train_net()
