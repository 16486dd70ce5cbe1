"""model_zoo style as above, but opt.get_lr() is logged after each epoch's batches: after the run's last step it
reads one entry past the list, where MindSpore raises.

Expect: refuse (MIG107: the read after the last step is past the list's end).
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
        for data in dataset.create_dict_iterator():
            loss = train_step(data["image"], data["label"])
        print(f"epoch {epoch + 1} loss {loss} lr {opt.get_lr()}")


if __name__ == "__main__":
    train_net()
