"""Latent diffusion: the schedule, the time features and the samplers' arithmetic (against a
denoiser that knows the answer), training on codes, and its checks and saving."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from aegan_tf import data
from aegan_tf.models import LatentDiffusion, build_mlp_denoiser
from aegan_tf.models.latent_diffusion import (
    linear_beta_schedule,
    sampling_timesteps,
    timestep_embedding,
)

TIME_DIM = 16


def test_the_schedule_the_time_features_and_the_visited_steps():
    betas = linear_beta_schedule(1000)
    assert betas.shape == (1000,) and betas[0] == 1e-4 and betas[-1] == pytest.approx(0.02)
    alpha_bar = np.cumprod(1 - betas)
    assert alpha_bar[-1] < 1e-4  # x_T is almost pure noise (Ho et al.: about 4e-5)
    with pytest.raises(ValueError, match="0 < beta_start <= beta_end < 1"):
        linear_beta_schedule(10, 0.1, 0.01)
    features = timestep_embedding(tf.constant([0, 5, 999]), 8).numpy()
    assert features.shape == (3, 8)
    np.testing.assert_allclose(features[0], [0, 0, 0, 0, 1, 1, 1, 1], atol=1e-7)
    np.testing.assert_allclose(features[1, 0], np.sin(5.0), atol=1e-6)  # frequency 1 first
    with pytest.raises(ValueError, match="must be even, got 7"):
        timestep_embedding(tf.constant([1]), 7)
    np.testing.assert_array_equal(sampling_timesteps(10, 10), np.arange(10)[::-1])
    visited = sampling_timesteps(1000, 50)
    assert len(visited) == 50 and visited[0] == 999 and visited[-1] == 0
    assert np.all(np.diff(visited) < 0)
    with pytest.raises(ValueError, match=r"sampling_steps must be a whole number in \[1, 10\]"):
        sampling_timesteps(10, 11)


def _perfect_denoiser(alpha_bars: np.ndarray, code_dim: int) -> keras.Model:
    """The exact noise predictor for codes that are N(0, I) once standardised: then
    ``x_t ~ N(0, I)`` and ``E[ε | x_t] = sqrt(1 - ᾱ_t) x_t``. It reads ``t`` back from the
    lowest frequency of the time features."""
    half = TIME_DIM // 2
    lowest = float(np.exp(-np.log(1e4) * (half - 1) / half))
    alpha_bars = tf.constant(alpha_bars, tf.float32)

    def noise(inputs):
        x, features = inputs
        t = tf.cast(tf.round(tf.asin(features[:, half - 1]) / lowest), tf.int32)
        return tf.sqrt(1.0 - tf.gather(alpha_bars, t))[:, None] * x

    noisy, time = keras.Input((code_dim,)), keras.Input((TIME_DIM,))
    return keras.Model([noisy, time], keras.layers.Lambda(noise)([noisy, time]))


@pytest.mark.parametrize("sampler", ["ancestral", "ddim"])
def test_with_the_exact_noise_each_sampler_draws_the_data_and_fewer_steps_shrink_it(
    sampler, autoencoder, images
):
    steps = 1000
    alpha_bars = np.cumprod(1 - linear_beta_schedule(steps))
    model = LatentDiffusion.from_autoencoder(
        autoencoder, _perfect_denoiser(alpha_bars, 4), diffusion_steps=steps, sampler=sampler
    )
    model.adapt(images)

    def spread(sampling_steps):
        model.sampling_steps = sampling_steps
        codes = model.generate_codes(4000, seed=0)
        standard = keras.ops.convert_to_numpy(model.standardize(codes))
        assert np.abs(standard.mean(axis=0)).max() < 0.06
        return standard.std(axis=0)

    all_steps = spread(steps)
    np.testing.assert_allclose(all_steps, 1.0, atol=0.04)  # N(0, I): measured 0.99 to 1.01
    few = spread(10)  # a coarse chain underestimates each step's variance: 0.72 / 0.81
    assert np.all(few < 0.9), few


@pytest.mark.parametrize("sampler", ["ancestral", "ddim"])
def test_a_chain_that_would_overflow_stays_bounded_and_draws_finite_images(
    sampler, autoencoder, images
):
    noisy, time = keras.Input((4,)), keras.Input((TIME_DIM,))
    runaway = keras.layers.Lambda(lambda inputs: -100.0 * inputs[0])([noisy, time])
    model = LatentDiffusion.from_autoencoder(  # each ancestral step doubles x, or more
        autoencoder, keras.Model([noisy, time], runaway), diffusion_steps=1000, sampler=sampler
    )
    model.adapt(images)
    standard = keras.ops.convert_to_numpy(model.standardize(model.generate_codes(50, seed=0)))
    bound = LatentDiffusion.CHAIN_BOUND
    assert np.isfinite(standard).all() and np.abs(standard).max() <= bound * (1 + 1e-5)
    if sampler == "ancestral":  # 2^1000 overflows float32: the bound held it
        assert np.abs(standard).max() == pytest.approx(bound, rel=1e-5)
    assert np.isfinite(model.generate(5, seed=0)).all()


def test_a_denoiser_trained_on_codes_draws_codes_like_them(autoencoder, images):
    model = LatentDiffusion.from_autoencoder(
        autoencoder, build_mlp_denoiser(4, (64, 64), TIME_DIM), diffusion_steps=100, seed=0
    )
    model.adapt(images)
    model.compile(keras.optimizers.Adam(3e-3))
    codes = model.encode(images)
    history = model.fit(codes, batch_size=64, epochs=60, verbose=0).history["loss"]
    late = np.mean(history[-10:])  # measured 0.67 (much of the noise at small t is unknowable)
    assert late < 0.8 * history[0], history  # 1.0: a denoiser that predicts nothing
    drawn = keras.ops.convert_to_numpy(model.standardize(model.generate_codes(1000, seed=1)))
    standard = keras.ops.convert_to_numpy(model.standardize(codes))
    assert np.abs(drawn.mean(axis=0) - standard.mean(axis=0)).max() < 0.3
    np.testing.assert_allclose(drawn.std(axis=0), standard.std(axis=0), rtol=0.3)
    samples = model.generate(5, seed=2)
    assert samples.shape == (5, 28, 28, 1)
    np.testing.assert_array_equal(samples, model.generate(5, seed=2))
    assert not np.array_equal(samples, model.generate(5, seed=3))
    model.sampler = "ddim"
    z = model.sample_noise(3, seed=4)
    np.testing.assert_array_equal(model.generate_from(z), model.generate_from(z))


def test_settings_are_checked_and_saved(autoencoder, images, tmp_path):
    denoiser = build_mlp_denoiser(4, (8,), TIME_DIM)
    with pytest.raises(ValueError, match=r"denoiser must take \[noisy codes \(N, 4\)"):
        LatentDiffusion.from_autoencoder(autoencoder, build_mlp_denoiser(3, (8,), TIME_DIM))
    with pytest.raises(ValueError, match="time features must be even, got 5"):
        LatentDiffusion.from_autoencoder(autoencoder, build_mlp_denoiser(4, (8,), 5))
    with pytest.raises(TypeError, match="autoencoder must be an Autoencoder"):
        LatentDiffusion.from_autoencoder(autoencoder.encoder, denoiser)
    model = LatentDiffusion.from_autoencoder(autoencoder, denoiser, diffusion_steps=20, seed=0)
    with pytest.raises(ValueError, match="sampler must be one of"):
        model.sampler = "euler"
    with pytest.raises(ValueError, match=r"in \[1, 20\]"):
        model.sampling_steps = 21
    with pytest.raises(TypeError, match=r"takes no \['loss'\]: the loss is the mean squared"):
        model.compile("adam", loss="mse")
    model.compile(keras.optimizers.Adam(1e-3))
    with pytest.raises(ValueError, match=r"Call adapt\(train_images\) before fit"):
        model.fit(images, epochs=1, verbose=0)
    model.adapt(images)
    model.fit(data.make_dataset(images, 64, seed=0), epochs=1, verbose=0)
    model.sampler, model.sampling_steps = "ddim", 5
    model.save(tmp_path / "diffusion.keras")
    loaded = keras.models.load_model(tmp_path / "diffusion.keras")
    assert (loaded.sampler, loaded.sampling_steps, loaded.diffusion_steps) == ("ddim", 5, 20)
    np.testing.assert_array_equal(loaded.generate(4, seed=1), model.generate(4, seed=1))
    assert loaded.optimizer.iterations.numpy() == model.optimizer.iterations.numpy() > 0
