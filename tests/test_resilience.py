"""Every model of the package survives a non-finite loss and an interruption (issue 11).

- A NaN image is refused before it reaches a weight (an array before training, a dataset at
  its batch), and a step that leaves a loss, a weight or an optimizer's state non-finite stops
  ``fit`` (``StopOnNonFiniteLoss``, added by every model's ``fit``): the model is put back as
  it was when the epoch began, and a ``ModelCheckpoint`` of the same run saves nothing
  non-finite. Both hold with ``jit_compile=True`` (XLA, a GPU's default).
- ``keras.callbacks.BackupAndRestore`` resumes a run interrupted mid-epoch to the same
  weights as a run that was never interrupted: optimizer moments, step counts and the noise
  generators' state are restored with the weights.
"""

import math
import re

import keras
import numpy as np
import pytest
import tensorflow as tf
from small_models import MODELS, adam, build_small_model, small_batches

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


def _unshuffled(images, name=None):
    return small_batches(name, images, BATCH)


JIT = [pytest.param(False, id="graph"), pytest.param(True, id="xla")]
"""``jit_compile`` of the step: a plain graph (Keras's default on a CPU) or XLA (on a GPU)."""


def _built(model) -> keras.Model:
    for optimizer in _optimizers(model):
        if not optimizer.built:  # (the Autoencoder's): its state exists before the copy
            optimizer.build(model.trainable_variables)
    return model


def _all_finite(state: list[np.ndarray]) -> bool:
    return all(np.isfinite(v).all() for v in state if np.issubdtype(v.dtype, np.floating))


@pytest.mark.parametrize("jit", JIT)
@pytest.mark.parametrize("name", MODELS)
def test_a_nan_image_is_refused_before_it_reaches_a_weight(
    name, jit, digits, autoencoder, tmp_path
):
    # Checked on the host, not in the step: on some CPUs the step's fused kernels turn a NaN
    # image into finite logits (so the losses stay finite), and XLA drops the step's asserts.
    model = _built(build_small_model(name, autoencoder, digits, jit_compile=jit))
    at_start = _state(model)
    bad = digits.copy()
    bad[2 * BATCH + 5] = np.nan  # one image of the third batch
    with pytest.raises(
        ValueError, match=r"NaN or infinity in 1 of 64 examples \(the first at index 37"
    ):
        model.fit(bad, batch_size=BATCH, epochs=3, verbose=0)  # an array: before training
    checkpoint = tmp_path / "last.weights.h5"
    with pytest.raises(ValueError, match=r"hold NaN or infinity.* stopped at epoch 1, step 3;"):
        model.fit(  # a dataset: at the batch that holds it, before the step
            _unshuffled(bad, name),
            epochs=3,
            verbose=0,
            callbacks=[keras.callbacks.ModelCheckpoint(checkpoint, save_weights_only=True)],
        )
    # The model and its optimizers are as they were when the epoch began: all finite.
    for before, now in zip(at_start, _state(model), strict=True):
        np.testing.assert_array_equal(now, before)
    assert _all_finite(_state(model)) and not checkpoint.exists()


class _Batches(keras.utils.PyDataset):
    def __init__(self, images):
        super().__init__()
        self.images = images

    def __len__(self):
        return len(self.images) // BATCH

    def __getitem__(self, index):
        return self.images[index * BATCH : (index + 1) * BATCH]


@pytest.mark.parametrize("jit", JIT)
@pytest.mark.parametrize("name", ["vae", "gan"])
def test_a_generator_or_py_dataset_is_checked_as_it_is_read(name, jit, digits, autoencoder):
    # Keras reads both in tf.data, outside the step: checked there, the check survives XLA.
    model = _built(build_small_model(name, autoencoder, digits, jit_compile=jit))
    at_start = _state(model)
    bad = digits.copy()
    bad[2 * BATCH + 5] = np.nan
    batches = ((bad[i : i + BATCH],) for i in range(0, len(bad), BATCH))
    # (Keras reads ahead of the step it trains: the message names the batch, and the step)
    nan = r"examples of a batch \({}\) hold NaN or infinity in 1 of 16.* stopped at epoch 1"
    with pytest.raises(ValueError, match=nan.format("batch 3 read from the generator")):
        model.fit(batches, epochs=1, verbose=0)
    with pytest.raises(ValueError, match=nan.format("index 2 of the PyDataset")):
        model.fit(_Batches(bad), epochs=1, verbose=0)
    for before, now in zip(at_start, _state(model), strict=True):
        np.testing.assert_array_equal(now, before)
    if name == "vae":  # (the small GAN's linear generator has no range)
        with pytest.raises(ValueError, match=r"must lie in \[0, 1\].*reached 0 to 255"):
            model.fit(_Batches(digits * 255), epochs=1, verbose=0)
    assert model.fit(_Batches(digits), epochs=1, verbose=0).epoch == [0]


class _PoisonMoment(keras.callbacks.Callback):
    """Before step 3 of epoch ``epoch`` (1-based), sets a moment of the model's first optimizer
    to NaN: that step's losses are computed before its update, so only its weights show the
    damage (as when a CPU's fused kernels keep the losses finite)."""

    def __init__(self, epoch: int = 1):
        super().__init__()
        self.epoch, self._now = epoch, 0

    def on_epoch_begin(self, epoch, logs=None):
        self._now = epoch + 1

    def on_train_batch_begin(self, batch, logs=None):
        if batch == 2 and self._now == self.epoch and not getattr(self, "done", False):
            self.done = True
            optimizer = _optimizers(self.model)[0]
            moment = next(
                v for v in optimizer.variables
                if len(v.shape) and tf.as_dtype(v.dtype).is_floating
            )  # fmt: skip
            moment.assign(np.full(moment.shape, np.nan, np.float32))


@pytest.mark.parametrize("jit", JIT)
@pytest.mark.parametrize("name", MODELS)
def test_a_step_that_leaves_a_weight_non_finite_stops_training_and_restores_the_epochs_start(
    name, jit, digits, autoencoder, tmp_path, capsys
):
    model = _built(build_small_model(name, autoencoder, digits, jit_compile=jit))
    at_start = _state(model)
    checkpoint = tmp_path / "last.weights.h5"
    history = model.fit(
        _unshuffled(digits, name),
        epochs=3,
        verbose=0,
        callbacks=[
            _PoisonMoment(),
            keras.callbacks.ModelCheckpoint(checkpoint, save_weights_only=True),
        ],
    )
    # fit added a StopOnNonFiniteLoss: it names the first bad step and what went non-finite
    # (a weight; or a loss, where a later phase of the same step read the NaN weight) ...
    assert re.search(
        r"(the variable \S+|\w+) is nan at epoch 1, step 3; training stopped",
        capsys.readouterr().out,
    )
    assert history.epoch == [0]
    # ... and the model and its optimizers are as they were when the epoch began.
    for before, now in zip(at_start, _state(model), strict=True):
        np.testing.assert_array_equal(now, before)
    saved = build_small_model(name, autoencoder, digits, seed=1)
    saved.load_weights(checkpoint)  # the checkpoint of that epoch: the restored weights
    for expected, got in zip(model.get_weights(), saved.get_weights(), strict=True):
        np.testing.assert_array_equal(got, expected)
    assert _all_finite(saved.get_weights())


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
    points = np.zeros((64, 2), np.float32)
    mine = StopOnNonFiniteLoss()
    gan.fit(points, batch_size=16, epochs=2, verbose=0, callbacks=[_PoisonMoment(), mine])
    assert mine.stopped[:2] == (1, 3)
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


@pytest.mark.parametrize("jit", JIT)
@pytest.mark.parametrize("name", MODELS)
def test_backup_and_restore_resumes_to_the_same_state(name, jit, digits, autoencoder, tmp_path):
    straight = build_small_model(name, autoencoder, digits, jit_compile=jit)
    straight.fit(_unshuffled(digits, name), epochs=3, verbose=0)

    backup = keras.callbacks.BackupAndRestore(str(tmp_path / "backup"))
    interrupted = build_small_model(name, autoencoder, digits, jit_compile=jit)
    with pytest.raises(RuntimeError, match="disconnected"):
        interrupted.fit(
            _unshuffled(digits, name), epochs=3, verbose=0, callbacks=[backup, _Disconnect(2, 3)]
        )
    resumed = build_small_model(name, autoencoder, digits, seed=1, jit_compile=jit)  # other weights
    history = resumed.fit(_unshuffled(digits, name), epochs=3, verbose=0, callbacks=[backup])
    assert history.epoch == [1, 2]  # epoch 2 again from its start, then epoch 3
    # Weights, optimizer moments and step counts, noise generators: all as if never stopped.
    for expected, got in zip(_state(straight), _state(resumed), strict=True):
        np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("name", MODELS)
def test_every_model_trains_under_xla_and_keeps_its_range_check(name, digits, autoencoder):
    # XLA (jit_compile=True, Keras's default on a GPU) drops tf.debugging.assert_* ops: the
    # range check runs on the host (an array) and in the input pipeline (a dataset).
    model = build_small_model(name, autoencoder, digits, jit_compile=True)
    history = model.fit(_unshuffled(digits, name), epochs=1, verbose=0)
    assert history.epoch == [0] and _all_finite(_state(model))
    value_range, _, role = model.expected_examples()
    if value_range is None:  # (the tests' small GAN has a linear generator: any finite values)
        assert name in ("gan", "wgan_gp")
        return
    pixels = digits * 255
    expected = (
        rf"must lie in \[{value_range[0]:g}, {value_range[1]:g}\], the output range of the {role}"
    )
    with pytest.raises(ValueError, match=expected + r".*they reached 0 to 255"):
        model.fit(pixels, batch_size=BATCH, epochs=1, verbose=0)
    with pytest.raises(ValueError, match=expected + r".*The batch reached 0 to 255"):
        model.fit(_unshuffled(pixels, name), epochs=1, verbose=0)


def test_the_weight_check_is_not_fooled_by_a_sum_that_overflows():
    # The guard sums every value (fast); an overflowing sum of finite values is confirmed value
    # by value and does not stop training, a NaN does.
    keras.utils.set_random_seed(0)
    gan = GAN(build_mlp_generator(4, 2, (16,)), build_mlp_discriminator(2, (16,)), seed=0)
    gan.compile(adam(), adam())
    guard = StopOnNonFiniteLoss()
    guard.set_model(gan)
    guard.on_train_begin()
    guard.on_epoch_begin(0)
    bias = gan.generator.trainable_variables[1]
    bias.assign(np.full(bias.shape, 3e38, np.float32))  # finite; their sum is not
    guard.on_train_batch_end(0, {"d_loss": 1.0})
    assert guard.stopped is None and not gan.stop_training
    bias.assign(np.full(bias.shape, np.nan, np.float32))
    guard.on_train_batch_end(1, {"d_loss": 1.0})
    assert guard.stopped[:3] == (1, 2, bias.path) and gan.stop_training


def test_an_epoch_rolled_back_by_the_guard_is_trained_again_when_the_run_resumes(
    digits, autoencoder, tmp_path
):
    # The guard puts the model back at the start of epoch 2; Keras's backup at that epoch's
    # end would record it as done (and delete itself, the run having "ended"): fit writes the
    # backup anew, so that running the same cell again redoes epoch 2 from its start.
    straight = build_small_model("gan", autoencoder, digits)
    straight.fit(_unshuffled(digits), epochs=3, verbose=0)

    backup = keras.callbacks.BackupAndRestore(str(tmp_path / "backup"))
    stopped = build_small_model("gan", autoencoder, digits)
    history = stopped.fit(
        _unshuffled(digits), epochs=3, verbose=0, callbacks=[backup, _PoisonMoment(epoch=2)]
    )
    assert history.epoch == [0, 1]  # epoch 2 stopped (and rolled back) at its step 3
    resumed = build_small_model("gan", autoencoder, digits, seed=1)
    history = resumed.fit(_unshuffled(digits), epochs=3, verbose=0, callbacks=[backup])
    assert history.epoch == [1, 2]
    for expected, got in zip(_state(straight), _state(resumed), strict=True):
        np.testing.assert_array_equal(got, expected)


def test_a_backup_in_the_middle_of_an_epoch_is_said_to_repeat_steps(digits, autoencoder, tmp_path):
    model = build_small_model("autoencoder", autoencoder, digits)
    backup = keras.callbacks.BackupAndRestore(str(tmp_path / "backup"), save_freq=2)
    with pytest.warns(UserWarning, match=r"trained twice.*save_freq='epoch'\) resumes exactly"):
        model.fit(_unshuffled(digits), epochs=1, verbose=0, callbacks=[backup])


@pytest.mark.parametrize("name", MODELS)
def test_load_weights_restores_the_optimizer_state_of_a_model_that_has_not_trained(
    name, digits, autoencoder, tmp_path
):
    # Keras skips the saved moments of an optimizer that is not built yet (a fresh compile):
    # training would go on with fresh ones. The models build it before loading.
    trained = build_small_model(name, autoencoder, digits)
    trained.fit(_unshuffled(digits, name), epochs=1, verbose=0)
    trained.save_weights(tmp_path / "trained.weights.h5")
    loaded = build_small_model(name, autoencoder, digits, seed=1)
    loaded.load_weights(tmp_path / "trained.weights.h5")
    for expected, got in zip(_state(trained), _state(loaded), strict=True):
        np.testing.assert_array_equal(got, expected)
