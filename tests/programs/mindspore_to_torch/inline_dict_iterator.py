"""Everything in main(): enumerate(dataset.create_dict_iterator()), grads applied inline with optimizer(grads).

Expect: rewrite.
"""
import mindspore
import mindspore.dataset as ds
from mindspore import nn


def build_dataset(batch_size):
    images = [[float(index % 7)] * 4 for index in range(48)]
    targets = [[float(index % 3)] for index in range(48)]
    dataset = ds.NumpySlicesDataset((images, targets), column_names=["image", "label"], shuffle=False)
    return dataset.batch(batch_size, drop_remainder=True)


def main():
    epoch_size = 5
    dataset = build_dataset(16)
    batches = dataset.get_dataset_size()
    network = nn.Dense(4, 1)
    criterion = nn.MSELoss()
    lr = mindspore.nn.cosine_decay_lr(0.0001, 0.05, epoch_size * batches, batches, epoch_size)
    optimizer = nn.SGD(network.trainable_params(), learning_rate=lr, weight_decay=1e-4)

    def forward(image, label):
        return criterion(network(image), label)

    grad_fn = mindspore.value_and_grad(forward, None, optimizer.parameters)
    for epoch in range(epoch_size):
        for step, batch in enumerate(dataset.create_dict_iterator()):
            loss, grads = grad_fn(batch["image"], batch["label"])
            optimizer(grads)
            if step % 2 == 0:
                print(f"epoch {epoch} step {step} loss {loss}")


if __name__ == "__main__":
    main()
