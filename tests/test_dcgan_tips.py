import numpy as np
import pytest

from aegan_tf.book import dcgan_tips


def test_build_repeats_with_its_seed_and_each_tip_changes_its_one_setting():
    first, again = dcgan_tips.build(3), dcgan_tips.build(3)
    for a, b in zip(first.get_weights(), again.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    assert first.generator.input_shape == (None, dcgan_tips.LATENT_DIM)
    assert first.generator.output_shape == (None, 28, 28, 1)
    for name, settings in dcgan_tips.TIPS.items():
        gan = dcgan_tips.build(0, **settings)
        d_rate = float(gan.d_optimizer.learning_rate.numpy())
        g_rate = float(gan.g_optimizer.learning_rate.numpy())
        assert g_rate == pytest.approx(dcgan_tips.LEARNING_RATE), name
        expected = settings.get("d_learning_rate", dcgan_tips.LEARNING_RATE)
        assert d_rate == pytest.approx(expected), name
        smoothing = gan.objective.label_smoothing
        assert smoothing == pytest.approx(settings.get("label_smoothing", 0.0)), name


def test_build_refuses_a_learning_rate_that_is_not_positive():
    with pytest.raises(ValueError, match="d_learning_rate"):
        dcgan_tips.build(0, d_learning_rate=-1e-4)


def test_shipped_results_hold_every_tip_with_three_seeds_and_their_samples():
    runs = dcgan_tips.load_results()["runs"]
    samples = dcgan_tips.load_samples()
    for tip in dcgan_tips.TIPS:
        seeds = sorted(r["seed"] for r in runs if r["tip"] == tip)
        assert seeds == [0, 1, 2], tip
        for seed in seeds:
            assert samples[(tip, seed)].shape == (10, 28, 28, 1)
            assert 0.0 <= samples[(tip, seed)].min() <= samples[(tip, seed)].max() <= 1.0
    for run in runs:
        assert len(run["d_real"]) == len(run["d_fake"]) == run["epochs"]
        assert np.isfinite(run["fid"]) and run["fid"] == run["fid_curve"][-1]
        assert set(run["report"]) == {"FID", "KID x 1000", "precision", "recall", "classes",
                                      "classifier score", "nearest train image"}  # fmt: skip
