import keras
import numpy as np
import pytest

from aegan_tf.priors import GaussianMixturePrior, GaussianPrior


def test_mixture_means_lie_on_a_circle_and_samples_follow_their_component():
    prior = GaussianMixturePrior(3, n_components=4, radius=2.0, std=0.1)
    np.testing.assert_allclose(np.linalg.norm(prior.means, axis=1), 2.0, atol=1e-6)
    np.testing.assert_allclose(prior.means[:, 2], 0.0)
    codes, components = prior.sample(4000, seed=1)
    codes, components = codes.numpy(), components.numpy()
    assert codes.shape == (4000, 3) and set(components) == {0, 1, 2, 3}
    offsets = codes - prior.means[components]
    np.testing.assert_allclose(offsets.std(axis=0), 0.1, rtol=0.06)
    np.testing.assert_allclose(np.bincount(components) / 4000, 0.25, atol=0.03)


def test_components_can_be_chosen_and_a_seed_repeats_the_draw():
    prior = GaussianMixturePrior(2, n_components=10)
    codes, components = prior.sample(3, seed=0, components=np.array([7, 7, 2]))
    np.testing.assert_array_equal(components.numpy(), [7, 7, 2])
    nearest = np.argmin(np.linalg.norm(codes.numpy()[:, None] - prior.means[None], axis=2), 1)
    np.testing.assert_array_equal(nearest, [7, 7, 2])
    again, _ = prior.sample(3, seed=0, components=np.array([7, 7, 2]))
    np.testing.assert_array_equal(codes.numpy(), again.numpy())
    other, _ = prior.sample(3, seed=1, components=np.array([7, 7, 2]))
    assert not np.array_equal(codes.numpy(), other.numpy())


def test_gaussian_prior_is_standard_normal():
    codes, components = GaussianPrior(5).sample(5000, seed=3)
    np.testing.assert_allclose(codes.numpy().mean(axis=0), 0.0, atol=0.05)
    np.testing.assert_allclose(codes.numpy().std(axis=0), 1.0, atol=0.05)
    assert set(components.numpy()) == {0}


def test_priors_round_trip_through_keras_serialisation():
    for prior in (GaussianPrior(4, std=2.0), GaussianMixturePrior(4, 6, radius=3.0)):
        again = keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(prior))
        assert type(again) is type(prior) and again.get_config() == prior.get_config()
        np.testing.assert_array_equal(again.means, prior.means)


@pytest.mark.parametrize(
    "make, error, message",
    [
        (lambda: GaussianMixturePrior(1, n_components=3), ValueError, "needs dim >= 2"),
        (lambda: GaussianMixturePrior(2, std=0.0), ValueError, r"std must be a finite number > 0"),
        (lambda: GaussianPrior(0), ValueError, "dim must be >= 1"),
        (lambda: GaussianMixturePrior(2, radius="4"), TypeError, "radius must be a number"),
    ],
)
def test_bad_priors_are_refused(make, error, message):
    with pytest.raises(error, match=message):
        make()


def test_out_of_range_or_float_components_are_refused():
    prior = GaussianMixturePrior(2, n_components=3)
    with pytest.raises(ValueError, match=r"components must be in \[0, 3\), got 0 to 3"):
        prior.sample(2, components=np.array([0, 3]))
    with pytest.raises(ValueError, match=r"components must be in \[0, 3\), got -1 to 1"):
        prior.sample(2, components=np.array([-1, 1]))
    with pytest.raises(TypeError, match="components must be integer labels"):
        prior.sample(2, components=np.array([0.0, 1.0]))
