import keras
import numpy as np
import pytest

from aegan_tf import data
from aegan_tf.models import (
    Autoencoder,
    LatentGAN,
    build_dense_decoder,
    build_dense_encoder,
    build_mlp_discriminator,
    build_mlp_generator,
)

CODE_DIM = 4


def _latent_gan(autoencoder, seed=0, noise_dim=3):
    keras.utils.set_random_seed(seed)
    return LatentGAN.from_autoencoder(
        autoencoder,
        build_mlp_generator(noise_dim, CODE_DIM, (16,)),
        build_mlp_discriminator(CODE_DIM, (16,)),
        seed=seed,
    )


def _weights(net):
    return [w.numpy().copy() for w in net.weights]


def test_adapt_standardises_the_codes_and_generate_decodes_them(autoencoder, images):
    latent_gan = _latent_gan(autoencoder)
    errors = latent_gan.adapt(images)
    assert errors["reconstruction_mse"] < errors["mean_image_mse"]
    codes = latent_gan.encode(images)
    assert codes.shape == (256, CODE_DIM)
    standard = latent_gan.standardize(codes).numpy()
    np.testing.assert_allclose(standard.mean(axis=0), 0.0, atol=1e-4)
    np.testing.assert_allclose(standard.std(axis=0), 1.0, atol=1e-4)
    np.testing.assert_allclose(latent_gan.unstandardize(standard).numpy(), codes, atol=1e-4)
    samples = latent_gan.generate(5, seed=2)
    assert samples.shape == (5, 28, 28, 1) and samples.min() >= 0 and samples.max() <= 1
    decoded = autoencoder.decoder(latent_gan.generate_codes(5, seed=2)).numpy()
    np.testing.assert_allclose(samples, decoded, atol=1e-5)  # generate = decode(codes)


def test_a_step_trains_the_gan_and_leaves_the_autoencoder_alone(autoencoder, images):
    latent_gan = _latent_gan(autoencoder)
    latent_gan.adapt(images)
    latent_gan.compile(keras.optimizers.Adam(1e-3), keras.optimizers.Adam(1e-3))
    frozen = {net: _weights(net) for net in (autoencoder.encoder, autoencoder.decoder)}
    trained = {net: _weights(net) for net in (latent_gan.generator, latent_gan.discriminator)}
    statistics = latent_gan.code_mean.numpy().copy(), latent_gan.code_std.numpy().copy()
    logs = latent_gan.fit(data.make_dataset(images, 64), epochs=1, verbose=0).history
    assert set(logs) == {"d_loss", "g_loss", "d_real", "d_fake"}
    for net, before in frozen.items():
        for a, b in zip(before, _weights(net), strict=True):
            np.testing.assert_array_equal(a, b)
    for net, before in trained.items():
        assert any(not np.array_equal(a, b) for a, b in zip(before, _weights(net), strict=True))
    np.testing.assert_array_equal(latent_gan.code_mean.numpy(), statistics[0])  # fixed by adapt
    np.testing.assert_array_equal(latent_gan.code_std.numpy(), statistics[1])


def test_training_on_codes_encoded_once_is_training_on_images(autoencoder, images):
    trained = {}
    for fed in ("images", "codes"):
        latent_gan = _latent_gan(autoencoder)
        latent_gan.adapt(images)
        latent_gan.compile(keras.optimizers.Adam(1e-3), keras.optimizers.Adam(1e-3))
        x = images if fed == "images" else latent_gan.encode(images)
        latent_gan.fit(data.make_dataset(x, 64, seed=1), epochs=2, verbose=0)
        trained[fed] = _weights(latent_gan.generator)
    for a, b in zip(trained["images"], trained["codes"], strict=True):
        np.testing.assert_allclose(a, b, atol=1e-5)
    latent_gan = _latent_gan(autoencoder)  # untraced: the first trace sees the codes' shape
    latent_gan.adapt(images)
    latent_gan.compile(keras.optimizers.Adam(1e-3), keras.optimizers.Adam(1e-3))
    with pytest.raises(ValueError, match=r"or their codes \(N, 4\) .*got shape \(None, 5\)"):
        latent_gan.fit(np.zeros((8, 5), np.float32), epochs=1, verbose=0)


def test_saved_latent_gan_reproduces_samples_and_its_statistics(autoencoder, images, tmp_path):
    latent_gan = _latent_gan(autoencoder)
    latent_gan.adapt(images)
    latent_gan.compile(keras.optimizers.Adam(1e-3), keras.optimizers.Adam(1e-3), loss="wgan-gp")
    latent_gan.fit(data.make_dataset(images, 64), epochs=1, verbose=0)
    latent_gan.save(tmp_path / "latent_gan.keras")
    loaded = keras.models.load_model(tmp_path / "latent_gan.keras")
    assert loaded.adapted and loaded.objective.loss == "wgan-gp"
    np.testing.assert_array_equal(loaded.generate(6, seed=4), latent_gan.generate(6, seed=4))
    np.testing.assert_array_equal(loaded.code_mean.numpy(), latent_gan.code_mean.numpy())
    loaded.fit(data.make_dataset(images, 64), epochs=1, verbose=0)  # resumes training
    assert int(loaded.g_optimizer.iterations) == 8


def test_clear_errors(autoencoder, images):
    keras.utils.set_random_seed(0)
    with pytest.raises(ValueError, match=r"code size \(5,\).*autoencoder's code size \(4,\)"):
        LatentGAN.from_autoencoder(
            autoencoder, build_mlp_generator(3, 5), build_mlp_discriminator(5)
        )
    with pytest.raises(TypeError, match="must be an Autoencoder, got Functional"):
        LatentGAN.from_autoencoder(
            autoencoder.encoder, build_mlp_generator(3, 4), build_mlp_discriminator(4)
        )
    with pytest.raises(ValueError, match="decoder output shape"):
        LatentGAN(
            build_dense_encoder(CODE_DIM),
            build_dense_decoder(CODE_DIM, (32, 32, 1)),
            build_mlp_generator(3, CODE_DIM),
            build_mlp_discriminator(CODE_DIM),
        )
    untrained = Autoencoder(build_dense_encoder(CODE_DIM), build_dense_decoder(CODE_DIM))
    with pytest.raises(ValueError, match=r"autoencoder is not trained.*Fit it first"):
        _latent_gan(untrained).adapt(images)
    latent_gan = _latent_gan(autoencoder)
    latent_gan.compile(keras.optimizers.Adam(1e-3), keras.optimizers.Adam(1e-3))
    with pytest.raises(ValueError, match=r"adapt\(train_images\) before fit"):
        latent_gan.fit(images, epochs=1, verbose=0)
    with pytest.raises(ValueError, match=r"shape \(N, 28, 28, 1\), got shape \(3, 32, 32, 1\)"):
        latent_gan.adapt(np.zeros((3, 32, 32, 1), np.float32))
    latent_gan.adapt(images)
    with pytest.raises(ValueError, match=r"shape \(N, 28, 28, 1\), got shape \(None, 14, 14, 1\)"):
        latent_gan.fit(np.zeros((8, 14, 14, 1), np.float32), epochs=1, verbose=0)
