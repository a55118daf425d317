import keras
import numpy as np
import pytest

from aegan_tf import data
from aegan_tf.models import (
    AdversarialAutoencoder,
    build_dense_decoder,
    build_dense_encoder,
    build_mlp_discriminator,
)
from aegan_tf.priors import GaussianMixturePrior, GaussianPrior

CODE_DIM = 4


@pytest.fixture(scope="module")
def digits():
    return data.load("mnist", limit=256)


def _aae(prior=None, conditional=False, seed=0):
    keras.utils.set_random_seed(seed)
    condition = prior.n_components if conditional else None
    return AdversarialAutoencoder(
        build_dense_encoder(CODE_DIM, hidden_units=(32,)),
        build_dense_decoder(CODE_DIM, hidden_units=(32,)),
        build_mlp_discriminator(CODE_DIM, (16,), condition_dim=condition),
        prior=prior,
        conditional=conditional,
        seed=seed,
    )


def _optimizers(**learning_rates):
    """Adam for each phase; a phase given 0 gets SGD(0), which leaves its weights alone."""
    return {
        name: keras.optimizers.SGD(0.0)
        if learning_rates.get(name) == 0
        else keras.optimizers.Adam(1e-3)
        for name in AdversarialAutoencoder.OPTIMIZERS
    }


def test_each_phase_updates_exactly_its_networks(digits, changed):
    images = digits[0][:64]
    assert AdversarialAutoencoder.OPTIMIZERS["g_optimizer"] == ("encoder",)
    networks = ("encoder", "decoder", "discriminator")
    # Reconstruction phase alone: encoder and decoder.
    aae = _aae()
    aae.compile(**_optimizers(d_optimizer=0, g_optimizer=0))
    before = changed(aae, networks)
    aae.fit(images, batch_size=64, epochs=1, verbose=0)
    assert before() == {"encoder", "decoder"}
    # Regularisation phase alone: the code discriminator, then the encoder; never the decoder.
    aae = _aae()
    aae.compile(**_optimizers(ae_optimizer=0))
    before = changed(aae, networks)
    logs = aae.fit(images, batch_size=64, epochs=1, verbose=0).history
    assert before() == {"encoder", "discriminator"}
    assert set(logs) == {"reconstruction", "d_loss", "g_loss", "d_real", "d_fake"}


def test_shapes_and_generate_decodes_prior_samples(digits):
    prior = GaussianMixturePrior(CODE_DIM, n_components=10)
    aae = _aae(prior)
    aae.compile()
    aae.fit(data.make_dataset(digits[0], batch_size=64), epochs=1, verbose=0)
    assert aae.encode(digits[0][:5]).shape == (5, CODE_DIM)
    assert aae.reconstruct(digits[0][:5]).shape == (5, 28, 28, 1)
    samples = aae.generate(7, seed=3)
    assert samples.shape == (7, 28, 28, 1) and 0 <= samples.min() and samples.max() <= 1
    z = aae.sample_noise(7, seed=3)
    np.testing.assert_allclose(samples, aae.decoder(z).numpy(), atol=1e-6)
    np.testing.assert_array_equal(samples, aae.generate(7, seed=3))


def test_regularisation_pulls_the_codes_toward_the_prior(digits):
    """Against a plain autoencoder (no regularisation phase) trained the same way, the AAE's
    codes are closer to N(0, I) in mean and spread."""

    def distance_to_standard_normal(ae_learning_rates):
        aae = _aae(GaussianPrior(CODE_DIM))
        aae.compile(**_optimizers(**ae_learning_rates))
        aae.fit(data.make_dataset(digits[0], batch_size=32), epochs=16, verbose=0)
        codes = aae.encode(digits[0])
        return np.abs(codes.mean(axis=0)).mean() + np.abs(codes.std(axis=0) - 1).mean()

    regularised = distance_to_standard_normal({})
    plain = distance_to_standard_normal({"d_optimizer": 0, "g_optimizer": 0})
    assert regularised < 0.5 * plain, (regularised, plain)


def test_conditional_aae_matches_each_class_to_its_component(digits):
    images, labels = digits
    aae = _aae(GaussianMixturePrior(CODE_DIM, n_components=10), conditional=True)
    aae.compile()
    aae.fit(data.make_dataset(images, batch_size=64, labels=labels), epochs=1, verbose=0)
    asked = aae.sample_noise(4, seed=0, labels=[3, 3, 8, 8])
    np.testing.assert_array_equal(asked, aae.sample_noise(4, seed=0, components=[3, 3, 8, 8]))
    samples = aae.generate(4, seed=0, labels=[3, 3, 8, 8])
    np.testing.assert_allclose(samples, aae.decoder(asked).numpy(), atol=1e-6)
    np.testing.assert_array_equal(aae.generate(4, seed=0, labels=8)[2:], samples[2:])
    assert aae.n_classes == 10
    with pytest.raises(ValueError, match="labels or components, not both"):
        aae.sample_noise(2, labels=[1, 2], components=[1, 2])
    with pytest.raises(ValueError, match=r"trains on \(images, labels\) batches"):
        aae.fit(images, batch_size=64, epochs=1, verbose=0)


def test_saved_aae_reproduces_samples_and_resumes(digits, tmp_path):
    aae = _aae(GaussianMixturePrior(CODE_DIM, n_components=10, radius=3.0))
    aae.compile(reconstruction="bce", loss="wgan-gp")
    aae.fit(digits[0], batch_size=64, epochs=1, verbose=0)
    aae.save(tmp_path / "aae.keras")
    loaded = keras.models.load_model(tmp_path / "aae.keras")
    assert loaded.prior.get_config() == aae.prior.get_config()
    assert loaded.reconstruction == "bce" and loaded.objective.loss == "wgan-gp"
    np.testing.assert_array_equal(loaded.generate(5, seed=1), aae.generate(5, seed=1))
    loaded.fit(digits[0], batch_size=64, epochs=1, verbose=0)
    assert int(loaded.ae_optimizer.iterations) == 8


def test_clear_errors():
    encoder, decoder = build_dense_encoder(CODE_DIM), build_dense_decoder(CODE_DIM)
    with pytest.raises(ValueError, match=r"prior's dimension \(2\) must equal the code size \(4\)"):
        AdversarialAutoencoder(
            encoder, decoder, build_mlp_discriminator(CODE_DIM), prior=GaussianPrior(2)
        )
    with pytest.raises(ValueError, match=r"decoder input shape \(3,\) must equal encoder output"):
        AdversarialAutoencoder(encoder, build_dense_decoder(3), build_mlp_discriminator(3))
    with pytest.raises(ValueError, match=r"must take codes of shapes \[\(4,\)\], got .*\(5,\)"):
        AdversarialAutoencoder(encoder, decoder, build_mlp_discriminator(5))
    two_logits = keras.Sequential([keras.Input((CODE_DIM,)), keras.layers.Dense(2)])
    with pytest.raises(ValueError, match=r"one logit per example, \(N, 1\); got \(None, 2\)"):
        AdversarialAutoencoder(encoder, decoder, two_logits)
    with pytest.raises(ValueError, match=r"\[codes, one-hot labels\] of shapes"):
        AdversarialAutoencoder(
            encoder,
            decoder,
            build_mlp_discriminator(CODE_DIM),
            prior=GaussianMixturePrior(CODE_DIM),
            conditional=True,
        )
    with pytest.raises(ValueError, match="GaussianMixturePrior with one component per class"):
        AdversarialAutoencoder(
            encoder, decoder, build_mlp_discriminator(CODE_DIM, condition_dim=1), conditional=True
        )
    with pytest.raises(TypeError, match="prior must be a GaussianPrior"):
        AdversarialAutoencoder(encoder, decoder, build_mlp_discriminator(CODE_DIM), prior="normal")
    aae = AdversarialAutoencoder(encoder, decoder, build_mlp_discriminator(CODE_DIM))
    with pytest.raises(ValueError, match=r"reconstruction must be one of \('mse', 'bce'\)"):
        aae.compile(reconstruction="l1")
    aae.compile()
    with pytest.raises(ValueError, match=r"shape \(N, 28, 28, 1\), got shape \(None, 14, 14, 1\)"):
        aae.fit(np.zeros((8, 14, 14, 1), np.float32), epochs=1, verbose=0)
