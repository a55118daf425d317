import keras
import numpy as np
import pytest
import tensorflow as tf

from aegan_tf import data
from aegan_tf.models import (
    GAN,
    GAN_LOSSES,
    AdversarialObjective,
    build_dcgan_discriminator,
    build_dcgan_generator,
    build_mlp_discriminator,
    build_mlp_generator,
)


def _toy_gan(seed=0):
    keras.utils.set_random_seed(seed)
    return GAN(build_mlp_generator(4, 2, (16,)), build_mlp_discriminator(2, (16,)), seed=seed)


def _adam():
    return keras.optimizers.Adam(1e-3)


POINTS = np.random.default_rng(0).normal(size=(64, 2)).astype(np.float32)


def test_dcgan_builders_have_the_tutorial_shapes():
    generator = build_dcgan_generator(100)
    discriminator = build_dcgan_discriminator()
    assert generator.output_shape == (None, 28, 28, 1)
    assert discriminator.output_shape == (None, 1)
    images = keras.ops.convert_to_numpy(generator(np.ones((3, 100), np.float32) * 5))
    assert images.shape == (3, 28, 28, 1) and np.abs(images).max() <= 1.0
    shapes = [layer.output.shape for layer in generator.layers if "transpose" in layer.name]
    assert [tuple(s[1:]) for s in shapes] == [(7, 7, 128), (14, 14, 64), (28, 28, 1)]
    assert build_dcgan_generator(16, (32, 32, 3)).output_shape == (None, 32, 32, 3)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: build_dcgan_generator(100, (30, 30, 1)), ValueError, "divisible by 4"),
        (lambda: build_dcgan_generator(100, filters=(64, 32)), ValueError, "3 entries"),
        (lambda: build_dcgan_discriminator(dropout=1.0), ValueError, "dropout"),
        (lambda: build_mlp_generator(0, 2), ValueError, "latent_dim"),
        (lambda: build_mlp_discriminator(2.0), TypeError, "data_dim"),
    ],
)
def test_gan_builders_reject_bad_arguments(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_gan_rejects_mismatched_networks():
    noise, label = keras.Input((4,)), keras.Input((3,))
    two_inputs = keras.Model(
        [noise, label], keras.layers.Dense(2)(keras.ops.concatenate([noise, label], axis=1))
    )
    with pytest.raises(ValueError, match=r"must take \[\(None, 2\), \(None, 3\)\] \(what the gen"):
        GAN(two_inputs, build_mlp_discriminator(2))  # (read as a conditional generator)
    with pytest.raises(ValueError, match=r"must take \(None, 3\) \(what the generator makes\)"):
        GAN(build_mlp_generator(4, 3), build_mlp_discriminator(2))
    with pytest.raises(ValueError, match="one logit per example"):
        GAN(build_mlp_generator(4, 2), build_mlp_generator(2, 2))
    with pytest.raises(TypeError, match="generator must be a keras"):
        GAN("generator", build_mlp_discriminator(2))


def test_compile_rejects_bad_arguments():
    gan = _toy_gan()
    with pytest.raises(ValueError, match=r"Unknown GAN loss 'wgan'; choose one of \('nonsat"):
        gan.compile(_adam(), _adam(), loss="wgan")
    with pytest.raises(ValueError, match="d_steps must be >= 1"):
        gan.compile(_adam(), _adam(), d_steps=0)
    with pytest.raises(ValueError, match="2 different optimizer objects"):
        opt = _adam()
        gan.compile(opt, opt)
    with pytest.raises(ValueError, match="label_smoothing applies"):
        gan.compile(_adam(), _adam(), loss="hinge", label_smoothing=0.1)
    with pytest.raises(ValueError, match="gp_weight must be a finite number >= 0"):
        gan.compile(_adam(), _adam(), gp_weight=-1.0)
    with pytest.raises(ValueError, match="gp_weight must be a finite number >= 0, got nan"):
        gan.compile(_adam(), _adam(), gp_weight=float("nan"))
    with pytest.raises(ValueError, match=r"label_smoothing must be in \[0, 1\), got 1.5"):
        gan.compile(_adam(), _adam(), label_smoothing=1.5)  # at compile, not at the first step
    with pytest.raises(ValueError, match="either to the AdversarialObjective or to compile"):
        gan.compile(_adam(), _adam(), loss=AdversarialObjective("wgan-gp"), gp_weight=5.0)


@pytest.mark.parametrize("loss", list(GAN_LOSSES))
def test_one_step_changes_both_networks(loss):
    gan = _toy_gan()
    gan.compile(_adam(), _adam(), loss=loss)
    g_before = [w.numpy().copy() for w in gan.generator.trainable_weights]
    d_before = [w.numpy().copy() for w in gan.discriminator.trainable_weights]
    logs = gan.train_on_batch(POINTS, return_dict=True)
    assert set(logs) == {"d_loss", "g_loss", "d_real", "d_fake"}
    assert all(np.isfinite(v) for v in logs.values())
    for before, net in ((g_before, gan.generator), (d_before, gan.discriminator)):
        after = [w.numpy() for w in net.trainable_weights]
        assert any(not np.array_equal(a, b) for a, b in zip(before, after, strict=True))


def test_d_steps_per_g_step_is_honoured():
    gan = _toy_gan()
    gan.compile(_adam(), _adam(), loss="wgan-gp", d_steps=3)
    gan.fit(tf.data.Dataset.from_tensor_slices(POINTS).batch(16), epochs=2, verbose=0)
    assert int(gan.g_optimizer.iterations) == 2 * 4
    assert int(gan.d_optimizer.iterations) == 3 * 2 * 4


def test_fit_ends_with_the_moving_average_of_an_ema_optimizer():
    gan = _toy_gan()
    g_optimizer = keras.optimizers.Adam(1e-2, use_ema=True, ema_momentum=0.9)
    gan.compile(_adam(), g_optimizer)
    batches = tf.data.Dataset.from_tensor_slices(POINTS).batch(16)
    d_before = [w.numpy().copy() for w in gan.discriminator.trainable_weights]
    gan.fit(batches, epochs=2, verbose=0)
    averages = [v.numpy() for v in g_optimizer._model_variables_moving_average]
    for weight, average in zip(gan.generator.trainable_weights, averages, strict=True):
        np.testing.assert_array_equal(weight.numpy(), average)
    # the discriminator's optimizer keeps no average: its last weights stay
    last_d = [w.numpy() for w in gan.discriminator.trainable_weights]
    assert any(not np.array_equal(a, b) for a, b in zip(d_before, last_d, strict=True))
    plain = _toy_gan()
    plain.compile(_adam(), keras.optimizers.Adam(1e-2))
    plain.fit(batches, epochs=2, verbose=0)
    # the same seeds and steps: only the averaging differs
    assert not np.allclose(plain.generator.trainable_weights[0].numpy(), averages[0])


def test_probabilities_are_logged_for_the_bce_losses():
    gan = _toy_gan()
    gan.compile(_adam(), _adam())
    logs = gan.train_on_batch(POINTS, return_dict=True)
    assert 0.0 < logs["d_real"] < 1.0 and 0.0 < logs["d_fake"] < 1.0


def test_fit_on_a_tiny_image_dataset_with_labels():
    images, labels = data.load("mnist", value_range=(-1.0, 1.0), limit=64)
    gan = GAN(
        build_dcgan_generator(8, filters=(16, 8, 8)), build_dcgan_discriminator(filters=(8, 8))
    )
    gan.compile(keras.optimizers.Adam(2e-4, beta_1=0.5), keras.optimizers.Adam(2e-4, beta_1=0.5))
    history = gan.fit(data.make_dataset(images, 32, labels=labels), epochs=2, verbose=0)
    assert len(history.history["d_loss"]) == 2
    assert gan.generate(5, seed=1).shape == (5, 28, 28, 1)


def test_generate_is_repeatable_for_a_seed():
    gan = _toy_gan()
    np.testing.assert_array_equal(gan.generate(10, seed=3), gan.generate(10, seed=3))
    assert not np.array_equal(gan.generate(10, seed=3), gan.generate(10, seed=4))
    assert gan.generate(300, seed=0, batch_size=128).shape == (300, 2)


def test_uniform_prior_in_training_and_in_generate(tmp_path):
    keras.utils.set_random_seed(0)
    identity = keras.Sequential([keras.Input((2,)), keras.layers.Identity()])
    gan = GAN(identity, build_mlp_discriminator(2, (16,)), seed=0, prior="uniform")
    z = gan._noise(4096).numpy()  # what train_step draws
    assert np.abs(z).max() <= 1.0 and abs(z.std() - 3**-0.5) < 0.02
    samples = gan.generate(4096, seed=1)  # G is the identity: the noise itself
    assert np.abs(samples).max() <= 1.0 and abs(samples.std() - 3**-0.5) < 0.02
    gan.compile(_adam(), _adam(), jit_compile=True)
    gan.fit(POINTS, batch_size=16, epochs=1, verbose=0)
    gan.save(tmp_path / "uniform.keras")
    assert keras.models.load_model(tmp_path / "uniform.keras").prior == "uniform"
    with pytest.raises(ValueError, match=r"prior must be one of \('normal', 'uniform'\)"):
        GAN(identity, build_mlp_discriminator(2, (16,)), prior="gaussian")


def test_saved_gan_reproduces_samples_and_resumes_training(tmp_path):
    gan = _toy_gan()
    gan.compile(keras.optimizers.Adam(1e-3, beta_1=0.5), _adam(), loss="hinge", d_steps=2)
    ds = tf.data.Dataset.from_tensor_slices(POINTS).batch(16)
    gan.fit(ds, epochs=1, verbose=0)
    path = tmp_path / "gan.keras"
    gan.save(path)
    loaded = keras.models.load_model(path)
    np.testing.assert_array_equal(loaded.generate(8, seed=5), gan.generate(8, seed=5))
    assert loaded.objective.loss == "hinge" and loaded.d_steps == 2
    assert float(loaded.d_optimizer.beta_1) == 0.5
    assert int(loaded.g_optimizer.iterations) == 4 and int(loaded.d_optimizer.iterations) == 8
    for a, b in zip(loaded.d_optimizer.variables, gan.d_optimizer.variables, strict=True):
        np.testing.assert_array_equal(a.numpy(), b.numpy())  # Adam moments restored
    loaded.fit(ds, epochs=1, verbose=0)
    assert int(loaded.g_optimizer.iterations) == 8


def test_discriminate_reports_probabilities_or_raw_scores():
    gan = _toy_gan()
    raw = gan.discriminate(POINTS, batch_size=16)  # before compile: raw scores
    assert raw.shape == (64,) and (raw < 0).any()
    gan.compile(_adam(), _adam())
    probs = gan.discriminate(POINTS, batch_size=16)
    np.testing.assert_allclose(probs, 1 / (1 + np.exp(-raw)), rtol=1e-5)


def test_label_smoothing_changes_the_discriminator_loss():
    from aegan_tf import losses

    zeros = tf.zeros((4, 1))
    smoothed = losses.minimax_discriminator_loss(zeros + 5.0, zeros, label_smoothing=0.1)
    plain = losses.minimax_discriminator_loss(zeros + 5.0, zeros)
    # a confident real logit of 5 costs more with target 0.9: 0.1 * softplus(5) more
    assert float(smoothed - plain) == pytest.approx(
        0.1 * (np.log1p(np.exp(5)) - np.log1p(np.exp(-5))), rel=1e-4
    )
    with pytest.raises(ValueError, match="label_smoothing"):
        losses.minimax_discriminator_loss(zeros, zeros, label_smoothing=1.0)


@pytest.mark.parametrize("policy", ["mixed_float16", "mixed_bfloat16"])
def test_mixed_precision_training_step(policy):
    keras.config.set_dtype_policy(policy)
    try:
        gan = _toy_gan()
        gan.compile(_adam(), _adam())
        logs = gan.train_on_batch(POINTS, return_dict=True)
        scaled = isinstance(gan.d_optimizer, keras.optimizers.LossScaleOptimizer)
        assert scaled == (policy == "mixed_float16")  # float16 needs loss scaling
        assert all(np.isfinite(v) for v in logs.values())
        assert gan.generate(4).dtype == np.float32  # outputs stay float32
    finally:
        keras.config.set_dtype_policy("float32")


def test_interrupted_training_resumes_from_a_checkpoint(tmp_path):
    ds = tf.data.Dataset.from_tensor_slices(POINTS).batch(16)
    path = tmp_path / "checkpoint.keras"
    gan = _toy_gan()
    gan.compile(_adam(), _adam())
    checkpoint = keras.callbacks.ModelCheckpoint(path)  # saves after every epoch
    gan.fit(ds, epochs=2, verbose=0, callbacks=[checkpoint])  # "interrupted" after epoch 2
    resumed = keras.models.load_model(path)
    history = resumed.fit(ds, initial_epoch=2, epochs=3, verbose=0)
    assert int(resumed.g_optimizer.iterations) == 3 * 4 and len(history.history["g_loss"]) == 1


def test_objective_is_checked_when_made_and_saved_with_the_model():
    objective = AdversarialObjective("nonsaturating", r1_weight=2.0, label_smoothing=0.1)
    again = keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(objective))
    assert again == objective and again.gp_weight == 0.0
    assert AdversarialObjective("wgan-gp").gp_weight == 10.0  # the paper's lambda by default
    with pytest.raises(ValueError, match="label_smoothing applies to the"):
        AdversarialObjective("lsgan", label_smoothing=0.1)
    with pytest.raises(TypeError, match="r1_weight must be a number, got str"):
        AdversarialObjective(r1_weight="10")


def test_keras_entry_points_without_meaning_for_a_game_say_what_to_use():
    gan = _toy_gan()
    with pytest.raises(TypeError, match=r"does not take \['metrics'\].*QualityMetrics"):
        gan.compile(_adam(), _adam(), metrics=["accuracy"])
    gan.compile(_adam(), _adam())
    with pytest.raises(TypeError, match=r"no evaluation loss.*aegan_tf\.metrics"):
        gan.evaluate(POINTS)
    with pytest.raises(TypeError, match=r"no validation_data.*QualityMetrics"):
        gan.fit(POINTS, validation_data=POINTS, epochs=1, verbose=0)
    assert int(gan.d_optimizer.iterations) == 0  # refused before any training


def test_keras_compile_arguments_survive_saving(tmp_path):
    gan = _toy_gan()
    gan.compile(_adam(), _adam(), loss="lsgan", jit_compile=False, steps_per_execution=2)
    gan.fit(POINTS, batch_size=16, epochs=1, verbose=0)
    gan.save(tmp_path / "gan.keras")
    loaded = keras.models.load_model(tmp_path / "gan.keras")
    assert loaded.steps_per_execution == 2 and loaded.jit_compile is False
    assert loaded.objective == AdversarialObjective("lsgan")


class _StopAtEpoch(keras.callbacks.Callback):
    def __init__(self, epoch):
        super().__init__()
        self.epoch = epoch

    def on_epoch_begin(self, epoch, logs=None):
        if epoch == self.epoch:
            raise RuntimeError("interrupted")


def test_backup_and_restore_resumes_with_the_optimizer_state(tmp_path):
    ds = tf.data.Dataset.from_tensor_slices(POINTS).batch(16)  # 4 steps per epoch
    backup = str(tmp_path / "backup")
    gan = _toy_gan()
    gan.compile(_adam(), _adam())
    with pytest.raises(RuntimeError, match="interrupted"):
        gan.fit(
            ds,
            epochs=3,
            verbose=0,
            callbacks=[keras.callbacks.BackupAndRestore(backup), _StopAtEpoch(2)],
        )
    resumed = _toy_gan(seed=1)  # a new session: fresh weights, then the backup
    resumed.compile(_adam(), _adam())
    history = resumed.fit(
        ds, epochs=3, verbose=0, callbacks=[keras.callbacks.BackupAndRestore(backup)]
    )
    assert len(history.history["d_loss"]) == 1  # only epoch 3 was left
    # 3 epochs of 4 steps, as uninterrupted: the optimizers' state was restored, not restarted
    assert int(resumed.d_optimizer.iterations) == 12 and int(resumed.g_optimizer.iterations) == 12


def test_objective_takes_a_discriminator_of_two_inputs():
    # BiGAN's discriminator judges pairs (x, z); the objective and its penalties take tuples
    x_in, z_in = keras.Input((2,)), keras.Input((3,))
    hidden = keras.layers.Dense(8, activation="relu")(keras.ops.concatenate([x_in, z_in], 1))
    pair_discriminator = keras.Model([x_in, z_in], keras.layers.Dense(1)(hidden))
    real = (tf.constant(POINTS[:8]), tf.ones((8, 3)))
    fake = (tf.constant(POINTS[8:16]), tf.zeros((8, 3)))
    plain = AdversarialObjective("wgan-gp", gp_weight=0.0)
    penalised = AdversarialObjective("wgan-gp", r1_weight=1.0)  # gp 10 and R1 1
    loss, real_logits, fake_logits = plain.discriminator_loss(pair_discriminator, real, fake)
    assert real_logits.shape == (8, 1) and fake_logits.shape == (8, 1)
    expected = float(tf.reduce_mean(fake_logits) - tf.reduce_mean(real_logits))
    assert float(loss) == pytest.approx(expected, rel=1e-5)
    heavier, _, _ = penalised.discriminator_loss(pair_discriminator, real, fake)
    assert float(heavier) > float(loss)  # the penalties were added, over both inputs


def test_joint_and_conditional_discriminators_take_two_inputs():
    from aegan_tf.models import build_joint_discriminator

    joint = build_joint_discriminator(8)
    assert [tuple(t.shape) for t in joint.inputs] == [(None, 28, 28, 1), (None, 8)]
    logits = joint([np.zeros((2, 28, 28, 1), np.float32), np.zeros((2, 8), np.float32)])
    assert logits.shape == (2, 1)
    conditional = build_mlp_discriminator(3, (8,), condition_dim=10)
    assert [tuple(t.shape) for t in conditional.inputs] == [(None, 3), (None, 10)]
    with pytest.raises(ValueError, match="divisible by 4"):
        build_joint_discriminator(8, image_shape=(30, 30, 1))
