"""Training for a number of epochs or a wall-clock budget, timed, with a progress bar.

:func:`train` is ``fit`` with ``verbose=0``, an :class:`EpochProgressBar` and a
:class:`TimeLimit`, in one call, either for fixed epochs (the run repeats) or for a budget of
seconds (to compare methods at equal cost): what chapter 9's race and the benchmarks do. The
chapters spell the same ``fit`` out, so that a reader sees Keras's own call.
"""

from __future__ import annotations

from dataclasses import dataclass

import keras

from aegan_tf._validation import check_positive_int
from aegan_tf.callbacks import EpochProgressBar, TimeLimit

MAX_EPOCHS = 10_000  # the epoch count handed to fit when only a budget in seconds ends the run


@dataclass
class TrainingRun:
    """What :func:`train` returns.

    Attributes:
        history: ``fit``'s :class:`keras.callbacks.History` (``history.history`` holds the
            logs, one entry per epoch).
        seconds: training seconds, epochs only (callbacks listed after the clock, such as
            quality measurements, are not counted), plus ``already_spent``.
        epochs: epochs run (the last one may be partial when a budget stopped it).
        batches: training batches run (steps of ``train_step``), all epochs.
    """

    history: keras.callbacks.History
    seconds: float
    epochs: int
    batches: int


def train(
    model: keras.Model,
    dataset,
    *,
    epochs: int | None = None,
    seconds: float | None = None,
    already_spent: float = 0.0,
    within_epoch: bool = True,
    name: str = "training",
    callbacks: list[keras.callbacks.Callback] | tuple = (),
    **fit_kwargs,
) -> TrainingRun:
    """``model.fit(dataset)`` for ``epochs``, or until ``seconds`` of training, or both.

    With ``seconds``, a :class:`TimeLimit` stops the run once ``already_spent`` plus the
    training time reaches the budget: after the batch that reaches it
    (``within_epoch=True``, the default) or at the end of that epoch. ``callbacks`` run
    after the clock, so their work is not counted. Extra keyword arguments go to ``fit``
    (``validation_data``, ``initial_epoch``, ...). A progress bar named ``name`` shows the
    epochs and ends with one line of the final logs.
    """
    if epochs is None and seconds is None:
        raise ValueError("give epochs, seconds or both: train needs to know when to stop.")
    if epochs is not None:
        epochs = check_positive_int(epochs, "epochs")
    if "verbose" in fit_kwargs or "epochs" in fit_kwargs or "callbacks" in fit_kwargs:
        raise TypeError(
            "train sets fit's verbose, epochs and callbacks itself; pass epochs= and "
            "callbacks= to train."
        )
    clock = TimeLimit(
        float("inf") if seconds is None else seconds, already_spent, within_epoch=within_epoch
    )
    history = model.fit(
        dataset,
        epochs=MAX_EPOCHS if epochs is None else epochs,
        verbose=0,
        callbacks=[clock, *callbacks, EpochProgressBar(name, budget=clock)],
        **fit_kwargs,
    )
    return TrainingRun(history, clock.seconds_used, len(history.epoch), clock.batches)
