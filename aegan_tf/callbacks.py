"""What happens around training: Keras callbacks."""

from __future__ import annotations

import sys

import keras
from tqdm.std import tqdm


class EpochProgressBar(keras.callbacks.Callback):
    """One text progress bar over the epochs of ``fit``, with the latest metrics beside it.

    Use with ``fit(..., verbose=0)``: it replaces Keras's per-batch log, which fills a
    notebook with a line per epoch, by one line that updates in place (in a terminal,
    Jupyter and Colab alike) and ends with the run's wall time.
    """

    def __init__(self, description: str = "training") -> None:
        super().__init__()
        self.description = description
        self._bar: tqdm | None = None

    def on_train_begin(self, logs=None) -> None:
        self._bar = tqdm(
            total=self.params.get("epochs"), desc=self.description, unit="epoch",
            file=sys.stdout, dynamic_ncols=False, ncols=100,
        )  # fmt: skip

    def on_epoch_end(self, epoch: int, logs=None) -> None:
        self._bar.set_postfix({k: f"{float(v):.4f}" for k, v in (logs or {}).items()})
        self._bar.update(1)

    def on_train_end(self, logs=None) -> None:
        self._bar.close()
