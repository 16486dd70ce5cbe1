"""HF accelerate "no_trainer" style: update steps per epoch with gradient accumulation (the last batch of an epoch
always steps), T_max = max_train_steps, and a completed_steps budget that breaks the loop.

Expect: rewrite (the list read at the optimizer's own step count; the periodic form, since the accumulation can step
more often than max_train_steps counts).
"""
import argparse
import math

import torch
from torch.utils.data import DataLoader, TensorDataset


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--num_train_epochs", type=int, default=3)
    parser.add_argument("--gradient_accumulation_steps", type=int, default=2)
    parser.add_argument("--learning_rate", type=float, default=5e-5)
    parser.add_argument("--per_device_train_batch_size", type=int, default=4)
    return parser.parse_args()


def main():
    args = parse_args()
    model = torch.nn.Linear(8, 2)
    dataset = TensorDataset(torch.randn(40, 8), torch.randint(0, 2, (40,)))
    train_dataloader = DataLoader(dataset, batch_size=args.per_device_train_batch_size, shuffle=True)
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.learning_rate)
    num_update_steps_per_epoch = math.ceil(len(train_dataloader) / args.gradient_accumulation_steps)
    max_train_steps = args.num_train_epochs * num_update_steps_per_epoch
    lr_scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=max_train_steps)
    completed_steps = 0
    for epoch in range(args.num_train_epochs):
        model.train()
        for step, (inputs, labels) in enumerate(train_dataloader):
            loss = torch.nn.functional.cross_entropy(model(inputs), labels)
            loss = loss / args.gradient_accumulation_steps
            loss.backward()
            if step % args.gradient_accumulation_steps == 0 or step == len(train_dataloader) - 1:
                optimizer.step()
                lr_scheduler.step()
                optimizer.zero_grad()
                completed_steps += 1
            if completed_steps >= max_train_steps:
                break


if __name__ == "__main__":
    main()
