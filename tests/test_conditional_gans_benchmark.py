import numpy as np
import pytest

from aegan_tf import data, recipes
from aegan_tf.book import conditional_gans


@pytest.fixture(scope="module")
def digits():
    return data.load("mnist", "train", limit=1000)


class _Replay:
    """A "conditional model" that draws training digits of the class asked for (shifted by
    ``offset`` classes: a model that draws the wrong digit), in [-1, 1]."""

    def __init__(self, images, labels, offset=0):
        self.images, self.labels, self.offset = images, labels, offset

    def generate(self, n, seed=0, labels=None):
        rng = np.random.default_rng(seed)
        drawn = [rng.choice(np.flatnonzero(self.labels == (k + self.offset) % 10)) for k in labels]
        return 2 * self.images[drawn] - 1


def test_measure_reads_the_asked_digit_and_its_intra_class_distance(digits):
    images, labels = digits
    right = conditional_gans.measure(_Replay(images, labels), (-1.0, 1.0), images, labels,
                                     per_digit=60)  # fmt: skip
    wrong = conditional_gans.measure(_Replay(images, labels, offset=3), (-1.0, 1.0), images,
                                     labels, per_digit=60)  # fmt: skip
    assert right["asked-digit accuracy"] > 0.9 and wrong["asked-digit accuracy"] < 0.1
    assert len(right["accuracy by digit"]) == 10
    assert right["worst digit accuracy"] == min(right["accuracy by digit"])
    assert right["intra-class KID x 1000"] < 0.2 * wrong["intra-class KID x 1000"]
    assert right["classes"] == 10 and right["FID"] < 5  # the report: training digits
    with pytest.raises(ValueError, match="per_digit must be"):
        conditional_gans.measure(_Replay(images, labels), (-1.0, 1.0), images, labels, per_digit=0)


def test_the_models_are_the_chapter_recipes_and_bad_labels_are_named(digits):
    images, labels = digits
    assert set(conditional_gans.MODELS.values()) - {None} <= {"projection", "concatenate"}
    assert recipes.options("conditional latent GAN", second=True)["conditioning"] == "projection"
    with pytest.raises(ValueError, match=r"labels must be 1000 whole-number .* shape \(3,\)"):
        conditional_gans.train_models(images, labels[:3])


def test_the_shipped_runs_hold_every_model_with_three_seeds():
    runs = conditional_gans.load_results()["runs"]
    assert runs, "aegan_tf/book/results/conditional_gans.json holds no runs"
    for model in conditional_gans.MODELS:
        mine = [r for r in runs if r["model"] == model]
        assert sorted(r["seed"] for r in mine) == [0, 1, 2], model
        for run in mine:
            assert 0 <= run["worst digit accuracy"] <= run["asked-digit accuracy"] <= 1
            assert len(run["intra-class KID x 1000 by digit"]) == 10 and run["FID"] > 0
        assert len({r["machine"] for r in mine}) == 1
