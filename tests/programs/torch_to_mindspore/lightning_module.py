"""A LightningModule: configure_optimizers returns the optimizer and a CosineAnnealingLR stepped per epoch by the Trainer.

Expect: rewrite with a warning (unsafe fix, MIG115: the run length is the Trainer's, and the Trainer must be ported).
"""
import lightning as L
import torch
from torch.utils.data import DataLoader, TensorDataset


class LitModel(L.LightningModule):
    def __init__(self, learning_rate=0.01, weight_decay=1e-4):
        super().__init__()
        self.save_hyperparameters()
        self.model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 1))

    def training_step(self, batch, batch_idx):
        inputs, targets = batch
        loss = torch.nn.functional.mse_loss(self.model(inputs), targets)
        self.log("loss", loss, prog_bar=True)
        return loss

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.parameters(), lr=self.hparams.learning_rate, momentum=0.9,
                                    weight_decay=self.hparams.weight_decay)
        scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=self.trainer.max_epochs)
        return {"optimizer": optimizer, "lr_scheduler": {"scheduler": scheduler, "interval": "epoch"}}


def main():
    loader = DataLoader(TensorDataset(torch.randn(14, 4), torch.randn(14, 1)), batch_size=4, shuffle=True)
    trainer = L.Trainer(max_epochs=5, accelerator="cpu")
    trainer.fit(LitModel(), loader)


if __name__ == "__main__":
    main()
