"""A step budget: the list is per step (step_per_epoch=1), the dataset is re-iterated while step < total_steps.

Expect: rewrite (scheduler.step() after every optimizer call; T_max=total_steps).
"""
import mindspore as ms
import mindspore.dataset as ds
from mindspore import nn


def create_dataset(batch_size):
    features = [[0.8] * 4 for _ in range(20)]
    labels = [[0.6] for _ in range(20)]
    return ds.NumpySlicesDataset((features, labels), column_names=["data", "label"], shuffle=False).batch(batch_size)


def main():
    total_steps = 23
    dataset = create_dataset(5)
    lr = nn.cosine_decay_lr(min_lr=1e-5, max_lr=3e-4, total_step=total_steps, step_per_epoch=1,
                            decay_epoch=total_steps)
    net = nn.Dense(4, 1)
    optimizer = nn.AdamWeightDecay(net.trainable_params(), learning_rate=lr, weight_decay=0.1)
    grad_fn = ms.value_and_grad(lambda x, y: nn.MSELoss()(net(x), y), None, optimizer.parameters)
    step = 0
    while step < total_steps:
        for x, y in dataset.create_tuple_iterator():
            if step >= total_steps:
                break
            _, grads = grad_fn(x, y)
            optimizer(grads)
            step += 1


if __name__ == "__main__":
    main()
