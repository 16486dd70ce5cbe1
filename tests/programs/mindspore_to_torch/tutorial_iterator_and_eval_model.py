"""The MindSpore tutorials' classification script: one dataset iterator made before the epochs, a train_step()
with value_and_grad, and a Model built with the optimizer that only evaluates.

Expect: rewrite (a pass over the iterator is one epoch of the dataset; Model.eval never steps the optimizer).
"""
import mindspore as ms
import mindspore.dataset as ds
from mindspore import nn


def create_dataset(size, batch_size):
    features = [[0.05 * index] * 4 for index in range(size)]
    labels = [[0.25 * index] for index in range(size)]
    return ds.NumpySlicesDataset((features, labels), column_names=["data", "label"], shuffle=False).batch(batch_size)


num_epochs = 5
dataset_train = create_dataset(48, 8)
dataset_val = create_dataset(16, 8)
step_size_train = dataset_train.get_dataset_size()

network = nn.Dense(4, 1)
lr = nn.cosine_decay_lr(min_lr=0.0001, max_lr=0.0005, total_step=step_size_train * num_epochs,
                        step_per_epoch=step_size_train, decay_epoch=num_epochs)
opt = nn.Adam(params=network.trainable_params(), learning_rate=lr)
loss_fn = nn.MSELoss()


def forward_fn(inputs, targets):
    logits = network(inputs)
    return loss_fn(logits, targets)


grad_fn = ms.value_and_grad(forward_fn, None, opt.parameters)


def train_step(inputs, targets):
    loss, grads = grad_fn(inputs, targets)
    opt(grads)
    return loss


model = ms.Model(network, loss_fn, opt, metrics={"loss"})
data_loader_train = dataset_train.create_tuple_iterator(num_epochs=num_epochs)

for epoch in range(num_epochs):
    losses = []
    network.set_train()
    for i, (images, labels) in enumerate(data_loader_train):
        loss = train_step(images, labels)
        if i % 100 == 0 or i == step_size_train - 1:
            print(f"Epoch: [{epoch + 1}/{num_epochs}], Steps: [{i + 1}/{step_size_train}], Train Loss: {loss}")
        losses.append(loss)
    metrics = model.eval(dataset_val)
    print(f"epoch {epoch + 1} eval {metrics}")
