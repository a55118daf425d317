"""What happens around training: Keras callbacks."""

from __future__ import annotations

import json
import math
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf
from PIL import Image
from tqdm.std import tqdm

from aegan_tf._validation import check_positive_int


def optimizers_of(model: keras.Model) -> list:
    """A model's optimizers: those its ``OPTIMIZERS`` names (a game's), or ``optimizer``."""
    names = getattr(model, "OPTIMIZERS", None) or ["optimizer"]
    return [opt for opt in (getattr(model, name, None) for name in names) if opt is not None]


def _finite_sum_check(variables: list):
    """A compiled function of no argument: whether the sum of every value of ``variables`` is
    finite. A NaN or an infinity anywhere makes it non-finite; a finite sum proves every value
    finite. (A sum can also overflow: callers confirm a non-finite one value by value.)"""

    @tf.function
    def check() -> tf.Tensor:
        sums = [tf.reduce_sum(tf.cast(v, tf.float32)) for v in variables]
        return tf.math.is_finite(tf.add_n(sums))

    return check


def _first_non_finite(variables: list):
    """The first of ``variables`` holding a NaN or an infinity, or ``None``."""
    for variable in variables:
        if not np.isfinite(keras.ops.convert_to_numpy(variable)).all():
            return variable
    return None


class StopOnNonFiniteLoss(keras.callbacks.Callback):
    """Stop ``fit`` at the first step that leaves a non-finite value (NaN or infinity) in a
    logged loss, a weight or an optimizer's state, and put the model back as it was when that
    epoch began.

    Keras's ``TerminateOnNaN`` for models that log several losses (``d_loss``, ``g_loss``,
    ``kl``, ...), which also watches the weights and undoes the damage. Watching the losses is
    not enough: on some CPUs TensorFlow's fused graph kernels turn a NaN input into finite
    logits, so the losses stay finite while the weights go NaN. At the start of each epoch it
    keeps a copy of the model's variables (weights, normalisation statistics, random
    generators) and of its optimizers' state (moments, step counts); after every step it checks
    the logs and every floating-point variable (one small compiled reduction, outside the
    training step, so under XLA too); a non-finite step restores the copy before training
    stops, so no weight is left NaN and a ``ModelCheckpoint`` that saves at the end of that
    epoch saves the same weights as at the end of the one before. Every model of this package
    adds one to ``fit``. ``stopped`` is ``None``, or ``(epoch, step, name, value)`` (1-based)
    of the step that stopped training; ``name`` is a log's or a variable's.
    """

    def __init__(self) -> None:
        super().__init__()
        self.stopped: tuple[int, int, str, float] | None = None
        self._epoch = 0
        self._step = 0
        self._saved: list[np.ndarray] = []
        self._watched: list = []
        self._check = None

    def _state(self) -> list:
        variables = list(self.model.variables)
        for optimizer in optimizers_of(self.model):
            variables += list(optimizer.variables)
        return variables

    def on_train_begin(self, logs=None) -> None:
        self.stopped, self._saved = None, []
        for optimizer in optimizers_of(self.model):
            if not optimizer.built:  # as BackupAndRestore does: its state exists from now on
                optimizer.build(self.model.trainable_variables)
        self._watched = [v for v in self._state() if tf.as_dtype(v.dtype).is_floating]
        self._check = _finite_sum_check(self._watched) if self._watched else None

    def on_epoch_begin(self, epoch, logs=None) -> None:
        self._epoch = epoch
        self._saved = [np.array(keras.ops.convert_to_numpy(v)) for v in self._state()]

    def on_train_batch_begin(self, batch, logs=None) -> None:
        self._step = batch + 1

    def on_train_batch_end(self, batch, logs=None) -> None:
        self._step = batch + 1
        for name, value in (logs or {}).items():
            value = float(value)
            if not math.isfinite(value):
                self._stop(name, value, f"{name} is {value}")
                return
        if self._check is None or bool(self._check()):
            return
        variable = _first_non_finite(self._watched)  # (None: the sum overflowed, all finite)
        if variable is not None:
            values = keras.ops.convert_to_numpy(variable)
            value = math.nan if np.isnan(values).any() else math.inf
            name = getattr(variable, "path", variable.name)
            self._stop(name, value, f"the variable {name} is {value}")

    def restore(self) -> None:
        """Put the model and its optimizers back as they were at the start of the epoch."""
        for variable, saved in zip(self._state(), self._saved, strict=True):
            variable.assign(saved)

    @property
    def began(self) -> bool:
        """Whether an epoch of the current ``fit`` has begun (its start is kept)."""
        return bool(self._saved)

    def where(self) -> str:
        """``"epoch E, step S"`` of the step now running (1-based)."""
        return f"epoch {self._epoch + 1}, step {self._step}"

    def _stop(self, name: str, value: float, what: str) -> None:
        self.stopped = (self._epoch + 1, self._step, name, value)
        self.restore()
        self.model.stop_training = True
        print(
            f"{type(self.model).__name__}: {what} at {self.where()}; training stopped, and the "
            f"model and its optimizer state are back as they were at the start of epoch "
            f"{self._epoch + 1}."
        )


class EpochProgressBar(keras.callbacks.Callback):
    """A progress bar over the epochs of ``fit``, then one line with the time and final metrics.

    Use with ``fit(..., verbose=0)``. The bar updates in place on stderr while training runs
    (terminal, Jupyter, Colab); when training ends, one line on stdout stays as the record,
    for example ``dense autoencoder: 30 epochs in 7.2 s; loss 0.0077, val_loss 0.0111``.
    """

    def __init__(self, description: str = "training", budget: TimeLimit | None = None) -> None:
        super().__init__()
        self.description = description
        self.budget = budget  # a run limited by seconds: the bar counts them, not the epochs
        self._bar: tqdm | None = None
        self._start = 0.0
        self._epochs_done = 0
        self._last_logs: dict = {}

    def _by_seconds(self) -> bool:
        return self.budget is not None and math.isfinite(self.budget.seconds)

    def on_train_begin(self, logs=None) -> None:
        self._start = time.perf_counter()
        self._epochs_done = 0
        total, unit = self.params.get("epochs"), "epoch"
        if self._by_seconds():
            total, unit = round(self.budget.seconds - self.budget.seconds_used, 1), "s"
        self._bar = tqdm(
            total=total, desc=self.description, unit=unit, file=sys.stderr, ncols=100,
            bar_format="{l_bar}{bar}| {n:.0f}/{total:.0f} s [{elapsed}<{remaining}{postfix}]"
            if unit == "s" else None,
        )  # fmt: skip
        self._seconds_shown = 0.0

    def on_train_batch_end(self, batch: int, logs=None) -> None:
        if self._by_seconds():
            spent = min(time.perf_counter() - self._start, self._bar.total)
            self._bar.update(spent - self._seconds_shown)
            self._seconds_shown = spent

    def on_epoch_end(self, epoch: int, logs=None) -> None:
        self._last_logs = {k: float(v) for k, v in (logs or {}).items()}
        self._epochs_done += 1
        self._bar.set_postfix({k: f"{v:.4f}" for k, v in self._last_logs.items()}, refresh=False)
        if not self._by_seconds():
            self._bar.update(1)

    def on_train_end(self, logs=None) -> None:
        self._bar.close()
        seconds = time.perf_counter() - self._start
        metrics = ", ".join(f"{k} {v:.4f}" for k, v in self._last_logs.items())
        print(f"{self.description}: {self._epochs_done} epochs in {seconds:.1f} s; {metrics}")


class TimeLimit(keras.callbacks.Callback):
    """Stop ``fit`` when training time reaches ``seconds``.

    Training time is the sum of the epochs' durations from this callback's
    ``on_epoch_begin`` to its ``on_epoch_end``, plus ``already_spent`` (for example the
    seconds an autoencoder took to pretrain, to compare two methods at one budget). By
    default the check runs at the end of each epoch, so the last epoch completes and may
    overshoot; with ``within_epoch=True`` it also runs after every batch, and ``fit`` stops
    mid-epoch as soon as the budget is spent (the partial epoch still ends normally, so
    epoch-end callbacks run). List it before callbacks that do slow work at the end of an
    epoch (such as :class:`QualityMetrics`), so that their work is not counted. After ``fit``,
    :attr:`seconds_used` holds the total, :attr:`batches` the training batches run and
    :attr:`stopped_at_epoch` the last epoch (or ``None`` when ``fit`` ran out of epochs first).
    """

    def __init__(
        self,
        seconds: float,
        already_spent: float = 0.0,
        within_epoch: bool = False,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        super().__init__()
        for name, value in (("seconds", seconds), ("already_spent", already_spent)):
            if (
                isinstance(value, bool)
                or not isinstance(value, (int, float))
                or not value >= 0  # (NaN too: a budget of NaN seconds would never stop)
                or (name == "already_spent" and not math.isfinite(value))
            ):
                raise ValueError(f"{name} must be a number >= 0, got {value!r}.")
        self.clock = clock  # seconds, as time.perf_counter (a test gives its own)
        if not isinstance(within_epoch, bool):
            raise TypeError(f"within_epoch must be True or False, got {within_epoch!r}.")
        self.seconds = float(seconds)
        self.seconds_used = float(already_spent)
        self.within_epoch = within_epoch
        self.stopped_at_epoch: int | None = None
        self.batches = 0
        self._epoch_start = 0.0

    def on_epoch_begin(self, epoch: int, logs=None) -> None:
        self._epoch_start = self.clock()

    def on_train_batch_end(self, batch: int, logs=None) -> None:
        self.batches += 1
        if self.within_epoch and (
            self.seconds_used + self.clock() - self._epoch_start >= self.seconds
        ):
            self.model.stop_training = True

    def on_epoch_end(self, epoch: int, logs=None) -> None:
        self.seconds_used += self.clock() - self._epoch_start
        if self.seconds_used >= self.seconds:
            self.stopped_at_epoch = epoch
            self.model.stop_training = True


class SampleGrid(keras.callbacks.Callback):
    """The model's samples for one fixed seed, ``model.generate(n, seed)``, after every epoch.

    A fixed seed means fixed noise, which makes the grids comparable: the same cell shows
    the same ``z`` as the generator learns. Each grid is saved as a PNG frame in
    ``frames_dir`` (if given; the paths are in :attr:`frames`, ready for
    :func:`frames_to_gif`) and shown in a notebook every ``show_every`` epochs (if given). A
    frame is also made before the first epoch. Works with any model that has ``generate``.
    In a run that ``BackupAndRestore`` resumes, the numbering goes on from the restored epoch.
    """

    def __init__(
        self,
        n: int = 36,
        ncols: int = 6,
        seed: int = 0,
        value_range: tuple[float, float] = (-1.0, 1.0),
        frames_dir: str | os.PathLike | None = None,
        show_every: int | None = None,
    ) -> None:
        super().__init__()
        self.n = check_positive_int(n, "n")
        self.ncols = check_positive_int(ncols, "ncols")
        self.seed = seed
        self.value_range = value_range
        self.frames_dir = Path(frames_dir) if frames_dir is not None else None
        self.show_every = (
            None if show_every is None else check_positive_int(show_every, "show_every")
        )
        self.frames: list[Path] = []
        self.epochs_seen = 0  # across fit() calls, so a resumed run continues the numbering

    def on_train_begin(self, logs=None) -> None:
        expected = getattr(self.model, "expected_examples", None)
        drawn = expected()[0] if expected else None  # the range the model draws in, if known
        if drawn is not None and tuple(map(float, self.value_range)) != drawn:
            raise ValueError(
                f"SampleGrid(value_range={self.value_range}) but {type(self.model).__name__} "
                f"draws images in {drawn}: its frames would be clipped. Pass "
                f"value_range={drawn}."
            )
        if self.frames_dir is not None:
            self.frames_dir.mkdir(parents=True, exist_ok=True)

    def on_epoch_begin(self, epoch: int, logs=None) -> None:
        if self.epochs_seen == 0:
            if epoch == 0:
                self._render(0)
            else:  # a run resumed by BackupAndRestore: number on from where it was
                self.epochs_seen = epoch

    def on_epoch_end(self, epoch: int, logs=None) -> None:
        self.epochs_seen += 1
        self._render(self.epochs_seen)

    def _render(self, number: int):
        images = self.model.generate(self.n, seed=self.seed)
        from aegan_tf.viz import image_grid  # (matplotlib: only for the callbacks that draw)

        fig = image_grid(images, self.ncols, self.value_range, title=f"epoch {number}")
        if self.frames_dir is not None:
            path = self.frames_dir / f"epoch_{number:04d}.png"
            fig.savefig(path, dpi=80)
            self.frames.append(path)
        if self.show_every and number > 0 and number % self.show_every == 0:
            _display(fig)


def _display(fig) -> None:
    try:
        from IPython.display import display
    except ImportError:  # not in IPython: nothing to show on
        return
    display(fig)


def frames_to_gif(
    frames: list[str | os.PathLike], path: str | os.PathLike, fps: float = 4.0, hold_last: float = 4
) -> Path:
    """Write the PNG ``frames`` (all the same size) as an animated GIF that loops forever.

    Each frame shows for ``1 / fps`` seconds, the last one ``1 + hold_last`` times longer so
    the final result stays on screen a moment.
    """
    if not frames:
        raise ValueError("frames is empty: was the SampleGrid given a frames_dir?")
    if fps <= 0 or hold_last < 0:
        raise ValueError(f"need fps > 0 and hold_last >= 0, got {fps} and {hold_last}.")
    images = [Image.open(f).convert("RGB") for f in frames]
    sizes = {image.size[::-1] for image in images}  # (height, width)
    if len(sizes) != 1:
        raise ValueError(f"frames must all have one size, got {sorted(sizes)}.")
    frame_ms = 1000 / fps
    durations = [frame_ms] * (len(images) - 1) + [frame_ms * (1 + hold_last)]
    path = Path(path)
    images[0].save(path, save_all=True, append_images=images[1:], duration=durations, loop=0)
    return path


class PointCloudSnapshots(keras.callbacks.Callback):
    """For a model of 2-D points: its samples, and ``D`` over a grid, every ``every`` epochs.

    Each snapshot is a dict with ``epoch``, ``fake`` (``(n, 2)``, ``model.generate(n, seed)``)
    and ``d_grid``: ``(resolution, resolution)``, ``model.discriminate`` (see
    :meth:`aegan_tf.models.GAN.discriminate`) on a grid over ``extent``, row 0 at the bottom,
    or ``None`` for a model without a discriminator. For
    :func:`aegan_tf.viz.point_cloud_snapshots`. The first is taken before training.
    """

    def __init__(
        self,
        every: int = 1,
        n: int = 1000,
        extent: tuple[float, float] = (-3.0, 3.0),
        resolution: int = 80,
        seed: int = 0,
    ) -> None:
        super().__init__()
        self.every = check_positive_int(every, "every")
        self.n = check_positive_int(n, "n")
        self.extent = extent
        self.resolution = check_positive_int(resolution, "resolution")
        self.seed = seed
        self.snapshots: list[dict] = []
        self.epochs_seen = 0
        axis = np.linspace(extent[0], extent[1], self.resolution, dtype=np.float32)
        xx, yy = np.meshgrid(axis, axis)  # yy increases with the row: row 0 at the bottom
        self.grid = np.stack([xx.ravel(), yy.ravel()], axis=1)  # (resolution**2, 2)

    def on_train_begin(self, logs=None) -> None:
        if self.epochs_seen == 0:
            self._take()

    def on_epoch_end(self, epoch: int, logs=None) -> None:
        self.epochs_seen += 1
        if self.epochs_seen % self.every == 0:
            self._take()

    def _take(self) -> None:
        d_grid = None
        if hasattr(self.model, "discriminate"):
            d_grid = self.model.discriminate(self.grid).reshape(self.resolution, self.resolution)
        fake = self.model.generate(self.n, seed=self.seed)
        self.snapshots.append({"epoch": self.epochs_seen, "fake": fake, "d_grid": d_grid})


class QualityMetrics(keras.callbacks.Callback):
    """FID and KID of ``model.generate(n, seed)``, every ``every`` epochs, into ``History``
    (counted on from the restored epoch in a run that ``BackupAndRestore`` resumes).

    The real set's features are computed once. Each measured epoch adds ``fid``, ``kid``
    (its mean over subsets) and ``metric_seconds`` (the time the measuring took) to the
    epoch's logs; other epochs log NaN, so that every ``history.history`` list has one
    entry per epoch. ``wall_seconds`` (training time since the first ``fit``, measuring
    excluded, plus ``already_spent``) is logged every epoch, to plot quality against time.
    With ``every_seconds`` instead of ``every``, an epoch is measured when at least that
    many training seconds have passed since the last measurement (the first epoch is
    always measured): for models whose epochs last from a second to a minute. ``sampler``,
    a function ``(n, seed) -> images``, replaces ``model.generate`` (for example to measure
    an autoencoder through a density fitted to its codes).
    """

    def __init__(
        self,
        real_images: np.ndarray,
        every: int = 1,
        n: int = 1000,
        seed: int = 0,
        value_range: tuple[float, float] = (-1.0, 1.0),
        every_seconds: float | None = None,
        already_spent: float = 0.0,
        sampler: Callable[[int, int], np.ndarray] | None = None,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        super().__init__()
        self.clock = clock  # training seconds, as time.perf_counter (a test gives its own)
        self.every = check_positive_int(every, "every")
        if every_seconds is not None and not (
            isinstance(every_seconds, (int, float)) and every_seconds > 0
        ):
            raise ValueError(f"every_seconds must be a number > 0 or None, got {every_seconds!r}.")
        if every_seconds is not None and every != 1:
            raise ValueError("give every (epochs) or every_seconds, not both.")
        self.every_seconds = every_seconds
        self.sampler = sampler
        self._last_measured = -np.inf
        self.n = check_positive_int(n, "n")
        self.seed = seed
        self.value_range = value_range
        from aegan_tf.metrics import extract_features  # (the metrics: only where measured)

        self.real_features = extract_features(real_images, value_range)
        self.epochs_seen = 0
        self._train_seconds = float(already_spent)
        self._epoch_start = 0.0

    def on_epoch_begin(self, epoch: int, logs=None) -> None:
        if self.epochs_seen == 0 and epoch > 0:  # resumed by BackupAndRestore: count on
            self.epochs_seen = epoch
        self._epoch_start = self.clock()

    def on_epoch_end(self, epoch: int, logs=None) -> None:
        self._train_seconds += self.clock() - self._epoch_start
        self.epochs_seen += 1
        logs = logs if logs is not None else {}
        logs["wall_seconds"] = self._train_seconds
        logs["fid"] = logs["kid"] = logs["metric_seconds"] = float("nan")
        if self.every_seconds is None:
            due = self.epochs_seen % self.every == 0
        else:
            due = self._train_seconds - self._last_measured >= self.every_seconds
        if due:
            self._last_measured = self._train_seconds
            start = time.perf_counter()
            sampler = self.sampler or self.model.generate
            samples = sampler(self.n, self.seed)
            from aegan_tf.metrics import extract_features, fid, kid

            fake = extract_features(samples, self.value_range)
            logs["fid"] = fid(self.real_features, fake)
            logs["kid"] = kid(self.real_features, fake, seed=self.seed)[0]
            logs["metric_seconds"] = time.perf_counter() - start


class RunHistory(keras.callbacks.Callback):
    """The whole ``History`` of a run that ``keras.callbacks.BackupAndRestore`` resumes in a
    new session: ``fit`` then returns the epochs of the earlier sessions too, not only the
    resumed ones.

    After every epoch the logs so far are written to ``path`` (JSON, replaced whole). A
    ``fit`` that starts at epoch 0 is a new run and forgets the file's epochs; one that
    starts later (restored by ``BackupAndRestore``) puts the file's earlier epochs before its
    own in the returned ``History``. Use it through :func:`resumable`.
    """

    def __init__(self, path: str | os.PathLike) -> None:
        super().__init__()
        self.path = Path(path)
        self._earlier: dict[int, dict] = {}
        self._first: int | None = None

    def on_train_begin(self, logs=None) -> None:
        self._first = None
        self._earlier = {}
        if self.path.exists():
            saved = json.loads(self.path.read_text())
            self._earlier = {int(e): record for e, record in saved.items()}

    def on_epoch_begin(self, epoch: int, logs=None) -> None:
        if self._first is None:
            self._first = epoch
            self._earlier = {e: r for e, r in self._earlier.items() if e < epoch}
        self._write()  # the previous epoch's logs, with what callbacks after this one added

    def on_epoch_end(self, epoch: int, logs=None) -> None:
        self._write(epoch, logs)

    def on_train_end(self, logs=None) -> None:
        self._write()
        history = self.model.history
        if not self._earlier or history is None:
            return
        earlier = sorted(self._earlier)
        for key, values in history.history.items():
            before = [self._earlier[e].get(key, float("nan")) for e in earlier]
            history.history[key] = before + list(values)
        history.epoch = earlier + list(history.epoch)

    def _write(self, epoch: int | None = None, logs=None) -> None:
        records = dict(self._earlier)
        history = self.model.history
        if history is not None:
            for i, e in enumerate(history.epoch):
                records[e] = {k: float(v[i]) for k, v in history.history.items() if i < len(v)}
        if epoch is not None:
            records[epoch] = {k: float(v) for k, v in (logs or {}).items()}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_name(f".partial.{self.path.name}")
        partial.write_text(json.dumps({str(e): r for e, r in sorted(records.items())}))
        os.replace(partial, self.path)


def resumable(run_dir: str | os.PathLike) -> list[keras.callbacks.Callback]:
    """The callbacks that make a ``fit`` resume where it stopped when it is run again, in this
    session or a new one: ``keras.callbacks.BackupAndRestore(run_dir / "backup")`` (weights,
    optimizer state, the model's random generators, the epoch) and :class:`RunHistory`
    (``run_dir / "history.json"``). Put them after callbacks that add logs (such as
    :class:`QualityMetrics`)::

        gan.fit(ds, epochs=40, callbacks=[QualityMetrics(x), *resumable(config.run_dir("dcgan"))])

    Keras deletes the backup when the run ends, so running the cell again after that trains
    anew. The data order of a resumed run starts afresh (``tf.data`` shuffling)."""
    run_dir = Path(run_dir)
    return [
        keras.callbacks.BackupAndRestore(str(run_dir / "backup")),
        RunHistory(run_dir / "history.json"),
    ]
