import numpy as np
import pytest

from aegan_tf import comparison, data


@pytest.fixture(scope="module")
def images():
    return data.load("mnist", limit=512)[0]


def test_a_two_phase_contestant_spends_one_budget_and_is_measured(images):
    # the latent GAN: an autoencoder for half the budget, then the GAN until the budget is spent
    latent = comparison.train_contestant(
        "latent GAN", images, seconds=16.0, seed=0, curve_every=2.0, curve_samples=200
    )
    assert 16.0 <= latent.seconds < 20.0
    assert latent.curve and all(s >= 8.0 for s, _ in latent.curve)  # after the autoencoder
    report = comparison.measure(latent, images, n=200)
    assert {"FID", "recall", "classes", "training seconds", "images per second"} <= set(report)
    assert report["training seconds"] == latent.seconds and report["images per second"] > 0
    samples = latent.sample(4, seed=1)
    assert samples.shape == (4, 28, 28, 1) and samples.min() >= 0 and samples.max() <= 1


def test_a_gan_in_minus_one_one_is_sampled_in_zero_one(images):
    dcgan = comparison.train_contestant("DCGAN", images, seconds=2.0, seed=0)
    assert dcgan.value_range == (-1.0, 1.0) and dcgan.curve == []
    raw = dcgan.model.generate(3, seed=2)
    np.testing.assert_allclose(dcgan.sample(3, seed=2), (raw + 1) / 2, atol=1e-6)


def test_clear_errors(images):
    with pytest.raises(ValueError, match="Unknown model 'GAN'"):
        comparison.train_contestant("GAN", images, seconds=1)
    with pytest.raises(ValueError, match=r"images must be in \[0, 1\]"):
        comparison.train_contestant("VAE", 2 * images - 1, seconds=1)
    with pytest.raises(ValueError, match="seconds must be > 0"):
        comparison.train_contestant("VAE", images, seconds=0)
    with pytest.raises(ValueError, match="images must be a batch of images"):
        comparison.train_contestant("VAE", images.reshape(len(images), -1), seconds=1)
