import numpy as np
import pytest

from aegan_tf.book import semi_supervised
from aegan_tf.models import SemiSupervisedAAE


def _rate(optimizer):
    return float(np.asarray(optimizer.learning_rate))


def test_choose_labelled_takes_per_class_of_each_class_repeatably_with_its_seed():
    labels = np.repeat(np.arange(10), 30)
    chosen = semi_supervised.choose_labelled(labels, per_class=4, seed=5)
    assert chosen.shape == (40,) and len(np.unique(chosen)) == 40
    assert np.array_equal(np.bincount(labels[chosen]), np.full(10, 4))
    assert np.array_equal(chosen, semi_supervised.choose_labelled(labels, per_class=4, seed=5))
    assert not np.array_equal(chosen, semi_supervised.choose_labelled(labels, per_class=4, seed=6))


def test_choose_labelled_refuses_a_class_with_too_few_examples():
    with pytest.raises(ValueError, match="class 2 has 3 examples, fewer than 4"):
        semi_supervised.choose_labelled(np.array([0] * 9 + [1] * 9 + [2] * 3), per_class=4)


def test_build_is_the_chapters_model_and_the_ablation_stops_only_the_game():
    model = semi_supervised.build(seed=3)
    again = semi_supervised.build(seed=3)
    for a, b in zip(model.get_weights(), again.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    assert isinstance(model, SemiSupervisedAAE)
    assert (model.n_classes, model.style_dim) == (10, semi_supervised.STYLE_DIM)
    rates = semi_supervised.RATES
    assert _rate(model.ae_optimizer) == pytest.approx(rates["reconstruction"])
    assert _rate(model.c_optimizer) == pytest.approx(rates["classification"])
    for optimizer in (model.d_optimizer, model.g_optimizer):
        assert _rate(optimizer) == pytest.approx(rates["game"])
        assert float(np.asarray(optimizer.beta_1)) == pytest.approx(0.5)
    ablation = semi_supervised.build(seed=3, game=False)
    assert _rate(ablation.d_optimizer) == _rate(ablation.g_optimizer) == 0.0
    assert _rate(ablation.c_optimizer) == pytest.approx(rates["classification"])


def test_build_classifier_reads_the_first_ten_outputs_of_the_same_encoder():
    classifier = semi_supervised.build_classifier(seed=0)
    encoder = classifier.layers[0]
    assert encoder.output_shape == (None, 10 + semi_supervised.STYLE_DIM)
    assert classifier.output_shape == (None, 10)
    images = np.random.default_rng(0).random((4, 28, 28, 1), dtype=np.float32)
    np.testing.assert_allclose(
        classifier.predict(images, verbose=0), encoder.predict(images, verbose=0)[:, :10]
    )


def test_shipped_results_hold_each_method_with_three_seeds_and_the_same_labels():
    runs = semi_supervised.load_results()["runs"]
    methods = {r["method"] for r in runs}
    assert methods == {
        "semi-supervised AAE",
        "without the game",
        "supervised only",
        "autoencoder codes, linear probe",
        "pixels, linear probe",
    }
    for method in methods:
        assert sorted(r["seed"] for r in runs if r["method"] == method) == [0, 1, 2]
    for run in runs:
        assert run["labels"] == 10 * semi_supervised.LABELS_PER_CLASS
        assert 0.1 < run["accuracy"] <= 1.0
    steps = {r["steps"] for r in runs if r["method"] != "pixels, linear probe"}
    assert len(steps) == 1  # every trained method took the same number of steps
