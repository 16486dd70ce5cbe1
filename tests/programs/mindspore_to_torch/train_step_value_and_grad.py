"""The MindSpore 2.x tutorial shape: value_and_grad, a train_step() helper that calls optimizer(grads) per batch.

Expect: rewrite (scheduler.step() after the batch loop: step_per_epoch is the dataset's get_dataset_size()).
"""
import mindspore as ms
import mindspore.dataset as ds
from mindspore import nn


def create_dataset(batch_size):
    features = [[0.1 * index] * 4 for index in range(40)]
    labels = [[0.5 * index] for index in range(40)]
    return ds.NumpySlicesDataset((features, labels), column_names=["data", "label"], shuffle=False).batch(batch_size)


net = nn.Dense(4, 1)
loss_fn = nn.MSELoss()
epochs = 6
train_dataset = create_dataset(8)
steps_per_epoch = train_dataset.get_dataset_size()
lr = nn.cosine_decay_lr(min_lr=0.0, max_lr=0.1, total_step=epochs * steps_per_epoch,
                        step_per_epoch=steps_per_epoch, decay_epoch=epochs)
optimizer = nn.Momentum(net.trainable_params(), learning_rate=lr, momentum=0.9)


def forward_fn(data, label):
    logits = net(data)
    return loss_fn(logits, label), logits


grad_fn = ms.value_and_grad(forward_fn, None, optimizer.parameters, has_aux=True)


def train_step(data, label):
    (loss, _), grads = grad_fn(data, label)
    optimizer(grads)
    return loss


for epoch in range(epochs):
    net.set_train()
    for data, label in train_dataset.create_tuple_iterator():
        loss = train_step(data, label)
    print(f"epoch {epoch}: loss {loss}")
