import keras
import numpy as np
import pytest

from aegan_tf import data, losses
from aegan_tf.models import (
    VAEGAN,
    build_conv_decoder,
    build_conv_encoder,
    build_dcgan_discriminator,
    build_dense_encoder,
)

LATENT = 4
NETWORKS = ("encoder", "decoder", "discriminator")


@pytest.fixture(scope="module")
def images():
    return data.load("mnist", limit=128)[0]


def _vaegan(seed=0, **kwargs):
    keras.utils.set_random_seed(seed)
    return VAEGAN(
        build_conv_encoder(2 * LATENT, filters=(8, 16)),
        build_conv_decoder(LATENT, filters=(16, 8)),
        build_dcgan_discriminator(filters=(8, 16), dropout=0.0),
        seed=seed,
        **kwargs,
    )


def test_feature_loss_is_half_the_squared_distance():
    real = np.array([[1.0, 2.0], [0.0, 0.0]], np.float32)
    fake = np.array([[1.0, 0.0], [3.0, 4.0]], np.float32)
    np.testing.assert_allclose(losses.feature_reconstruction_loss(real, fake), [2.0, 12.5])


@pytest.mark.parametrize("moving", ["encoder", "decoder", "discriminator"])
def test_each_network_moves_only_with_its_own_optimizer(images, changed, moving):
    vaegan = _vaegan()
    optimizer_of = {"encoder": "encoder_optimizer", "decoder": "decoder_optimizer"}
    vaegan.compile(
        **{
            name: keras.optimizers.Adam(1e-3)
            if name == optimizer_of.get(moving, "d_optimizer")
            else keras.optimizers.SGD(0.0)
            for name in VAEGAN.OPTIMIZERS
        }
    )
    before = changed(vaegan, NETWORKS)
    logs = vaegan.fit(images[:32], batch_size=32, epochs=1, verbose=0).history
    assert before() == {moving}
    assert set(logs) == {"kl", "feature_loss", "d_loss", "g_loss", "d_real", "d_fake"}


def test_the_features_are_the_chosen_hidden_layer(images):
    vaegan = _vaegan()
    assert vaegan.feature_layer == "flatten" or vaegan.feature_layer.startswith("flatten")
    features, logits = vaegan.features_and_logits(images[:3])
    assert features.shape == (3, 7 * 7 * 16) and logits.shape == (3, 1)
    np.testing.assert_allclose(logits, vaegan.discriminator(images[:3]), atol=1e-6)


def test_dropout_before_the_features_does_not_reach_the_feature_loss(images):
    # The default features (the Flatten after the last Dropout) of one image differ between
    # two passes in training mode: a perfect reconstruction would cost something.
    vaegan = VAEGAN(
        build_conv_encoder(2 * LATENT),
        build_conv_decoder(LATENT),
        build_dcgan_discriminator(dropout=0.5),
        seed=0,
    )
    first, _ = vaegan.features_and_logits(images[:4], training=True)
    second, _ = vaegan.features_and_logits(images[:4], training=True)
    assert np.abs(first - second).max() > 0
    assert float(vaegan.feature_loss(images[:4], images[:4])) == 0.0
    assert float(vaegan.feature_loss(images[:4], images[4:8])) > 0.0
    assert vaegan._noisy_features and not _vaegan()._noisy_features
    vaegan.compile()
    logs = vaegan.fit(images[:64], batch_size=32, epochs=1, verbose=0).history
    assert np.isfinite(logs["feature_loss"]).all()


def test_shapes_and_save_load(images, tmp_path):
    vaegan = _vaegan()
    vaegan.compile(kl_weight=0.5, feature_weight=0.1, loss="lsgan")
    vaegan.fit(images, batch_size=64, epochs=1, verbose=0)
    assert vaegan.encode(images[:3]).shape == (3, LATENT)
    assert vaegan.reconstruct(images[:3]).shape == (3, 28, 28, 1)
    vaegan.save(tmp_path / "vaegan.keras")
    loaded = keras.models.load_model(tmp_path / "vaegan.keras")
    assert (loaded.kl_weight, loaded.feature_weight, loaded.objective.loss) == (0.5, 0.1, "lsgan")
    np.testing.assert_array_equal(loaded.generate(4, seed=2), vaegan.generate(4, seed=2))
    loaded.fit(images, batch_size=64, epochs=1, verbose=0)
    assert int(loaded.d_optimizer.iterations) == 4


def test_clear_errors():
    encoder, decoder = build_conv_encoder(2 * LATENT), build_conv_decoder(LATENT)
    with pytest.raises(ValueError, match=r"\(N, 2 \* latent_dim\)"):
        VAEGAN(build_dense_encoder(LATENT), decoder, build_dcgan_discriminator())
    with pytest.raises(ValueError, match="feature_layer must name a hidden layer"):
        VAEGAN(encoder, decoder, build_dcgan_discriminator(), feature_layer="logits")
    with pytest.raises(ValueError, match=r"discriminator input shape \(32, 32, 1\)"):
        VAEGAN(encoder, decoder, build_dcgan_discriminator((32, 32, 1)))
    vaegan = VAEGAN(encoder, decoder, build_dcgan_discriminator())
    with pytest.raises(ValueError, match="feature_weight must be a finite number >= 0"):
        vaegan.compile(feature_weight=-1.0)
    with pytest.raises(TypeError, match=r"does not take \['g_optimizer'\]"):
        vaegan.compile(g_optimizer="adam")
