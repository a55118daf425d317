"""Bases for models made of named sub-networks (encoder and decoder, generator and
discriminator, ...): :class:`ComposedModel` checks them and saves and reloads them with the
model, and guards training against non-finite losses; :class:`GenerativeModel` adds the
generative contract, ``generate(n, seed)``, which is all that callbacks and metrics use."""

from __future__ import annotations

import functools
import inspect
import json
import os
import re
import warnings
from typing import ClassVar

import keras
import numpy as np
import tensorflow as tf

from aegan_tf._validation import check_images, check_positive_int
from aegan_tf.callbacks import StopOnNonFiniteLoss, optimizers_of


def map_batches(network, x: np.ndarray, batch_size: int = 512) -> np.ndarray:
    """``network(x)`` in batches of ``batch_size``, in inference mode, as float32 NumPy.

    Direct calls rather than ``predict``: ``predict`` retraces per network and prints
    TensorFlow's retracing warnings into a notebook's output.
    """
    batch_size = check_positive_int(batch_size, "batch_size")
    return np.concatenate(
        [keras.ops.convert_to_numpy(network(x[i : i + batch_size], training=False))
         for i in range(0, len(x), batch_size)]
    ).astype(np.float32)  # fmt: skip


_FIT_ARGS = tuple(inspect.signature(keras.Model.fit).parameters)[1:]
_EVALUATE_ARGS = tuple(
    p for p in inspect.signature(keras.Model.evaluate).parameters if p not in ("self", "kwargs")
)
_OUTPUT_RANGES = {"tanh": (-1.0, 1.0), "sigmoid": (0.0, 1.0)}
_RANGE_ERROR = "the training images must lie in"


def output_range(network: keras.Model) -> tuple[float, float] | None:
    """The values ``network`` can output: ``(-1, 1)`` if it ends in ``tanh``, ``(0, 1)`` if in
    ``sigmoid`` (reshapes after it do not count), ``None`` for any other last layer."""
    for layer in reversed(network.layers):
        if isinstance(layer, (keras.layers.Reshape, keras.layers.Flatten)):
            continue
        if isinstance(layer, keras.Model):
            return output_range(layer)
        activation = getattr(layer, "activation", None)
        return _OUTPUT_RANGES.get(getattr(activation, "__name__", None))
    return None


def _in_output_range(images, network: keras.Model, role: str):
    """``images``, as a tensor that exists only once they are checked against the range that
    ``network`` (the model's ``role``, which must reproduce them) can output."""
    value_range = output_range(network)
    if value_range is None:
        return images
    low, high = value_range
    values = tf.cast(images, tf.float32)
    finite = tf.math.is_finite(values)
    tol = 1e-3 * (high - low)
    message = _range_message(low, high, role)
    checks = [
        tf.debugging.assert_greater_equal(
            tf.reduce_min(tf.where(finite, values, low)), low - tol, message=message
        ),
        tf.debugging.assert_less_equal(
            tf.reduce_max(tf.where(finite, values, high)), high + tol, message=message
        ),
    ]
    with tf.control_dependencies(checks):
        return tf.identity(images)


def check_reconstruction(name: str, decoder: keras.Model) -> str:
    """``name`` if it is one of :data:`aegan_tf.losses.RECONSTRUCTION_LOSSES` that fits
    ``decoder``: ``"bce"``, a Bernoulli likelihood, needs pixels and outputs in ``[0, 1]``
    (with a ``tanh`` decoder its loss goes negative without bound)."""
    from aegan_tf.losses import RECONSTRUCTION_LOSSES

    if name not in RECONSTRUCTION_LOSSES:
        raise ValueError(
            f"reconstruction must be one of {tuple(RECONSTRUCTION_LOSSES)}, got {name!r}."
        )
    value_range = output_range(decoder)
    if name == "bce" and value_range != (0.0, 1.0):
        outputs = "any value" if value_range is None else f"values in {list(value_range)}"
        raise ValueError(
            f"reconstruction='bce' is a Bernoulli likelihood of pixels in [0, 1], but the "
            f"decoder outputs {outputs}: end it in a sigmoid (images in [0, 1]), or use "
            f"reconstruction='mse'."
        )
    return name


def checks_training_images(role: str):
    """Decorate a ``train_step`` so that the batch's images (the batch, or its first item)
    are checked against the output range of the network named ``role`` (``"generator"``,
    ``"decoder"``): 0-255 pixels for a ``tanh`` generator, or ``[-1, 1]`` images for a
    ``sigmoid`` decoder, fail the first step with a clear error (``fit`` raises
    ``ValueError``). Every computation on the images waits for the check (a data
    dependency: a control dependency on the whole step changed TensorFlow's CPU arithmetic
    in the last bits). Non-finite values are left to :class:`StopOnNonFiniteLoss`."""

    def decorate(train_step):
        @functools.wraps(train_step)
        def checked(self, data):
            network = getattr(self, role)
            if isinstance(data, (tuple, list)):
                data = (_in_output_range(data[0], network, role), *data[1:])
            else:
                data = _in_output_range(data, network, role)
            return train_step(self, data)

        checked.image_role = role  # what fit checks the examples against, on the host
        return checked

    return decorate


_BAD_BATCH = "the examples of a batch"  # (no quote: TensorFlow escapes it in messages)
_BAD_TARGETS = _BAD_BATCH.replace("examples", "targets")
_BAD_LABELS = _BAD_BATCH.replace("examples", "labels")


def _graph_error(error: tf.errors.InvalidArgumentError) -> str | None:
    """The message of a failed input check (:func:`checks_training_images`, or the check
    ``fit`` adds to a dataset), with the value seen, out of TensorFlow's graph error; ``None``
    for any other error."""
    for start in (_RANGE_ERROR, _BAD_BATCH, _BAD_TARGETS, _BAD_LABELS):
        found = re.search(  # raised on the host while tf.data read a generator or PyDataset
            r"ValueError: (" + re.escape(start) + r"[^\n]*)\n", error.message
        ) or re.search(  # a tf.debugging assert, in the step or the pipeline
            r"(" + re.escape(start) + r".*?)\](?: \[Condition|\s*\n|\s*$)", error.message
        )
        if found is not None:
            break
    else:
        return None
    value = re.search(r"\[x \([^)]*\) = \] \[([^\]]*)\]", error.message)
    seen = f" (the batch reached {value.group(1)})" if value else ""
    return found.group(1).replace("a batch did not", f"a batch did not{seen}")


def _first_item(data):
    return data[0] if isinstance(data, (tuple, list)) else data


def _labels_message(n_classes: int) -> str:
    return (
        f"{_BAD_LABELS} must be whole numbers in [0, {n_classes - 1}], one class per example "
        f"(this model draws {n_classes} classes)."
    )


def _checked_batch(
    value_range: tuple[float, float] | None,
    rank: int | None,
    role: str | None,
    reproduced: int,
    n_classes: int | None = None,
):
    """A ``tf.data`` map function that returns its element unchanged once its first item
    (the examples) and every other float tensor in it (targets; a semi-supervised model's
    labelled examples) are finite, and item ``reproduced`` (0: the examples; 1: targets,
    where the element has them) is, if it has rank ``rank`` (any rank for ``None``), inside
    ``value_range``; for a model of ``n_classes``, whole-number labels as the second item
    must lie in ``[0, n_classes)``. Else it raises ``InvalidArgumentError`` with a message
    that ``fit`` turns into a ``ValueError``. It runs in the input pipeline, outside the
    training step: XLA cannot drop it, and the step's arithmetic is untouched."""

    def floating(item) -> bool:
        return tf.is_tensor(item) and item.dtype.is_floating

    def check(*element):
        data = element[0] if len(element) == 1 else element
        items = tuple(data) if isinstance(data, (tuple, list)) else (data,)
        x = items[0]
        if not floating(x):  # (labels alone, or a structure this check does not know)
            return data
        values = tf.cast(x, tf.float32)
        finite = tf.math.is_finite(values)
        every_float = [
            tf.cast(item, tf.float32) for item in tf.nest.flatten(data) if floating(item)
        ]
        checks = [
            tf.debugging.Assert(
                tf.reduce_all([tf.reduce_all(tf.math.is_finite(v)) for v in every_float]),
                [f"{_BAD_BATCH} hold NaN or infinity: fix or drop them (for example "
                 "with np.isfinite(images).all(axis=(1, 2, 3)))."],
            )
        ]  # fmt: skip
        labels = items[1] if len(items) > 1 else None
        if n_classes and tf.is_tensor(labels) and labels.dtype.is_integer:
            inside = tf.logical_and(
                tf.reduce_all(labels >= 0), tf.reduce_all(labels < tf.cast(n_classes, labels.dtype))
            )
            checks.append(tf.debugging.Assert(inside, [_labels_message(n_classes)]))
        if reproduced and len(items) > reproduced and floating(items[reproduced]):
            x = items[reproduced]
            values = tf.cast(x, tf.float32)
            finite = tf.math.is_finite(values)
        if value_range is not None and (rank is None or len(x.shape) == rank):
            low, high = value_range
            tol = 1e-3 * (high - low)
            inside = tf.logical_and(
                tf.reduce_min(tf.where(finite, values, low)) >= low - tol,
                tf.reduce_max(tf.where(finite, values, high)) <= high + tol,
            )
            seen = tf.strings.format(
                "{} The batch reached {} to {}.",
                (_range_message(low, high, role), tf.reduce_min(values), tf.reduce_max(values)),
            )
            checks.append(tf.debugging.Assert(inside, [seen]))
            if low < 0 and len(x.shape) == 4:  # images: a batch in [-1, 1] reaches below 0
                seen = tf.strings.format(
                    "{} The batch never went below 0 ({} to {}).",
                    (_range_message(low, high, role, guess=_LOOK_LIKE_0_1),
                     tf.reduce_min(values), tf.reduce_max(values)),
                )  # fmt: skip
                lowest = tf.reduce_min(tf.where(finite, values, low))
                flat = tf.reduce_max(tf.where(finite, values, low)) <= lowest
                checks.append(tf.debugging.Assert(tf.logical_or(lowest < 0, flat), [seen]))
        with tf.control_dependencies(checks):
            return tf.nest.map_structure(tf.identity, data)

    return check


_LOOK_LIKE_0_1 = "images in [0, 1]? Images in [-1, 1] have their background at -1"


def _range_message(
    low: float,
    high: float,
    role: str | None = None,
    seen: str = "a batch did not",
    guess: str = "0-255 pixels, or images in the other range?",
) -> str:
    whose = f"the output range of the {role}, which must reproduce them" if role else "as expected"
    return (
        f"{_RANGE_ERROR} [{low:g}, {high:g}], {whose}; {seen} ({guess}). "
        f"aegan_tf.data.load(..., value_range=({low:g}, {high:g})) gives images in that range."
    )


def _check_array(x, value_range, rank, role, name: str) -> None:
    """The host-side form of :func:`_checked_batch`, on a whole array, before ``fit``."""
    x = np.asarray(x)
    if not np.issubdtype(x.dtype, np.floating) or x.size == 0:
        return
    finite = np.isfinite(x.reshape(len(x), -1)).all(axis=1) if x.ndim > 1 else np.isfinite(x)
    if not finite.all():
        bad = np.flatnonzero(~finite)
        raise ValueError(
            f"{name} hold NaN or infinity in {len(bad)} of {len(x)} examples (the first at index "
            f"{bad[0]}): fix or drop them, for example x[np.isfinite(x).all(axis="
            f"{tuple(range(1, x.ndim))})]."
        )
    if value_range is not None and (rank is None or x.ndim == rank):
        low, high = value_range
        lo, hi = float(x.min()), float(x.max())
        tol = 1e-3 * (high - low)
        if lo < low - tol or hi > high + tol:
            seen = f"{name} do not (they reached {lo:.4g} to {hi:.4g})"
            raise ValueError(_range_message(low, high, role, seen))
        if low < 0 <= lo < hi and x.ndim == 4:  # (all zeros: a placeholder, not a mistake)
            seen = f"{name} never go below 0 (they reached {lo:.4g} to {hi:.4g})"
            raise ValueError(_range_message(low, high, role, seen, _LOOK_LIKE_0_1))


def check_in_output_range(images, network: keras.Model, role: str, name: str = "the images"):
    """Raise a ``ValueError`` unless ``images`` (an array) are finite and inside the output
    range of ``network`` (the model's ``role``, which must reproduce them): the message names
    the cause (NaN, 0-255 pixels, the other range), where a later check could only say that
    the results are bad."""
    _check_array(images, output_range(network), 4, role, name)


_MID_EPOCH_BACKUP = (
    "BackupAndRestore(save_freq=<steps>) backs up in the middle of an epoch, and Keras resumes "
    "such a backup from the first step of that epoch: the steps done in it before the backup "
    "are trained twice. BackupAndRestore() (save_freq='epoch') resumes exactly."
)


def _back_up_epoch_start(backup: keras.callbacks.BackupAndRestore, model, epoch: int) -> None:
    """Write ``backup``'s files anew: ``model`` as it is now, and ``epoch`` (0-based) as the
    first epoch that a resumed run trains. For a run stopped by :class:`StopOnNonFiniteLoss`,
    which put the model back at the start of ``epoch``: Keras's own backup at that epoch's end
    recorded it as done (and deleted the files if the run counted as finished)."""
    os.makedirs(backup.backup_dir, exist_ok=True)
    model.save_weights(os.path.join(backup.backup_dir, "latest.weights.h5"), overwrite=True)
    with open(os.path.join(backup.backup_dir, "training_metadata.json"), "w") as file:
        json.dump({"epoch": epoch, "batch": 0}, file)


class _CheckedPyDataset(keras.utils.PyDataset):
    """``inner``, a ``PyDataset``, with each batch passed through ``check`` (the host check of
    :meth:`ComposedModel._checked_arrays`) as it is read: outside the training step, so that
    XLA keeps it."""

    def __init__(self, inner: keras.utils.PyDataset, check) -> None:
        super().__init__(
            workers=inner.workers,
            use_multiprocessing=inner.use_multiprocessing,
            max_queue_size=inner.max_queue_size,
        )
        self.inner, self.check = inner, check

    def __len__(self) -> int:
        return len(self.inner)

    @property
    def num_batches(self):
        return getattr(self.inner, "num_batches", None) or len(self.inner)

    def __getitem__(self, index):
        return self.check(self.inner[index], f"{_BAD_BATCH} (index {index} of the PyDataset)")

    def on_epoch_begin(self) -> None:
        self.inner.on_epoch_begin()

    def on_epoch_end(self) -> None:
        self.inner.on_epoch_end()


class ComposedModel(keras.Model):
    """A ``keras.Model`` whose constructor takes sub-networks named in ``NETWORKS``.

    Subclasses list the constructor arguments that are networks in ``NETWORKS`` and the
    other ones in :meth:`settings`; ``get_config``/``from_config`` then round-trip through
    ``model.save`` and ``keras.models.load_model``.
    """

    NETWORKS: ClassVar[tuple[str, ...]] = ()
    REPRODUCES_TARGETS: ClassVar[bool] = False
    """Whether ``fit(x, y)`` trains the model to output ``y`` (an autoencoder's targets): then
    ``y``, not ``x``, must lie in the output range."""

    def expected_examples(self) -> tuple[tuple[float, float] | None, int | None, str | None]:
        """``(value_range, rank, role)`` that ``fit`` checks the training examples against:
        the output range of the network ``role`` that must reproduce them (``None``: any
        finite values), applied to examples of that rank only (``None``: any rank)."""
        role = getattr(type(self).train_step, "image_role", None)
        network = getattr(self, role, None) if role else None
        return (None if network is None else output_range(network)), None, role

    def _checked(self, data, name: str, y=None):
        """``data`` for ``fit``/``evaluate``, its examples checked on the host: an array at
        once, a ``tf.data.Dataset`` batch by batch in its pipeline, a Python generator or a
        ``PyDataset`` batch by batch as Keras reads it (outside the step, so that XLA keeps the
        check); other inputs are left to the step's own check. For a model
        that reproduces its targets (``REPRODUCES_TARGETS``), the range applies to the
        targets ``y`` where there are some (a denoiser's inputs may leave it)."""
        value_range, rank, role = self.expected_examples()
        if isinstance(data, tf.data.Dataset):
            reproduced = 1 if self.REPRODUCES_TARGETS else 0
            classes = getattr(self, "n_classes", None)
            return data.map(_checked_batch(value_range, rank, role, reproduced, classes))
        if inspect.isgenerator(data):  # (Keras reads it in tf.data, outside the step)
            return (
                self._checked_arrays(batch, f"{_BAD_BATCH} (batch {i + 1} read from the generator)")
                for i, batch in enumerate(data)
            )
        if isinstance(data, keras.utils.PyDataset):
            return _CheckedPyDataset(data, self._checked_arrays)
        return self._checked_arrays(data, name, y)

    def _checked_arrays(self, data, name: str, y=None):
        """``data`` once its examples (arrays or tensors: the first item of a tuple) are
        checked on the host, as :meth:`_checked` says; anything else unchanged."""
        value_range, rank, role = self.expected_examples()
        items = tuple(data) if isinstance(data, (tuple, list)) else (data,)
        x = items[0]
        if y is None and len(items) > 1:  # (validation_data as a pair, or a batch)
            y = items[1]
        if not isinstance(x, (np.ndarray, tf.Tensor)):
            return data
        classes = getattr(self, "n_classes", None)
        if classes and isinstance(y, np.ndarray) and np.issubdtype(y.dtype, np.integer) and y.size:
            if y.min() < 0 or y.max() >= classes:
                raise ValueError(f"{_labels_message(classes)} They reached {y.min()} to {y.max()}.")
        if self.REPRODUCES_TARGETS and isinstance(y, (np.ndarray, tf.Tensor)):
            _check_array(x, None, None, role, name)  # finite
            _check_array(y, value_range, rank, role, name.replace("examples", "targets"))
        else:
            _check_array(x, value_range, rank, role, name)
        return data

    def fit(self, *args, **kwargs):
        """Keras's ``fit``, with the examples checked (finite, and in the range the model can
        reproduce: a clear ``ValueError`` otherwise, also under ``jit_compile=True``) and a
        :class:`StopOnNonFiniteLoss` added to the callbacks (unless one is there): a
        diverging run stops at its first non-finite loss or weight."""
        kwargs.update(zip(_FIT_ARGS[: len(args)], args, strict=True))
        callbacks = list(kwargs.pop("callbacks", None) or [])
        stoppers = [c for c in callbacks if isinstance(c, StopOnNonFiniteLoss)]
        if not stoppers:
            stoppers.append(StopOnNonFiniteLoss())
            callbacks.append(stoppers[0])
        kwargs["x"] = self._checked(kwargs.get("x"), "the training examples", kwargs.get("y"))
        if kwargs.get("validation_data") is not None:
            kwargs["validation_data"] = self._checked(
                kwargs["validation_data"], "the validation examples"
            )
        backups = [c for c in callbacks if isinstance(c, keras.callbacks.BackupAndRestore)]
        if any(b.save_freq != "epoch" for b in backups):
            warnings.warn(_MID_EPOCH_BACKUP, UserWarning, stacklevel=2)
        stopper = stoppers[0]
        try:
            history = super().fit(callbacks=callbacks, **kwargs)
        except tf.errors.InvalidArgumentError as error:
            message = _graph_error(error)
            if message is None:
                raise
            if stopper.began:  # an epoch had begun: undo its steps, as for a NaN loss
                stopper.restore()
                message += (
                    f" Training stopped at {stopper.where()}; the model and its optimizer "
                    f"state are back as they were at the start of that epoch."
                )
            raise ValueError(message) from None
        if stopper.stopped is not None:
            for backup in backups:  # the rolled-back epoch is not done: a resumed run redoes it
                _back_up_epoch_start(backup, self, stopper.stopped[0] - 1)
        return history

    def load_weights(self, filepath, *args, **kwargs) -> None:
        """Keras's ``load_weights``, with the optimizers' state too: an optimizer that has
        not taken a step yet is built first (Keras skips the saved moments of an unbuilt
        one, and training would resume with fresh ones)."""
        for optimizer in optimizers_of(self):
            if not optimizer.built:
                optimizer.build(self.trainable_variables)
        return super().load_weights(filepath, *args, **kwargs)

    def evaluate(self, *args, **kwargs):
        """Keras's ``evaluate``, with the examples checked as ``fit`` checks them."""
        kwargs.update(zip(_EVALUATE_ARGS[: len(args)], args, strict=True))
        kwargs["x"] = self._checked(kwargs.get("x"), "the evaluation examples", kwargs.get("y"))
        try:
            return super().evaluate(**kwargs)
        except tf.errors.InvalidArgumentError as error:
            message = _graph_error(error)
            if message is None:
                raise
            raise ValueError(message) from None

    def _seed_generators_in_tree(self) -> list:
        """The random generators of this model and of every layer inside it (noise, dropout),
        in a fixed order."""
        found, seen = [], set()
        for layer in self._flatten_layers(include_self=True, recursive=True):
            for generator in getattr(layer, "_seed_generators", []):
                if id(generator) not in seen:
                    seen.add(id(generator))
                    found.append(generator)
        return found

    def save_own_variables(self, store) -> None:
        """Keras's own, plus the state of every random generator in the model (Keras saves
        none), so that ``BackupAndRestore`` and ``load_model`` resume the same noise."""
        super().save_own_variables(store)
        for i, generator in enumerate(self._seed_generators_in_tree()):
            store[f"seed_generator_{i}"] = generator.state

    def load_own_variables(self, store) -> None:
        keras_own = {k: store[k] for k in store.keys() if not k.startswith("seed_generator_")}
        super().load_own_variables(keras_own)
        for i, generator in enumerate(self._seed_generators_in_tree()):
            if f"seed_generator_{i}" in store.keys():  # absent in files saved by earlier versions
                generator.state.assign(store[f"seed_generator_{i}"])

    def _set_networks(self, **networks: keras.Model) -> None:
        for role, net in networks.items():
            if not isinstance(net, keras.Model):
                raise TypeError(f"{role} must be a keras.Model, got {type(net).__name__}.")
            setattr(self, role, net)
        self.built = True  # the networks are built; nothing is created at the first call

    def settings(self) -> dict:
        """The constructor's other arguments, as saved in the config."""
        return {}

    def get_config(self) -> dict:
        networks = {r: keras.saving.serialize_keras_object(getattr(self, r)) for r in self.NETWORKS}
        return {**super().get_config(), **networks, **self.settings()}

    @classmethod
    def from_config(cls, config: dict):
        config = dict(config)
        for role in cls.NETWORKS:
            config[role] = keras.saving.deserialize_keras_object(config[role])
        return cls(**config)


NOISE_PRIORS = ("normal", "uniform")
"""The noise a generator can be trained on: ``N(0, I)``, or ``U(-1, 1)`` in every unit (the
BiGAN paper's choice, Donahue et al. 2016)."""


def check_prior(prior) -> str:
    """``prior`` if it is one of :data:`NOISE_PRIORS`, else a ``ValueError``."""
    if prior not in NOISE_PRIORS:
        raise ValueError(f"prior must be one of {NOISE_PRIORS}, got {prior!r}.")
    return prior


def draw_noise(shape, prior: str, seed) -> tf.Tensor:
    """Noise of ``shape`` from ``prior`` (see :data:`NOISE_PRIORS`), drawn in the graph with
    ``seed`` (a ``keras.random.SeedGenerator``)."""
    if prior == "uniform":
        return keras.random.uniform(shape, minval=-1.0, maxval=1.0, seed=seed)
    return keras.random.normal(shape, seed=seed)


class GenerativeModel(ComposedModel):
    """A composed model that draws new examples: ``generate(n, seed, labels=None) -> (n, ...)``.

    Subclasses set ``latent_dim`` and define :meth:`generate_from` (noise -> examples); they
    may set ``prior`` to ``"uniform"`` (see :data:`NOISE_PRIORS`) or override
    :meth:`sample_noise` (the default is ``N(0, I)``, as for a GAN or a VAE). A model that
    draws the class it is asked for has ``n_classes``, the number of its labels, and its
    :meth:`sample_noise` takes them; for any other, ``n_classes`` is ``None`` and labels
    raise a ``ValueError``.
    """

    prior = "normal"
    n_classes: int | None = None
    """The number of classes :meth:`generate` can be asked for; ``None``: unconditioned."""

    def check_labels(self, labels, n: int) -> np.ndarray:
        """``labels`` for ``n`` draws as ``(n,)`` int32: one class for all, or one each, whole
        numbers in ``[0, n_classes)``; a ``ValueError`` otherwise, or if the model has no
        classes."""
        if self.n_classes is None:
            raise ValueError(
                f"this {type(self).__name__} was trained without labels, so it cannot be "
                f"asked for a class: call generate without labels (a conditional model, such "
                f"as a conditional AdversarialAutoencoder, takes them)."
            )
        labels = np.asarray(labels)
        if labels.ndim == 0:
            labels = np.full(n, labels)
        integral = labels.dtype.kind in "iu" or (
            labels.dtype.kind == "f" and np.array_equal(labels, np.round(labels))
        )
        if labels.shape != (n,) or not integral:
            raise ValueError(
                f"labels must be one class or {n} classes (whole numbers), got shape "
                f"{labels.shape} of {labels.dtype}."
            )
        if n and (labels.min() < 0 or labels.max() >= self.n_classes):
            raise ValueError(
                f"labels must lie in [0, {self.n_classes - 1}], got {labels.min()} to "
                f"{labels.max()}."
            )
        return labels.astype(np.int32)

    def sample_noise(self, n: int, seed: int = 0, labels=None) -> np.ndarray:
        """Noise ``(n, latent_dim)`` from the model's ``prior`` (``N(0, I)`` unless it says
        ``"uniform"``), the same for the same ``seed`` anywhere. ``labels``: see
        :meth:`check_labels` (an unconditioned model takes none)."""
        n = check_positive_int(n, "n")
        if labels is not None:
            self.check_labels(labels, n)
        rng = np.random.default_rng(seed)
        if self.prior == "uniform":
            return rng.uniform(-1.0, 1.0, (n, self.latent_dim)).astype(np.float32)
        return rng.standard_normal((n, self.latent_dim)).astype(np.float32)

    def generate(self, n: int, seed: int = 0, batch_size: int = 256, labels=None) -> np.ndarray:
        """``n`` generated examples ``(n, ...)`` for the noise of :meth:`sample_noise`;
        ``labels`` (one class, or ``(n,)``) asks a conditional model for those classes."""
        return map_batches(
            lambda z, training: self.generate_from(z),
            self.sample_noise(n, seed, labels),
            batch_size,
        )

    def generate_from(self, z) -> tf.Tensor:
        """Examples for the noise batch ``z`` ``(B, latent_dim)``; subclasses define it."""
        raise NotImplementedError

    def _log(self, values: dict) -> dict:
        """Add ``values`` to the ``Mean`` trackers of the same names (``self.trackers``) and
        return every metric's result: what ``train_step`` returns."""
        for name, value in values.items():
            self.trackers[name].update_state(value)
        return {m.name: m.result() for m in self.metrics}


class OwnLoss:
    """For a :class:`ComposedModel` with one optimizer and a loss of its own (a VAE, a
    diffusion model): ``compile(optimizer)`` refuses Keras's loss arguments, naming the
    model's loss (``OWN_LOSS``), and is saved with the model, so that ``load_model`` compiles
    it again and training resumes."""

    OWN_LOSS: ClassVar[str] = "the model's own"

    def compile(self, optimizer: keras.optimizers.Optimizer | str = "adam", **kwargs) -> None:
        """Set the optimizer; the loss is the model's own."""
        given = sorted(k for k in ("loss", "metrics", "loss_weights", "weighted_metrics")
                       if kwargs.get(k) is not None)  # fmt: skip
        if given:
            raise TypeError(
                f"{type(self).__name__}.compile() takes no {given}: the loss is "
                f"{self.OWN_LOSS}. Measure samples with aegan_tf.metrics or "
                "aegan_tf.callbacks.QualityMetrics."
            )
        keras_args = {k: v for k, v in kwargs.items() if v is not None}
        super().compile(optimizer=optimizer, **keras_args)
        if not self.optimizer.built:  # built now, so that saved moments can be loaded into it
            self.optimizer.build(self.trainable_variables)
        self._keras_compile_args = keras_args

    def get_compile_config(self) -> dict:
        """What ``compile`` was given, so that ``load_model`` compiles again and resumes."""
        if not getattr(self, "compiled", False):
            return {}
        optimizer = keras.saving.serialize_keras_object(self.optimizer)
        return {"optimizer": optimizer, **self._keras_compile_args}

    def compile_from_config(self, config: dict) -> None:
        config = dict(config)
        config["optimizer"] = keras.saving.deserialize_keras_object(config["optimizer"])
        self.compile(**config)


class Encoding:
    """For a :class:`GenerativeModel` with an ``encoder`` (and ``image_shape``): codes of
    images and their reconstructions through the model's own image network."""

    def encode(self, images, batch_size: int = 512) -> np.ndarray:
        """The codes ``(N, latent_dim)`` of ``images`` ``(N, H, W, C)``, in inference mode."""
        check_images(images, "images", self.image_shape)
        return map_batches(self.encoder, np.asarray(images, np.float32), batch_size)

    def reconstruct(self, images, batch_size: int = 512) -> np.ndarray:
        """The images ``(N, H, W, C)`` generated from the codes of ``images``."""
        codes = self.encode(images, batch_size)
        return map_batches(lambda z, training: self.generate_from(z), codes, batch_size)
