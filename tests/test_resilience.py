"""Every model of the package survives a non-finite loss and an interruption (issue 11).

- A step with a non-finite loss is skipped and stops ``fit`` (``StopOnNonFiniteLoss``, added
  by every model's ``fit``): the weights and the optimizers' state stay those of the step
  before, and a ``ModelCheckpoint`` of the same run saves nothing non-finite.
- ``keras.callbacks.BackupAndRestore`` resumes a run interrupted mid-epoch to the same
  weights as a run that was never interrupted: optimizer moments, step counts and the noise
  generators' state are restored with the weights.
"""

import math

import keras
import numpy as np
import pytest
import tensorflow as tf
from small_models import MODELS, adam, build_small_model

from aegan_tf.callbacks import StopOnNonFiniteLoss
from aegan_tf.models import GAN, build_mlp_discriminator, build_mlp_generator

BATCH = 16


@pytest.fixture(scope="module")
def digits(images):
    return images[:64]  # (64, 28, 28, 1) in [0, 1]: 4 batches of 16


def _optimizers(model) -> list:
    names = getattr(model, "OPTIMIZERS", None) or ["optimizer"]
    return [getattr(model, n) for n in names]


def _state(model) -> list[np.ndarray]:
    """Every variable of the model (random generators' states included) and of its
    optimizers (moments, step counts)."""
    variables = list(model.variables)
    for optimizer in _optimizers(model):
        variables += list(optimizer.variables)
    return [np.array(keras.ops.convert_to_numpy(v)) for v in variables]


def _unshuffled(images):
    return tf.data.Dataset.from_tensor_slices(images).batch(BATCH)


@pytest.mark.parametrize("name", MODELS)
def test_a_non_finite_step_stops_training_and_restores_the_epochs_start(
    name, digits, autoencoder, tmp_path, capsys
):
    model = build_small_model(name, autoencoder, digits)
    for optimizer in _optimizers(model):
        if not optimizer.built:  # (the Autoencoder's): its state exists before the copy
            optimizer.build(model.trainable_variables)
    at_start = _state(model)
    bad = digits.copy()
    bad[2 * BATCH + 5] = np.nan  # one image of the third batch
    checkpoint = tmp_path / "last.weights.h5"
    history = model.fit(
        _unshuffled(bad),
        epochs=3,
        verbose=0,
        callbacks=[keras.callbacks.ModelCheckpoint(checkpoint, save_weights_only=True)],
    )
    # fit added a StopOnNonFiniteLoss: it names the first bad step and stops there ...
    assert "is nan at epoch 1, step 3; training stopped" in capsys.readouterr().out
    assert history.epoch == [0]
    # ... and the model and its optimizers are as they were when the epoch began.
    for before, now in zip(at_start, _state(model), strict=True):
        np.testing.assert_array_equal(now, before)
    saved = build_small_model(name, autoencoder, digits, seed=1)
    saved.load_weights(checkpoint)  # the checkpoint of that epoch: the restored weights
    for expected, got in zip(model.get_weights(), saved.get_weights(), strict=True):
        np.testing.assert_array_equal(got, expected)


def test_a_diverging_gan_stops_and_keeps_its_last_good_epoch(tmp_path):
    # A learning rate ten times larger every epoch (16 steps): the losses turn non-finite
    # after a few good epochs (the SGD(1e6) does at the first steps).
    keras.utils.set_random_seed(0)
    gan = GAN(build_mlp_generator(4, 2, (16,)), build_mlp_discriminator(2, (16,)), seed=0)
    growing = [keras.optimizers.schedules.ExponentialDecay(1e-3, 16, 10.0) for _ in range(2)]
    gan.compile(keras.optimizers.SGD(growing[0]), keras.optimizers.SGD(growing[1]))
    points = np.random.default_rng(0).normal(size=(256, 2)).astype(np.float32)
    stopper = StopOnNonFiniteLoss()
    every_epoch = keras.callbacks.ModelCheckpoint(
        tmp_path / "epoch{epoch}.weights.h5", save_weights_only=True
    )
    history = gan.fit(points, batch_size=16, epochs=50, verbose=0, callbacks=[stopper, every_epoch])
    epoch, _, name, value = stopper.stopped
    assert not math.isfinite(value) and name in history.history
    assert 1 < len(history.epoch) == epoch < 50  # stopped in the epoch it went bad
    assert all(np.all(np.isfinite(w)) for w in gan.get_weights())
    keras.utils.set_random_seed(1)  # back to the end of the last good epoch, as saved then
    other = GAN(build_mlp_generator(4, 2, (16,)), build_mlp_discriminator(2, (16,)))
    other.load_weights(tmp_path / f"epoch{epoch - 1}.weights.h5")
    for expected, got in zip(other.get_weights(), gan.get_weights(), strict=True):
        np.testing.assert_array_equal(got, expected)


def test_a_stop_on_non_finite_loss_given_to_fit_is_the_only_one(capsys):
    keras.utils.set_random_seed(0)
    gan = GAN(build_mlp_generator(4, 2, (16,)), build_mlp_discriminator(2, (16,)), seed=0)
    gan.compile(adam(), adam())
    points = np.zeros((32, 2), np.float32)
    points[20] = np.inf  # the second batch
    mine = StopOnNonFiniteLoss()
    gan.fit(points, batch_size=16, epochs=2, verbose=0, callbacks=[mine])
    assert mine.stopped[:2] == (1, 2)
    assert capsys.readouterr().out.count("training stopped") == 1


class _Disconnect(keras.callbacks.Callback):
    """Raises before step ``step`` (1-based) of epoch ``epoch`` (1-based), as a lost session."""

    def __init__(self, epoch, step):
        super().__init__()
        self.epoch, self.step, self._now = epoch, step, 0

    def on_epoch_begin(self, epoch, logs=None):
        self._now = epoch + 1

    def on_train_batch_begin(self, batch, logs=None):
        if (self._now, batch + 1) == (self.epoch, self.step):
            raise RuntimeError("disconnected")


@pytest.mark.parametrize("name", MODELS)
def test_backup_and_restore_resumes_to_the_same_state(name, digits, autoencoder, tmp_path):
    straight = build_small_model(name, autoencoder, digits)
    straight.fit(_unshuffled(digits), epochs=3, verbose=0)

    backup = keras.callbacks.BackupAndRestore(str(tmp_path / "backup"))
    interrupted = build_small_model(name, autoencoder, digits)
    with pytest.raises(RuntimeError, match="disconnected"):
        interrupted.fit(
            _unshuffled(digits), epochs=3, verbose=0, callbacks=[backup, _Disconnect(2, 3)]
        )
    resumed = build_small_model(name, autoencoder, digits, seed=1)  # a new session: other weights
    history = resumed.fit(_unshuffled(digits), epochs=3, verbose=0, callbacks=[backup])
    assert history.epoch == [1, 2]  # epoch 2 again from its start, then epoch 3
    # Weights, optimizer moments and step counts, noise generators: all as if never stopped.
    for expected, got in zip(_state(straight), _state(resumed), strict=True):
        np.testing.assert_array_equal(got, expected)
