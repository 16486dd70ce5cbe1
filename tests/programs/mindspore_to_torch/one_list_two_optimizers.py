"""A GAN: one cosine list feeds the generator's and the discriminator's optimizers, both stepped every batch.

Expect: rewrite (one CosineAnnealingLR per optimizer, each stepped after the batch loop).
"""
import mindspore as ms
import mindspore.dataset as ds
from mindspore import nn


def create_dataset(batch_size):
    images = [[0.6] * 4 for _ in range(24)]
    noise = [[0.1] for _ in range(24)]
    return ds.NumpySlicesDataset((images, noise), column_names=["image", "noise"], shuffle=False).batch(batch_size)


def main():
    epochs = 5
    dataset = create_dataset(8)
    steps = dataset.get_dataset_size()
    generator = nn.Dense(1, 4)
    discriminator = nn.Dense(4, 1)
    lr = nn.cosine_decay_lr(0.0, 2e-4, epochs * steps, steps, epochs)
    optimizer_g = nn.Adam(generator.trainable_params(), learning_rate=lr, beta1=0.5)
    optimizer_d = nn.Adam(discriminator.trainable_params(), learning_rate=lr, beta1=0.5)
    loss_fn = nn.MSELoss()
    grad_d = ms.value_and_grad(lambda real, z: loss_fn(discriminator(real), discriminator(generator(z))), None,
                               optimizer_d.parameters)
    grad_g = ms.value_and_grad(lambda z: loss_fn(discriminator(generator(z)), z), None, optimizer_g.parameters)
    for epoch in range(epochs):
        for image, noise in dataset.create_tuple_iterator():
            _, grads = grad_d(image, noise)
            optimizer_d(grads)
            _, grads = grad_g(noise)
            optimizer_g(grads)


if __name__ == "__main__":
    main()
