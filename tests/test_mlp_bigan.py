import keras
import numpy as np
import pytest

from aegan_tf import data
from aegan_tf.book import mlp_bigan
from aegan_tf.models import (
    GAN,
    BiGAN,
    build_mlp_image_discriminator,
    build_mlp_image_generator,
)


@pytest.fixture(scope="module")
def digits():
    x, y = data.load("mnist", "train", limit=300)
    return x[:200], y[:200], x[200:], y[200:]


def test_networks_have_donahue_shapes_and_ranges():
    encoder, generator = mlp_bigan.build_encoder(), build_mlp_image_generator(mlp_bigan.CODE_DIM)
    assert encoder.output_shape == (None, mlp_bigan.CODE_DIM)
    assert generator.output_shape == (None, 28, 28, 1)
    assert [layer.units for layer in encoder.layers if hasattr(layer, "units")] == [1024, 1024, 50]
    assert encoder.layers[-1].activation.__name__ == "tanh"  # codes where U(-1, 1) puts noise
    assert generator.layers[-2].activation.__name__ == "sigmoid"
    joint = build_mlp_image_discriminator(mlp_bigan.CODE_DIM)
    assert [tuple(t.shape[1:]) for t in joint.inputs] == [(28, 28, 1), (50,)]
    assert build_mlp_image_discriminator(None).input_shape == (None, 28, 28, 1)


def test_build_is_repeatable_with_the_uniform_prior_and_r1():
    model, again = mlp_bigan.build(seed=4), mlp_bigan.build(seed=4)
    assert isinstance(model, BiGAN) and model.prior == "uniform"
    for a, b in zip(model.get_weights(), again.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    assert model.objective.r1_weight == mlp_bigan.R1_WEIGHT
    assert mlp_bigan.build(seed=4, r1_weight=0.0).objective.r1_weight == 0.0
    gan = mlp_bigan.build_gan(seed=4)
    assert isinstance(gan, GAN) and gan.prior == "uniform"
    assert gan.objective.r1_weight == mlp_bigan.R1_WEIGHT
    for optimizer in (model.d_optimizer, model.g_optimizer, gan.d_optimizer, gan.g_optimizer):
        assert float(np.asarray(optimizer.learning_rate)) == pytest.approx(2e-4)
        assert float(np.asarray(optimizer.beta_1)) == pytest.approx(0.5)


def test_latent_regressor_learns_to_give_back_the_noise():
    keras.utils.set_random_seed(0)
    generator = keras.Sequential(  # images that vary with z (an untrained MLP's barely do)
        [
            keras.Input((4,)),
            keras.layers.Dense(
                784, "sigmoid", kernel_initializer=keras.initializers.RandomNormal(1)
            ),
            keras.layers.Reshape((28, 28, 1)),
        ]
    )
    untrained = mlp_bigan.build_encoder(code_dim=4)
    z = np.random.default_rng(1).uniform(-1, 1, (256, 4)).astype(np.float32)
    images = generator(z, training=False)
    before = np.mean((untrained(images, training=False).numpy() - z) ** 2)
    encoder = mlp_bigan.fit_latent_regressor(generator, steps=300, seed=0, batch_size=64)
    after = np.mean((encoder(images, training=False).numpy() - z) ** 2)
    assert after < 0.25 * before, (after, before)  # z ~ U(-1, 1): variance 1/3 per unit


def test_inversion_scores_of_a_perfect_and_of_a_constant_inverse(digits):
    x_train, y_train, x_test, y_test = digits
    flat = lambda x: x.reshape(len(x), -1)  # noqa: E731  (the identity: codes are the pixels)
    perfect = mlp_bigan.inversion_scores(
        flat, lambda codes: codes.reshape(-1, 28, 28, 1), x_train, y_train, x_test, y_test
    )
    assert perfect["same_class"] == 1.0 and perfect["pixel_mse"] == 0.0
    assert 0.7 < perfect["nearest_neighbour"] <= 1.0  # pixels' 1-NN on 200 digits
    blot = mlp_bigan.inversion_scores(
        flat, lambda codes: np.repeat(x_train[:1], len(codes), 0), x_train, y_train, x_test, y_test
    )
    assert blot["same_class"] < 0.3 and blot["pixel_mse"] > 0.05


def test_shipped_results_hold_three_methods_with_three_seeds():
    runs = mlp_bigan.load_results()["runs"]
    assert {r["method"] for r in runs} == {"BiGAN", "BiGAN without R1", "latent regressor"}
    for method in ("BiGAN", "BiGAN without R1", "latent regressor"):
        chosen = [r for r in runs if r["method"] == method]
        assert sorted(r["seed"] for r in chosen) == [0, 1, 2]
        assert all(r["epochs"] == mlp_bigan.EPOCHS and r["steps"] > 0 for r in chosen)
        for r in chosen:
            assert 0 <= r["same_class"] <= 1 and 0 <= r["nearest_neighbour"] <= 1
