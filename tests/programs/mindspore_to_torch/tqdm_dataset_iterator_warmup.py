"""Warmup then cosine concatenated; the batches iterate through tqdm(dataset.create_tuple_iterator(), total=steps).

Expect: rewrite (SequentialLR of a LambdaLR ramp from 0 and CosineAnnealingLR; never the cosine part alone).
"""
import mindspore as ms
import mindspore.dataset as ds
from mindspore import nn
from tqdm import tqdm


def create_dataset(batch_size):
    features = [[0.5] * 4 for _ in range(24)]
    labels = [[1.0] for _ in range(24)]
    return ds.NumpySlicesDataset((features, labels), column_names=["data", "label"], shuffle=False).batch(batch_size)


def main():
    warmup_epochs, epochs = 2, 8
    dataset = create_dataset(6)
    steps = dataset.get_dataset_size()
    warmup = nn.warmup_lr(0.1, warmup_epochs * steps, steps, warmup_epochs)
    cosine = nn.cosine_decay_lr(1e-5, 0.1, (epochs - warmup_epochs) * steps, steps, epochs - warmup_epochs)
    lr = warmup + cosine
    net = nn.Dense(4, 1)
    optimizer = nn.AdamWeightDecay(net.trainable_params(), learning_rate=lr, weight_decay=0.05)
    grad_fn = ms.value_and_grad(lambda x, y: nn.MSELoss()(net(x), y), None, optimizer.parameters)
    for epoch in range(epochs):
        for x, y in tqdm(dataset.create_tuple_iterator(), total=steps):
            _, grads = grad_fn(x, y)
            optimizer(grads)


if __name__ == "__main__":
    main()
