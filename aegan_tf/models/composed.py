"""Bases for models made of named sub-networks (encoder and decoder, generator and
discriminator, ...): :class:`ComposedModel` checks them and saves and reloads them with the
model, and guards training against non-finite losses; :class:`GenerativeModel` adds the
generative contract, ``generate(n, seed)``, which is all that callbacks and metrics use."""

from __future__ import annotations

import functools
import math
import re
from typing import ClassVar

import keras
import numpy as np
import tensorflow as tf

from aegan_tf._validation import check_images, check_positive_int


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
    message = (
        f"{_RANGE_ERROR} [{low:g}, {high:g}], the output range of the {role}, which must "
        f"reproduce them; a batch did not (0-255 pixels, or images in the other range?). "
        f"aegan_tf.data.load(..., value_range=({low:g}, {high:g})) gives images in that range."
    )
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

        return checked

    return decorate


def _range_error(error: tf.errors.InvalidArgumentError) -> str | None:
    """The message of a failed :func:`checks_training_images` check, with the value seen, out
    of TensorFlow's graph error; ``None`` for any other error."""
    found = re.search(r"\[(" + re.escape(_RANGE_ERROR) + r".*?)\] \[Condition", error.message)
    if found is None:
        return None
    value = re.search(r"\[x \([^)]*\) = \] \[([^\]]*)\]", error.message)
    seen = f" (the batch reached {value.group(1)})" if value else ""
    return found.group(1).replace("a batch did not", f"a batch did not{seen}")


def _optimizers_of(model: keras.Model) -> list:
    names = getattr(model, "OPTIMIZERS", None) or ["optimizer"]
    return [opt for opt in (getattr(model, name, None) for name in names) if opt is not None]


class StopOnNonFiniteLoss(keras.callbacks.Callback):
    """Stop ``fit`` at the first step that logs a non-finite value (NaN or infinity), and put
    the model back as it was when that epoch began.

    Keras's ``TerminateOnNaN`` for models that log several losses (``d_loss``, ``g_loss``,
    ``kl``, ...), which also undoes the damage: at the start of each epoch it keeps a copy of
    the model's variables (weights, normalisation statistics, random generators) and of its
    optimizers' state (moments, step counts); a non-finite step restores them before training
    stops, so no weight is left NaN and a ``ModelCheckpoint`` that saves at the end of that
    epoch saves the same weights as at the end of the one before. Every model of this package
    adds one to ``fit``. ``stopped`` is ``None``, or ``(epoch, step, name, value)`` (1-based)
    of the step that stopped training.

    The copy lives in memory (one per epoch, as large as the model and its optimizer state);
    the training step itself is untouched.
    """

    def __init__(self) -> None:
        super().__init__()
        self.stopped: tuple[int, int, str, float] | None = None
        self._epoch = 0
        self._saved: list[np.ndarray] = []

    def _state(self) -> list:
        variables = list(self.model.variables)
        for optimizer in _optimizers_of(self.model):
            variables += list(optimizer.variables)
        return variables

    def on_train_begin(self, logs=None) -> None:
        self.stopped = None
        for optimizer in _optimizers_of(self.model):
            if not optimizer.built:  # as BackupAndRestore does: its state exists from now on
                optimizer.build(self.model.trainable_variables)

    def on_epoch_begin(self, epoch, logs=None) -> None:
        self._epoch = epoch
        self._saved = [np.array(keras.ops.convert_to_numpy(v)) for v in self._state()]

    def on_train_batch_end(self, batch, logs=None) -> None:
        for name, value in (logs or {}).items():
            value = float(value)
            if not math.isfinite(value):
                self.stopped = (self._epoch + 1, batch + 1, name, value)
                for variable, saved in zip(self._state(), self._saved, strict=True):
                    variable.assign(saved)
                self.model.stop_training = True
                print(
                    f"{type(self.model).__name__}: {name} is {value} at epoch {self._epoch + 1}, "
                    f"step {batch + 1}; training stopped, and the model and its optimizer "
                    f"state are back as they were at the start of epoch {self._epoch + 1}."
                )
                return


class ComposedModel(keras.Model):
    """A ``keras.Model`` whose constructor takes sub-networks named in ``NETWORKS``.

    Subclasses list the constructor arguments that are networks in ``NETWORKS`` and the
    other ones in :meth:`settings`; ``get_config``/``from_config`` then round-trip through
    ``model.save`` and ``keras.models.load_model``.
    """

    NETWORKS: ClassVar[tuple[str, ...]] = ()

    def fit(self, *args, **kwargs):
        """Keras's ``fit``, with a :class:`StopOnNonFiniteLoss` added to the callbacks (unless
        one is there): a diverging run stops at its first non-finite loss."""
        args = list(args)
        callbacks = args.pop(5) if len(args) > 5 else kwargs.pop("callbacks", None)
        callbacks = list(callbacks or [])
        if not any(isinstance(c, StopOnNonFiniteLoss) for c in callbacks):
            callbacks.append(StopOnNonFiniteLoss())
        try:
            return super().fit(*args, callbacks=callbacks, **kwargs)
        except tf.errors.InvalidArgumentError as error:
            message = _range_error(error)
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


class GenerativeModel(ComposedModel):
    """A composed model that draws new examples: ``generate(n, seed) -> (n, ...)``.

    Subclasses set ``latent_dim`` and define :meth:`generate_from` (noise -> examples); they
    may override :meth:`sample_noise` (the default is ``N(0, I)``, as for a GAN or a VAE).
    """

    def sample_noise(self, n: int, seed: int = 0) -> np.ndarray:
        """Noise ``(n, latent_dim)`` from ``N(0, I)``, the same for the same ``seed`` anywhere."""
        n = check_positive_int(n, "n")
        rng = np.random.default_rng(seed)
        return rng.standard_normal((n, self.latent_dim)).astype(np.float32)

    def generate(self, n: int, seed: int = 0, batch_size: int = 256) -> np.ndarray:
        """``n`` generated examples ``(n, ...)`` for the noise of :meth:`sample_noise`."""
        return map_batches(
            lambda z, training: self.generate_from(z), self.sample_noise(n, seed), batch_size
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
