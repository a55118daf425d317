"""Bad input is refused with a message naming what was expected and what came (issue 11):
metrics, the data helpers and ``fit`` never turn a mistake into a plausible number."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from aegan_tf import data, losses
from aegan_tf.metrics import class_report, fid, kid, precision_recall
from aegan_tf.models import (
    GAN,
    Autoencoder,
    build_dcgan_discriminator,
    build_dcgan_generator,
    build_dense_decoder,
    build_dense_encoder,
)


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
