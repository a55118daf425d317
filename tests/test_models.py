import keras
import numpy as np
import pytest

from aegan_tf import data, losses
from aegan_tf.models import (
    Autoencoder,
    build_conv_decoder,
    build_conv_encoder,
    build_dense_decoder,
    build_dense_encoder,
    describe,
)

ENCODERS = [build_dense_encoder, build_conv_encoder]
DECODERS = [build_dense_decoder, build_conv_decoder]


@pytest.mark.parametrize("build", ENCODERS)
@pytest.mark.parametrize(("latent_dim", "image_shape"), [(2, (28, 28, 1)), (16, (32, 32, 3))])
def test_encoder_shapes(build, latent_dim, image_shape):
    encoder = build(latent_dim, image_shape)
    assert encoder.input_shape == (None, *image_shape)
    assert encoder.output_shape == (None, latent_dim)
    assert encoder(np.zeros((3, *image_shape), np.float32)).shape == (3, latent_dim)


@pytest.mark.parametrize("build", DECODERS)
@pytest.mark.parametrize(("latent_dim", "image_shape"), [(2, (28, 28, 1)), (16, (32, 32, 3))])
@pytest.mark.parametrize(("activation", "low", "high"), [("sigmoid", 0, 1), ("tanh", -1, 1)])
def test_decoder_shapes_and_output_range(build, latent_dim, image_shape, activation, low, high):
    decoder = build(latent_dim, image_shape, output_activation=activation)
    z = np.random.default_rng(0).normal(size=(4, latent_dim)).astype(np.float32) * 10
    images = keras.ops.convert_to_numpy(decoder(z))
    assert images.shape == (4, *image_shape) and images.dtype == np.float32
    assert low <= images.min() and images.max() <= high


@pytest.mark.parametrize(
    ("build", "args", "kwargs", "error", "message"),
    [
        (build_dense_encoder, (0,), {}, ValueError, "latent_dim must be >= 1"),
        (build_dense_encoder, (2.5,), {}, TypeError, "latent_dim must be an int"),
        (build_dense_encoder, (2, (28, 28)), {}, ValueError, r"\(height, width, channels\)"),
        (build_dense_encoder, (2,), {"hidden_units": 64}, ValueError, "sequence of ints"),
        (build_dense_decoder, (2,), {"output_activation": "relu"}, ValueError, "'sigmoid'"),
        (build_conv_encoder, (2, (30, 30, 1)), {}, ValueError, "divisible by 4"),
        (build_conv_decoder, (2,), {"filters": (64, 32, 16)}, ValueError, "divisible by 8"),
    ],
)
def test_builders_reject_bad_arguments(build, args, kwargs, error, message):
    with pytest.raises(error, match=message):
        build(*args, **kwargs)


def _conv_autoencoder(latent_dim=4, noise_stddev=0.0):
    keras.utils.set_random_seed(0)
    return Autoencoder(
        build_conv_encoder(latent_dim), build_conv_decoder(latent_dim), noise_stddev=noise_stddev
    )


@pytest.fixture(scope="module")
def digits():
    images, _ = data.load("mnist", limit=256)
    return images


def test_autoencoder_rejects_mismatched_parts_and_inputs():
    with pytest.raises(ValueError, match="decoder input shape"):
        Autoencoder(build_dense_encoder(2), build_dense_decoder(3))
    with pytest.raises(ValueError, match="decoder output shape"):
        Autoencoder(build_dense_encoder(2), build_dense_decoder(2, (32, 32, 1)))
    with pytest.raises(TypeError, match=r"encoder must be a keras\.Model"):
        Autoencoder(lambda x: x, build_dense_decoder(2))
    with pytest.raises(ValueError, match="noise_stddev must be >= 0"):
        Autoencoder(build_dense_encoder(2), build_dense_decoder(2), noise_stddev=-0.1)
    ae = _conv_autoencoder()
    with pytest.raises(ValueError, match=r"\(N, 28, 28, 1\), got shape \(2, 784\)"):
        ae(np.zeros((2, 784), np.float32))
    with pytest.raises(ValueError, match=r"\(N, 28, 28, 1\), got shape \(2, 32, 32, 1\)"):
        ae(np.zeros((2, 32, 32, 1), np.float32))


def test_denoising_noise_is_only_added_in_training(digits):
    x = digits[:8]
    plain, noisy = _conv_autoencoder(), _conv_autoencoder(noise_stddev=0.5)
    noisy.set_weights(plain.get_weights())
    np.testing.assert_allclose(noisy(x, training=False), plain(x, training=False), atol=1e-6)
    np.testing.assert_allclose(noisy(x, training=False), noisy(x, training=False))
    # An untrained decoder outputs about 0.5 everywhere, so the noise shows in small digits.
    assert np.abs(noisy(x, training=True) - plain(x, training=True)).max() > 1e-5


def test_fit_on_images_alone_lowers_the_reconstruction_loss(digits):
    ae = _conv_autoencoder()
    ae.compile(optimizer=keras.optimizers.Adam(1e-3), loss=losses.mse_reconstruction_loss)
    before = ae.evaluate(digits, verbose=0)
    history = ae.fit(data.make_dataset(digits, 32), epochs=3, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert ae.evaluate(digits, verbose=0) < 0.8 * before


def test_explicit_targets_are_used_when_given(digits):
    ae = _conv_autoencoder()
    ae.compile(optimizer="adam", loss=losses.mse_reconstruction_loss)
    x_hat = keras.ops.convert_to_numpy(ae(digits))
    target = np.ones_like(digits)
    expected = float(np.mean((target - x_hat) ** 2))
    assert ae.evaluate(digits, target, verbose=0) == pytest.approx(expected, rel=1e-4)


def test_saved_model_reloads_to_identical_outputs_and_resumes(tmp_path, digits):
    ae = _conv_autoencoder(noise_stddev=0.2)
    ae.compile(optimizer="adam", loss=losses.bce_reconstruction_loss)
    ae.fit(digits, epochs=1, batch_size=64, verbose=0)
    path = tmp_path / "ae.keras"
    ae.save(path)
    loaded = keras.models.load_model(path)
    assert isinstance(loaded, Autoencoder) and loaded.noise_stddev == 0.2
    np.testing.assert_array_equal(loaded.predict(digits, verbose=0), ae.predict(digits, verbose=0))
    assert loaded.loss is losses.bce_reconstruction_loss
    assert int(loaded.optimizer.iterations) == int(ae.optimizer.iterations) == 4
    loaded.fit(digits, epochs=1, batch_size=64, verbose=0)
    assert int(loaded.optimizer.iterations) == 8


def test_describe_gives_shapes_and_parameter_count():
    line = describe(build_dense_encoder(2, hidden_units=(8,)))
    assert line == "dense_encoder: (None, 28, 28, 1) -> (None, 2), 6,298 parameters"
    with pytest.raises(TypeError, match="keras"):
        describe("encoder")


def test_encode_gives_the_encoders_codes_and_checks_the_images(digits):
    ae = _conv_autoencoder()
    codes = ae.encode(digits[:5])
    assert codes.shape == (5, ae.latent_dim)
    np.testing.assert_allclose(codes, ae.encoder(digits[:5]).numpy(), atol=1e-5)
    with pytest.raises(ValueError, match=r"\(N, 28, 28, 1\), got shape \(5, 784\)"):
        ae.encode(digits[:5].reshape(5, 784))
