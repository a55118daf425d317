import keras
import numpy as np
import pytest
import tensorflow as tf

from aegan_tf import data
from aegan_tf.models import (
    AdversarialObjective,
    BiGAN,
    build_conv_decoder,
    build_conv_encoder,
    build_joint_discriminator,
    build_mlp_discriminator,
)

LATENT = 4
NETWORKS = ("encoder", "generator", "discriminator")


@pytest.fixture(scope="module")
def images():
    return data.load("mnist", limit=128)[0]


def _bigan(seed=0):
    keras.utils.set_random_seed(seed)
    return BiGAN(
        build_conv_encoder(LATENT, filters=(8, 16)),
        build_conv_decoder(LATENT, filters=(16, 8)),
        build_joint_discriminator(LATENT, filters=(8, 16), hidden_units=(32,)),
        seed=seed,
    )


def test_swapped_loss_is_the_nonsaturating_form_for_both_players():
    real, fake = tf.constant([0.3, -1.2]), tf.constant([2.0, 0.1])
    softplus = tf.nn.softplus
    expected = tf.reduce_mean(softplus(real)) + tf.reduce_mean(softplus(-fake))
    for loss in ("nonsaturating", "minimax"):
        got = AdversarialObjective(loss, label_smoothing=0.1).swapped_loss(real, fake)
        np.testing.assert_allclose(got, expected, rtol=1e-6)  # no smoothing for E and G
    wgan = AdversarialObjective("wgan-gp").swapped_loss(real, fake)
    np.testing.assert_allclose(wgan, tf.reduce_mean(real) - tf.reduce_mean(fake), rtol=1e-6)


def test_discriminator_step_and_encoder_generator_step_move_their_networks(images, changed):
    bigan = _bigan()
    bigan.compile(keras.optimizers.Adam(1e-3), keras.optimizers.SGD(0.0))
    before = changed(bigan, NETWORKS)
    logs = bigan.fit(images[:32], batch_size=32, epochs=1, verbose=0).history
    assert before() == {"discriminator"}
    assert set(logs) == {"d_loss", "g_loss", "d_real", "d_fake"}
    bigan = _bigan()
    bigan.compile(keras.optimizers.SGD(0.0), keras.optimizers.Adam(1e-3))
    before = changed(bigan, NETWORKS)
    bigan.fit(images[:32], batch_size=32, epochs=1, verbose=0)
    assert before() == {"encoder", "generator"}


def test_shapes_and_save_load(images, tmp_path):
    bigan = _bigan()
    bigan.compile(keras.optimizers.Adam(1e-3), keras.optimizers.Adam(1e-3), r1_weight=1.0)
    bigan.fit(data.make_dataset(images, 64), epochs=1, verbose=0)
    assert bigan.encode(images[:3]).shape == (3, LATENT)
    reconstructed = bigan.reconstruct(images[:3])
    np.testing.assert_allclose(
        reconstructed, bigan.generator(bigan.encoder(images[:3])).numpy(), atol=1e-6
    )
    bigan.save(tmp_path / "bigan.keras")
    loaded = keras.models.load_model(tmp_path / "bigan.keras")
    assert loaded.objective.r1_weight == 1.0
    np.testing.assert_array_equal(loaded.generate(4, seed=2), bigan.generate(4, seed=2))
    loaded.fit(images, batch_size=64, epochs=1, verbose=0)
    assert int(loaded.g_optimizer.iterations) == 4


def test_clear_errors():
    encoder, generator = build_conv_encoder(LATENT), build_conv_decoder(LATENT)
    with pytest.raises(ValueError, match=r"generator input \(3,\) must equal the encoder's output"):
        BiGAN(encoder, build_conv_decoder(3), build_joint_discriminator(LATENT))
    with pytest.raises(ValueError, match=r"must take \[images \(28, 28, 1\), codes \(4,\)\]"):
        BiGAN(encoder, generator, build_mlp_discriminator(LATENT))
    with pytest.raises(ValueError, match=r"generator output \(32, 32, 1\)"):
        BiGAN(encoder, build_conv_decoder(LATENT, (32, 32, 1)), build_joint_discriminator(LATENT))
    x, z = keras.Input((28, 28, 1)), keras.Input((LATENT,))
    pairs = keras.layers.Concatenate()([keras.layers.Flatten()(x), z])
    two_logits = keras.Model([x, z], keras.layers.Dense(2)(pairs))
    with pytest.raises(ValueError, match=r"one logit per example, \(N, 1\); got \(None, 2\)"):
        BiGAN(encoder, generator, two_logits)
    bigan = BiGAN(encoder, generator, build_joint_discriminator(LATENT))
    with pytest.raises(ValueError, match="must be 2 different optimizer objects"):
        adam = keras.optimizers.Adam()
        bigan.compile(adam, adam)


def test_uniform_prior_draws_in_the_cube_trains_and_is_saved(images, tmp_path):
    keras.utils.set_random_seed(0)
    bigan = BiGAN(
        build_conv_encoder(LATENT, filters=(8, 16)),
        build_conv_decoder(LATENT, filters=(16, 8), output_activation="sigmoid"),
        build_joint_discriminator(LATENT, filters=(8, 16), hidden_units=(32,)),
        seed=0,
        prior="uniform",
    )
    _, (_, z) = bigan._pairs(images[: 512 // 4].repeat(8, axis=0))  # 1,024 draws in training
    z = z.numpy()
    assert np.abs(z).max() <= 1.0 and abs(z.std() - 3**-0.5) < 0.02  # U(-1, 1): std 1/√3
    noise = bigan.sample_noise(1000, seed=1)
    assert np.abs(noise).max() <= 1.0 and abs(noise.std() - 3**-0.5) < 0.02
    bigan.compile(keras.optimizers.Adam(1e-3), keras.optimizers.Adam(1e-3), jit_compile=True)
    logs = bigan.fit(images, batch_size=64, epochs=1, verbose=0).history
    assert np.isfinite(logs["d_loss"][0]) and np.isfinite(logs["g_loss"][0])
    bigan.save(tmp_path / "uniform.keras")
    loaded = keras.models.load_model(tmp_path / "uniform.keras")
    assert loaded.prior == "uniform"
    np.testing.assert_array_equal(loaded.sample_noise(5, seed=3), bigan.sample_noise(5, seed=3))
    with pytest.raises(ValueError, match=r"prior must be one of \('normal', 'uniform'\), got 'u'"):
        BiGAN(bigan.encoder, bigan.generator, bigan.discriminator, prior="u")
