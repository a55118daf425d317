"""Bad input is refused with a message naming what was expected and what came (issue 11):
metrics, the data helpers and ``fit`` never turn a mistake into a plausible number."""

import warnings

import keras
import numpy as np
import pytest
import tensorflow as tf
from small_models import MODELS, VARIANTS, build_small_model

from aegan_tf import data, latent, losses, metrics, viz
from aegan_tf.callbacks import SampleGrid
from aegan_tf.metrics import class_report, fid, kid, precision_recall
from aegan_tf.models import (
    GAN,
    VAE,
    Autoencoder,
    DecodedGaussianMixture,
    LatentGAN,
    build_conv_decoder,
    build_dcgan_discriminator,
    build_dcgan_generator,
    build_dense_decoder,
    build_dense_encoder,
    build_mlp_discriminator,
    build_mlp_generator,
)
from aegan_tf.models.autoencoder import encode_checked


@pytest.fixture(scope="module")
def unit_digits():
    return data.load("mnist", limit=200)[0]  # (200, 28, 28, 1) in [0, 1]


def test_images_in_zero_one_under_the_default_minus_one_one_are_refused(unit_digits):
    # The trap: fid(x01, test01) gave 2.22 instead of 27.07, and class_report two
    # classes instead of ten.
    a, b = unit_digits[:100], unit_digits[100:]
    for metric in (lambda: fid(a, b), lambda: class_report(a), lambda: kid(a, b)):
        with pytest.raises(ValueError, match=r"declared in \[-1.0, 1.0\] but never go below 0"):
            metric()
    assert fid(a, b, value_range=(0.0, 1.0)) > 0  # the same sets, declared right
    assert fid(a * 2 - 1, b * 2 - 1) == pytest.approx(fid(a, b, value_range=(0.0, 1.0)))


def test_non_finite_images_are_refused(unit_digits):
    bad = unit_digits[:100] * 2 - 1
    bad[7, 3, 3, 0] = np.nan
    good = unit_digits[100:] * 2 - 1
    for metric in (
        lambda: fid(good, bad),
        lambda: class_report(bad),
        lambda: precision_recall(good, bad),
    ):
        with pytest.raises(ValueError, match="hold 1 non-finite values"):
            metric()


def test_flattened_images_are_not_taken_as_features(unit_digits):
    flat = unit_digits.reshape(200, 784) * 2 - 1
    with pytest.raises(ValueError, match=r"got \(100, 784\): flattened images"):
        fid(flat[:100], flat[100:])


def test_non_finite_features_and_degenerate_kid_subsets_are_refused():
    rng = np.random.default_rng(0)
    features = rng.normal(size=(50, 8))
    broken = features.copy()
    broken[0, 0] = np.inf
    with pytest.raises(ValueError, match="features hold non-finite values"):
        fid(features, broken)
    with pytest.raises(ValueError, match=r"subset_size must be at least 2.*got 1"):
        kid(features, features + 1, subset_size=1)


def test_scale_images_refuses_pixels_that_are_already_scaled(unit_digits):
    with pytest.raises(ValueError, match=r"floats in \[0, 1\]: they look scaled already"):
        data.scale_images(unit_digits)
    pixels = (unit_digits * 255).round().astype(np.uint8)
    np.testing.assert_allclose(data.scale_images(pixels), unit_digits, atol=0.5 / 255)


def test_fit_refuses_images_its_generator_cannot_produce(unit_digits):
    # A tanh generator cannot make 0-255 pixels: the first step says so (fit raises).
    keras.utils.set_random_seed(0)
    generator = build_dcgan_generator(8, filters=(8, 8, 4))
    gan = GAN(generator, build_dcgan_discriminator(filters=(4, 8)))
    gan.compile(keras.optimizers.Adam(), keras.optimizers.Adam())
    with pytest.raises(
        ValueError, match=r"in \[-1, 1\], the output range of the generator.*reached 0 to 255"
    ):
        gan.fit(unit_digits[:32] * 255, batch_size=16, epochs=1, verbose=0)
    gan.fit(unit_digits[:32] * 2 - 1, batch_size=16, epochs=1, verbose=0)  # the right range


def test_fit_refuses_images_in_zero_one_for_a_tanh_generator(unit_digits):
    # [0, 1] digits lie inside [-1, 1], but never below 0: a tanh generator would learn to
    # draw them so, and every metric refuses such samples.
    keras.utils.set_random_seed(0)
    gan = GAN(
        build_dcgan_generator(8, filters=(8, 8, 4)), build_dcgan_discriminator(filters=(4, 8))
    )
    gan.compile(keras.optimizers.Adam(), keras.optimizers.Adam())
    expected = r"in \[-1, 1\], the output range of the generator.*never go below 0.*reached 0 to 1"
    with pytest.raises(ValueError, match=expected):
        gan.fit(unit_digits[:32], batch_size=16, epochs=1, verbose=0)
    batches = tf.data.Dataset.from_tensor_slices(unit_digits[:32]).batch(16)
    with pytest.raises(ValueError, match=r"in \[-1, 1\].*The batch never went below 0 \(0 to 1"):
        gan.fit(batches, epochs=1, verbose=0)


def _sigmoid_autoencoder() -> Autoencoder:
    keras.utils.set_random_seed(0)
    ae = Autoencoder(
        build_dense_encoder(4, hidden_units=(16,)), build_dense_decoder(4, hidden_units=(16,))
    )  # sigmoid
    ae.compile("adam", loss=losses.mse_reconstruction_loss)
    return ae


def test_fit_refuses_images_outside_a_sigmoid_decoders_range(unit_digits):
    ae = _sigmoid_autoencoder()
    with pytest.raises(
        ValueError, match=r"in \[0, 1\], the output range of the decoder.*reached -1 to 1"
    ):
        ae.fit(unit_digits[:32] * 2 - 1, batch_size=16, epochs=1, verbose=0)


def test_an_autoencoders_range_applies_to_its_targets(unit_digits):
    # A denoiser is evaluated (and may be trained) on noisy inputs against clean targets: the
    # targets are what the decoder reproduces, so they, not the inputs, must lie in [0, 1].
    ae = _sigmoid_autoencoder()
    clean = unit_digits[:32]
    noisy = clean + np.random.default_rng(0).normal(0, 0.5, clean.shape).astype(np.float32)
    assert np.isfinite(ae.evaluate(noisy, clean, verbose=0))
    pairs = tf.data.Dataset.from_tensor_slices((noisy, clean)).batch(16)
    assert np.isfinite(ae.evaluate(pairs, verbose=0))
    with pytest.raises(ValueError, match=r"the evaluation targets do not \(they reached 0 to 255"):
        ae.evaluate(noisy, clean * 255, verbose=0)
    with pytest.raises(ValueError, match=r"in \[0, 1\].*The batch reached 0 to 255"):
        ae.evaluate(tf.data.Dataset.from_tensor_slices((noisy, clean * 255)).batch(16), verbose=0)


def test_nan_and_infinite_settings_are_refused():
    with pytest.raises(ValueError, match="std must be a finite number, got nan"):
        data.ring_of_gaussians(100, std=float("nan"))
    with pytest.raises(ValueError, match="radius must be > 0, got -1"):
        data.ring_of_gaussians(100, radius=-1.0)
    encoder, decoder = build_dense_encoder(4), build_dense_decoder(4)
    with pytest.raises(ValueError, match="noise_stddev must be a finite number, got nan"):
        Autoencoder(encoder, decoder, noise_stddev=float("nan"))  # (denoising silently off)
    with pytest.raises(ValueError, match="beta must be a finite number, got inf"):
        VAE(build_dense_encoder(8), build_dense_decoder(4), beta=float("inf"))


def test_nan_codes_statistics_and_queries_are_refused(unit_digits):
    code = np.array([0.5, np.nan, 1.0])
    with pytest.raises(ValueError, match="start hold 1 non-finite values"):
        latent.interpolate(code, np.ones(3))
    mu, sigma = np.zeros(3), np.eye(3)
    with pytest.raises(ValueError, match="sigma2 hold 3 non-finite values"):
        metrics.frechet_distance(mu, sigma, mu, np.where(np.eye(3) > 0, np.nan, 0.0))
    with pytest.raises(ValueError, match=r"two means \(D,\) and two covariances \(D, D\)"):
        metrics.frechet_distance(mu, sigma, np.zeros(4), np.eye(4))
    queries = unit_digits[:3].copy()
    queries[1, 0, 0, 0] = np.nan  # argmin over NaN distances would say "index 0"
    with pytest.raises(ValueError, match="queries hold 1 non-finite values"):
        metrics.nearest_neighbours(queries, unit_digits[3:])
    with pytest.raises(ValueError, match="references is empty"):
        metrics.nearest_neighbours(unit_digits[:3], unit_digits[:0])


def test_metrics_of_too_few_samples_warn(unit_digits):
    features = np.random.default_rng(0).normal(size=(300, 8))
    with pytest.warns(metrics.SmallSampleWarning, match="FID of 2 fake samples means little"):
        fid(features, features[:2])
    with pytest.warns(metrics.SmallSampleWarning, match="KID of 3 real and 3 fake samples"):
        kid(features[:3], features[3:6])
    with warnings.catch_warnings():
        warnings.simplefilter("error", metrics.SmallSampleWarning)
        fid(features[:150], features[150:])  # enough: no warning
    with pytest.warns(metrics.SmallSampleWarning) as caught:
        metrics.sample_report(unit_digits[:10], unit_digits, (0.0, 1.0), nearest_samples=10)
    assert len(caught) == 1 and "A sample report of 10 generated samples" in str(caught[0].message)


def test_pictures_that_would_draw_blank_are_refused(unit_digits):
    with pytest.raises(ValueError, match=r"reach 0 to 255, far outside value_range=\(0.0, 1.0\)"):
        viz.image_grid(unit_digits[:4] * 255)
    nan = unit_digits[:4].copy()
    nan[2] = np.nan
    with pytest.raises(ValueError, match="hold 784 non-finite values"):
        viz.image_rows({"samples": nan})
    noisy = unit_digits[:4] + np.random.default_rng(0).normal(0, 0.5, (4, 28, 28, 1))
    viz.image_rows({"noisy input": noisy.astype(np.float32)})  # a little outside: clipped


def test_a_sample_grid_in_the_wrong_range_is_refused(unit_digits):
    keras.utils.set_random_seed(0)
    gan = GAN(
        build_dcgan_generator(8, filters=(8, 8, 4)), build_dcgan_discriminator(filters=(4, 8))
    )
    gan.compile(keras.optimizers.Adam(), keras.optimizers.Adam())
    with pytest.raises(ValueError, match=r"draws images in \(-1.0, 1.0\).*value_range=\(-1.0"):
        gan.fit(
            unit_digits[:32] * 2 - 1,
            batch_size=16,
            epochs=1,
            verbose=0,
            callbacks=[SampleGrid(n=4, value_range=(0.0, 1.0))],
        )


def test_a_bernoulli_likelihood_needs_a_sigmoid_decoder():
    tanh_decoder = build_conv_decoder(4, output_activation="tanh")
    with pytest.raises(ValueError, match=r"reconstruction='bce' is a Bernoulli likelihood.*-1"):
        VAE(build_dense_encoder(8), tanh_decoder)
    VAE(build_dense_encoder(8), tanh_decoder, reconstruction="mse")  # the right loss


def test_the_cause_is_named_before_the_autoencoder_is_called_untrained(autoencoder, unit_digits):
    with pytest.raises(ValueError, match=r"in \[0, 1\].*they reached -1 to 1"):
        DecodedGaussianMixture.from_autoencoder(autoencoder).adapt(unit_digits * 2 - 1, check=False)
    bad = unit_digits.copy()
    bad[5] = np.nan
    with pytest.raises(ValueError, match=r"NaN or infinity in 1 of 200 examples"):
        encode_checked(autoencoder.encoder, autoencoder.decoder, bad)  # not "not trained"


def test_a_latent_gan_refuses_codes_in_other_units(autoencoder, unit_digits):
    gan = LatentGAN.from_autoencoder(
        autoencoder, build_mlp_generator(3, 4, (16,)), build_mlp_discriminator(4, (16,)), seed=0
    )
    gan.adapt(unit_digits)
    gan.compile(keras.optimizers.Adam(), keras.optimizers.Adam())
    codes = gan.encode(unit_digits)
    with pytest.raises(ValueError, match="codes do not look like encode"):
        gan.fit(codes * 100, batch_size=50, epochs=1, verbose=0)
    gan.fit(codes, batch_size=50, epochs=1, verbose=0)  # the encoder's own units


def test_empty_inputs_are_named_not_failed_deep_inside_numpy():
    empty = np.zeros((0, 28, 28, 1), np.float32)
    for call in (
        lambda: viz.image_grid(empty),
        lambda: metrics.class_report(empty, (0.0, 1.0)),
        lambda: metrics.sharpness(empty),
        lambda: data.make_dataset(empty),
    ):
        with pytest.raises(ValueError, match=r"is empty: shape \(0, 28, 28, 1\) holds no example"):
            call()
    _, centers = data.ring_of_gaussians(10)
    with pytest.raises(ValueError, match="samples hold 1 non-finite values"):
        metrics.mode_coverage(np.array([[np.nan, 0.0], [2.0, 0.0]]), centers, 0.05)
    with pytest.raises(ValueError, match="std must be a finite number, got nan"):
        metrics.mode_coverage(centers, centers, float("nan"))


@pytest.mark.parametrize("name", [n for n in [*MODELS, *VARIANTS] if n != "autoencoder"])
def test_labels_are_taken_only_by_a_model_that_can_be_asked_for_a_class(
    name, autoencoder, unit_digits
):
    model = build_small_model(name, autoencoder, unit_digits)
    if model.n_classes is None:
        with pytest.raises(ValueError, match="trained without labels, so it cannot be asked"):
            model.generate(2, seed=0, labels=[1, 2])
        return
    assert model.n_classes == 10
    asked = model.generate(3, seed=0, labels=[1, 2, 3])
    assert asked.shape == (3, 28, 28, 1)
    np.testing.assert_array_equal(model.generate(3, seed=0, labels=3)[2], asked[2])
    for labels, message in [
        ([1, 2], r"one class or 3 classes \(whole numbers\), got shape \(2,\)"),
        ([0.5, 1, 2], "one class or 3 classes"),
        ([-1, 0, 9], r"labels must lie in \[0, 9\], got -1 to 9"),
        (10, r"got 10 to 10"),
    ]:
        with pytest.raises(ValueError, match=message):
            model.generate(3, seed=0, labels=labels)
