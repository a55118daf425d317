import keras
import numpy as np
import pytest
import tensorflow as tf

from aegan_tf import data, losses
from aegan_tf.models import VAE, build_dense_decoder, build_dense_encoder, reparameterize

LATENT = 3


@pytest.fixture(scope="module")
def images():
    return data.load("mnist", limit=256)[0]


def _vae(seed=0, **kwargs):
    keras.utils.set_random_seed(seed)
    return VAE(
        build_dense_encoder(2 * LATENT, hidden_units=(64,)),
        build_dense_decoder(LATENT, hidden_units=(64,)),
        seed=seed,
        **kwargs,
    )


def test_kl_matches_the_closed_form_and_a_monte_carlo_estimate():
    mean = np.array([[0.5, -1.0], [0.0, 0.0]], np.float32)
    log_var = np.array([[np.log(0.25), 0.0], [0.0, 0.0]], np.float32)
    kl = losses.kl_to_standard_normal(mean, log_var).numpy()
    by_hand = 0.5 * (0.25 + 0.25 - np.log(0.25) - 1) + 0.5 * (1.0 + 1 - 0 - 1)
    np.testing.assert_allclose(kl, [by_hand, 0.0], rtol=1e-6)
    # E_q[log q(z) - log p(z)] by sampling, for the first row
    rng = np.random.default_rng(0)
    sigma = np.exp(0.5 * log_var[0])
    z = mean[0] + sigma * rng.standard_normal((200_000, 2))
    log_q = -0.5 * (((z - mean[0]) / sigma) ** 2 + np.log(2 * np.pi * sigma**2)).sum(1)
    log_p = -0.5 * (z**2 + np.log(2 * np.pi)).sum(1)
    assert abs(np.mean(log_q - log_p) - kl[0]) < 0.01


def test_reparameterize_has_the_right_moments_and_gradients():
    mean = tf.Variable(tf.fill((20_000, 2), 3.0))
    log_var = tf.Variable(tf.fill((20_000, 2), np.log(4.0).astype(np.float32)))
    with tf.GradientTape() as tape:
        z = reparameterize(mean, log_var, seed=1)
        total = tf.reduce_sum(z)
    np.testing.assert_allclose(z.numpy().mean(axis=0), 3.0, atol=0.05)
    np.testing.assert_allclose(z.numpy().std(axis=0), 2.0, atol=0.05)
    d_mean, d_log_var = tape.gradient(total, [mean, log_var])
    np.testing.assert_allclose(d_mean.numpy(), 1.0)  # dz/dμ = 1
    epsilon = (z.numpy() - 3.0) / 2.0
    np.testing.assert_allclose(d_log_var.numpy(), 0.5 * 2.0 * epsilon, atol=1e-5)  # σε/2


def test_training_lowers_the_negative_elbo_and_evaluate_reports_it(images):
    vae = _vae()
    vae.compile(keras.optimizers.Adam(2e-3))
    logs = vae.fit(data.make_dataset(images, 64), epochs=6, verbose=0).history
    assert set(logs) == {"loss", "reconstruction", "kl"}
    assert logs["loss"][-1] < 0.6 * logs["loss"][0]
    np.testing.assert_allclose(
        np.array(logs["loss"]),
        np.array(logs["reconstruction"]) + np.array(logs["kl"]),
        rtol=1e-5,
    )
    held_out = vae.evaluate(images[:128], batch_size=64, verbose=0, return_dict=True)
    assert held_out["loss"] > 0 and held_out["kl"] > 0
    assert vae.encode(images[:4]).shape == (4, LATENT)
    assert vae.reconstruct(images[:4]).shape == (4, 28, 28, 1)
    samples = vae.generate(6, seed=2)
    np.testing.assert_allclose(samples, vae.decoder(vae.sample_noise(6, seed=2)).numpy(), atol=1e-6)


def test_validation_does_not_change_training(images):
    # Evaluation draws its z from a noise stream of its own: validation_data (or an evaluate
    # between two fits) leaves the training run exactly as without it.
    batches = tf.data.Dataset.from_tensor_slices(images[:128]).batch(32)
    plain, validated = _vae(), _vae()
    for vae in (plain, validated):
        vae.compile(keras.optimizers.Adam(2e-3))
    plain.fit(batches, epochs=2, verbose=0)
    logs = validated.fit(batches, epochs=2, verbose=0, validation_data=batches).history
    assert "val_loss" in logs
    for expected, got in zip(plain.get_weights(), validated.get_weights(), strict=True):
        np.testing.assert_array_equal(got, expected)


def test_beta_weights_the_kl_term(images):
    vae = _vae(beta=0.0)
    vae.compile()
    terms = vae.negative_elbo(images[:32])
    np.testing.assert_allclose(terms["loss"].numpy(), terms["reconstruction"].numpy())


def test_saved_vae_reproduces_samples_and_resumes_with_its_optimizer(images, tmp_path):
    vae = _vae(beta=2.0, reconstruction="mse")
    vae.compile(keras.optimizers.Adam(3e-3))
    vae.fit(images, batch_size=64, epochs=1, verbose=0)
    vae.save(tmp_path / "vae.keras")
    loaded = keras.models.load_model(tmp_path / "vae.keras")
    assert (loaded.beta, loaded.reconstruction) == (2.0, "mse")
    np.testing.assert_array_equal(loaded.generate(5, seed=1), vae.generate(5, seed=1))
    assert int(loaded.optimizer.iterations) == 4
    np.testing.assert_allclose(float(loaded.optimizer.learning_rate), 3e-3)
    loaded.fit(images, batch_size=64, epochs=1, verbose=0)
    assert int(loaded.optimizer.iterations) == 8


def test_clear_errors(images):
    with pytest.raises(ValueError, match=r"\(N, 2 \* latent_dim\).*Build the encoder with 2"):
        VAE(build_dense_encoder(LATENT), build_dense_decoder(LATENT))
    with pytest.raises(ValueError, match="decoder output shape"):
        VAE(build_dense_encoder(2 * LATENT), build_dense_decoder(LATENT, (32, 32, 1)))
    with pytest.raises(ValueError, match="beta must be >= 0"):
        _vae(beta=-1.0)
    with pytest.raises(ValueError, match="reconstruction must be one of"):
        _vae(reconstruction="l2")
    vae = _vae()
    with pytest.raises(TypeError, match=r"takes no \['loss'\]: the loss is the negative ELBO"):
        vae.compile("adam", loss="mse")
    vae.compile()
    with pytest.raises(ValueError, match=r"shape \(N, 28, 28, 1\), got shape \(None, 14, 14, 1\)"):
        vae.fit(np.zeros((8, 14, 14, 1), np.float32), epochs=1, verbose=0)
