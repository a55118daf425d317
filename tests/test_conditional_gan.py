"""Conditional GANs (Mirza & Osindero 2014): labels into the generator and the discriminator,
a projection discriminator (Miyato & Koyama 2018), and the labels contract of generate."""

import keras
import numpy as np
import pytest

from aegan_tf import data
from aegan_tf.models import (
    GAN,
    LatentGAN,
    build_dcgan_discriminator,
    build_dcgan_generator,
    build_mlp_discriminator,
    build_mlp_generator,
)

CENTRES = np.array([[-2.0, -2.0], [-2.0, 2.0], [2.0, -2.0], [2.0, 2.0]], np.float32)


def _four_blobs(n: int = 2048, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Points of four classes, class k around ``CENTRES[k]`` (standard deviation 0.2)."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(4, size=n)
    return (CENTRES[labels] + 0.2 * rng.standard_normal((n, 2))).astype(np.float32), labels


def _conditional_gan(conditioning: str = "projection", seed: int = 0) -> GAN:
    keras.utils.set_random_seed(seed)
    return GAN(
        build_mlp_generator(4, 2, (64, 64), n_classes=4),
        build_mlp_discriminator(2, (64, 64), condition_dim=4, conditioning=conditioning),
        seed=seed,
    )


def test_the_conditional_networks_take_labels_and_the_projection_is_its_formula():
    generator = build_dcgan_generator(8, filters=(16, 8, 4), n_classes=10)
    discriminator = build_dcgan_discriminator(filters=(4, 8), n_classes=10)
    labels = np.eye(10, dtype=np.float32)[[3, 7]]
    images = generator([np.zeros((2, 8), np.float32), labels])
    assert images.shape == (2, 28, 28, 1)
    assert discriminator([images.numpy(), labels]).shape == (2, 1)
    projection = build_mlp_discriminator(3, (5,), condition_dim=4, conditioning="projection")
    points = np.random.default_rng(0).normal(size=(6, 3)).astype(np.float32)
    onehot = np.eye(4, dtype=np.float32)[[0, 1, 2, 3, 3, 1]]
    dot = next(layer for layer in projection.layers if isinstance(layer, keras.layers.Dot))
    features = keras.Model(projection.inputs, dot.input[1])([points, onehot]).numpy()  # φ(x)
    embedding = projection.get_layer("label_embedding").kernel.numpy()  # V: (4, 5)
    dense = next(
        layer
        for layer in projection.layers
        if isinstance(layer, keras.layers.Dense) and layer.units == 1
    )
    expected = (
        features @ dense.kernel.numpy()
        + dense.bias.numpy()
        + np.sum((onehot @ embedding) * features, axis=1, keepdims=True)
    )
    np.testing.assert_allclose(projection([points, onehot]).numpy(), expected, rtol=1e-5)
    with pytest.raises(ValueError, match="conditioning must be one of"):
        build_mlp_discriminator(3, condition_dim=4, conditioning="film")


def test_mismatched_conditional_networks_are_named():
    with pytest.raises(ValueError, match=r"must take \[\(None, 2\), \(None, 4\)\] \(what the"):
        GAN(build_mlp_generator(4, 2, n_classes=4), build_mlp_discriminator(2))
    with pytest.raises(ValueError, match=r"must take \(None, 2\) \(what the generator makes\)"):
        GAN(build_mlp_generator(4, 2), build_mlp_discriminator(2, condition_dim=4))
    three = [keras.Input((2,)), keras.Input((2,)), keras.Input((2,))]
    generator = keras.Model(three, keras.layers.Add()(three))
    with pytest.raises(ValueError, match=r"or \[noise \(N, latent_dim\), one-hot labels"):
        GAN(generator, build_mlp_discriminator(2))


@pytest.mark.parametrize("conditioning", ["projection", "concatenate"])
def test_a_conditional_gan_draws_the_class_it_is_asked_for(conditioning):
    points, labels = _four_blobs()
    gan = _conditional_gan(conditioning)
    gan.compile(keras.optimizers.Adam(2e-3, beta_1=0.5), keras.optimizers.Adam(2e-3, beta_1=0.5))
    gan.fit(data.make_dataset(points, 128, seed=0, labels=labels), epochs=40, verbose=0)
    for k, centre in enumerate(CENTRES):
        drawn = gan.generate(400, seed=k, labels=k)
        nearest = np.argmin(((drawn[:, None] - CENTRES[None]) ** 2).sum(-1), axis=1)
        assert np.mean(nearest == k) > 0.9, (k, np.bincount(nearest, minlength=4))
        assert np.linalg.norm(drawn.mean(axis=0) - centre) < 0.5
    with pytest.raises(ValueError, match=r"trains on \(examples, labels\) batches"):
        gan.fit(points, batch_size=128, epochs=1, verbose=0)


def test_the_labels_contract_and_saving(tmp_path):
    gan = _conditional_gan()
    gan.compile("adam", "adam", loss="wgan-gp")
    points, labels = _four_blobs(256)
    history = gan.fit(data.make_dataset(points, 64, labels=labels), epochs=1, verbose=0)
    assert np.isfinite(history.history["d_loss"]).all()  # the penalty: on the points alone
    assert gan.n_classes == 4
    noise = gan.sample_noise(5, seed=1, labels=2)
    assert noise.shape == (5, 8) and (noise[:, 4:].argmax(axis=1) == 2).all()
    np.testing.assert_array_equal(noise[:, :4], gan.sample_noise(5, seed=1, labels=0)[:, :4])
    np.testing.assert_array_equal(gan.with_labels(noise[:, :4], 2), noise)
    with pytest.raises(ValueError, match=r"z must be noise \(n, 4\), got shape \(5, 8\)"):
        gan.with_labels(noise, 2)
    drawn = gan.sample_noise(400, seed=0)[:, 4:].argmax(axis=1)
    assert set(drawn) == {0, 1, 2, 3}  # without labels: uniform draws
    with pytest.raises(ValueError, match=r"labels must lie in \[0, 3\]"):
        gan.generate(2, labels=[0, 4])
    assert gan.discriminate(points[:5], labels=labels[:5]).shape == (5,)
    with pytest.raises(ValueError, match="needs the labels of x"):
        gan.discriminate(points[:5])
    gan.save(tmp_path / "cgan.keras")
    loaded = keras.models.load_model(tmp_path / "cgan.keras")
    np.testing.assert_array_equal(
        loaded.generate(6, seed=3, labels=[0, 1, 2, 3, 0, 1]),
        gan.generate(6, seed=3, labels=[0, 1, 2, 3, 0, 1]),
    )


def test_a_conditional_latent_gan_takes_labels_with_images_or_codes(autoencoder, images):
    labels = np.arange(len(images)) % 10
    keras.utils.set_random_seed(0)
    model = LatentGAN.from_autoencoder(
        autoencoder,
        build_mlp_generator(3, 4, (16,), n_classes=10),
        build_mlp_discriminator(4, (16,), condition_dim=10, conditioning="projection"),
        seed=0,
    )
    model.adapt(images)
    model.compile("adam", "adam")
    model.fit(data.make_dataset(images, 64, labels=labels), epochs=1, verbose=0)
    model.fit(data.make_dataset(model.encode(images), 64, labels=labels), epochs=1, verbose=0)
    assert model.generate(3, seed=0, labels=[1, 2, 3]).shape == (3, 28, 28, 1)
    assert model.generate_codes(3, seed=0, labels=7).shape == (3, 4)
    with pytest.raises(ValueError, match=r"trains on \(examples, labels\) batches"):
        model.fit(images, batch_size=64, epochs=1, verbose=0)


@pytest.mark.parametrize("jit", [False, True])
def test_labels_outside_the_classes_are_refused_in_the_pipeline_also_under_xla(jit):
    points, labels = _four_blobs(256)
    gan = _conditional_gan()
    gan.compile("adam", "adam", jit_compile=jit)
    gan.fit(data.make_dataset(points, 64, labels=labels), epochs=1, verbose=0)
    message = r"the labels of a batch must be whole numbers in \[0, 3\], one class per example"
    with pytest.raises(ValueError, match=message):
        gan.fit(data.make_dataset(points, 64, labels=labels + 1), epochs=1, verbose=0)
    with pytest.raises(ValueError, match=message + r".*They reached 1 to 4"):
        gan.fit(points, labels + 1, batch_size=64, epochs=1, verbose=0)
