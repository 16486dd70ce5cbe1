"""Module-level script: a config dict names the schedule (step decay by default, or cosine), an unknown name
raises, and a value_and_grad step function steps the optimizer per batch.

Expect: rewrite (the optimizer moves before the `if`; the step branch becomes a StepLR, the cosine one a
CosineAnnealingLR).
"""
import mindspore as ms
import mindspore.dataset as ds
from mindspore import nn

config = {"lr": 0.1, "epochs": 6, "decay_epochs": 2, "schedule": "step"}

features = [[0.1] * 4 for _ in range(24)]
labels = [[0.3] for _ in range(24)]
train_ds = ds.NumpySlicesDataset((features, labels), column_names=["x", "y"], shuffle=False).batch(6)
step_size = train_ds.get_dataset_size()
net = nn.Dense(4, 1)
loss_fn = nn.MSELoss()

if config["schedule"] == "cosine":
    lr = nn.cosine_decay_lr(0.0, config["lr"], config["epochs"] * step_size, step_size, config["epochs"])
elif config["schedule"] == "step":
    lr = nn.exponential_decay_lr(config["lr"], 0.5, config["epochs"] * step_size, step_size,
                                 config["decay_epochs"], is_stair=True)
else:
    raise ValueError(f"unknown schedule {config['schedule']}")
opt = nn.SGD(net.trainable_params(), learning_rate=lr)
grad_fn = ms.value_and_grad(lambda x, y: loss_fn(net(x), y), None, opt.parameters)


def train_step(x, y):
    loss, grads = grad_fn(x, y)
    opt(grads)
    return loss


for epoch in range(config["epochs"]):
    for x, y in train_ds.create_tuple_iterator():
        train_step(x, y)
