import keras
import numpy as np
import pytest

from aegan_tf.models import (
    DecodedGaussianMixture,
    build_dense_decoder,
    build_dense_encoder,
)

CODE_DIM = 4


def test_adapt_fits_the_codes_and_generate_decodes_mixture_samples(autoencoder, images):
    sampler = DecodedGaussianMixture.from_autoencoder(autoencoder, n_components=3)
    assert not sampler.adapted
    report = sampler.adapt(images)
    assert sampler.adapted and report["reconstruction_mse"] < report["mean_image_mse"]
    codes = autoencoder.encode(images)
    mixture = sampler.mixture
    np.testing.assert_allclose(mixture.weights.sum(), 1.0, rtol=1e-6)
    # the mixture's overall mean is the codes' mean (an EM fixed point)
    np.testing.assert_allclose(mixture.weights @ mixture.means, codes.mean(axis=0), atol=1e-3)
    drawn = sampler.sample_noise(4000, seed=0)
    np.testing.assert_allclose(drawn.std(axis=0), codes.std(axis=0), rtol=0.1)
    samples = sampler.generate(5, seed=1)
    expected = autoencoder.decoder(sampler.sample_noise(5, seed=1)).numpy()
    np.testing.assert_allclose(samples, expected, atol=1e-5)
    assert samples.shape == (5, 28, 28, 1)
    assert report["log_likelihood"] > float(
        DecodedGaussianMixture.from_autoencoder(autoencoder).adapt(images)["log_likelihood"]
    )  # three components fit the codes better than one


def test_saved_mixture_reproduces_samples(autoencoder, images, tmp_path):
    sampler = DecodedGaussianMixture.from_autoencoder(autoencoder, n_components=2)
    sampler.adapt(images)
    path = tmp_path / "mixture.keras"
    sampler.save(path)
    loaded = keras.models.load_model(path)
    assert isinstance(loaded, DecodedGaussianMixture) and loaded.n_components == 2
    np.testing.assert_allclose(loaded.generate(6, seed=2), sampler.generate(6, seed=2), atol=1e-6)


def test_clear_errors(autoencoder, images):
    with pytest.raises(ValueError, match=r"Call adapt\(train_images\) first"):
        DecodedGaussianMixture.from_autoencoder(autoencoder).generate(2)
    with pytest.raises(TypeError, match="autoencoder must be an Autoencoder"):
        DecodedGaussianMixture.from_autoencoder(autoencoder.encoder)
    with pytest.raises(ValueError, match="n_components"):
        DecodedGaussianMixture.from_autoencoder(autoencoder, n_components=0)
    keras.utils.set_random_seed(1)
    untrained = DecodedGaussianMixture(
        build_dense_encoder(CODE_DIM, hidden_units=(8,)),
        build_dense_decoder(CODE_DIM, hidden_units=(8,)),
    )
    with pytest.raises(ValueError, match="The autoencoder is not trained"):
        untrained.adapt(images)
    assert untrained.adapt(images, check=False).keys() == {"log_likelihood"}  # on request
    assert untrained.adapted
    with pytest.raises(ValueError, match="images must be a batch of images"):
        untrained.adapt(images.reshape(len(images), -1))
