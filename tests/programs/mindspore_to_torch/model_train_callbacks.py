"""High-level API: Model(net, loss_fn, optimizer).train(epochs, dataset) with callbacks; the loop is not visible.

Expect: rewrite with a warning (Model.train steps the optimizer out of sight: the diagnostic says where to call
scheduler.step(); the fix is unsafe, so refused by default).
"""
import mindspore.dataset as ds
from mindspore import Model, nn
from mindspore.train.callback import LossMonitor, TimeMonitor


def create_dataset(batch_size):
    features = [[0.2 * index] * 4 for index in range(36)]
    labels = [[0.0] for _ in range(36)]
    return ds.NumpySlicesDataset((features, labels), column_names=["data", "label"], shuffle=False).batch(batch_size)


if __name__ == "__main__":
    epoch_size = 4
    train_ds = create_dataset(9)
    step_size = train_ds.get_dataset_size()
    net = nn.Dense(4, 1)
    lr = nn.cosine_decay_lr(0.0, 0.1, step_size * epoch_size, step_size, epoch_size)
    opt = nn.Momentum(net.trainable_params(), learning_rate=lr, momentum=0.9, weight_decay=1e-4)
    model = Model(net, loss_fn=nn.MSELoss(), optimizer=opt, metrics={"loss"})
    model.train(epoch_size, train_ds, callbacks=[TimeMonitor(step_size), LossMonitor()], dataset_sink_mode=False)
