import numpy as np
import pytest

from aegan_tf.book import latent_objectives
from aegan_tf.models import LatentGAN


def _adam(optimizer):
    return tuple(
        float(np.asarray(value))
        for value in (optimizer.learning_rate, optimizer.beta_1, optimizer.beta_2)
    )


def test_build_repeats_with_its_seed_and_applies_each_objectives_settings(autoencoder, images):
    first = latent_objectives.build(autoencoder, images, "WGAN-GP", seed=3)
    again = latent_objectives.build(autoencoder, images, "WGAN-GP", seed=3)
    for a, b in zip(first.get_weights(), again.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    assert isinstance(first, LatentGAN) and first.adapted
    assert first.generator.output_shape == (None, autoencoder.encoder.output_shape[-1])
    for name, settings in latent_objectives.OBJECTIVES.items():
        model = latent_objectives.build(autoencoder, images, name, seed=0)
        assert model.objective.loss == settings["loss"], name
        assert model.d_steps == settings["d_steps"], name
        expected = (
            settings.get("learning_rate", 1e-3),
            settings.get("beta_1", 0.5),
            settings.get("beta_2", 0.999),
        )
        for optimizer in (model.d_optimizer, model.g_optimizer):
            assert _adam(optimizer) == pytest.approx(expected), name


def test_build_refuses_an_unknown_objective(autoencoder, images):
    with pytest.raises(ValueError, match="objective must be one of"):
        latent_objectives.build(autoencoder, images, "least squares")


def test_build_autoencoder_is_chapter_5s():
    autoencoder = latent_objectives.build_autoencoder(seed=0)
    assert autoencoder.encoder.output_shape == (None, latent_objectives.CODE_DIM)
    assert float(np.asarray(autoencoder.optimizer.learning_rate)) == pytest.approx(2e-3)


def test_shipped_results_hold_each_objective_and_the_reconstructions_with_three_seeds():
    runs = latent_objectives.load_results()["runs"]
    for objective in (*latent_objectives.OBJECTIVES, "autoencoder reconstructions"):
        assert sorted(r["seed"] for r in runs if r["objective"] == objective) == [0, 1, 2]
    for run in runs:
        assert set(run["report"]) == {"FID", "KID x 1000", "precision", "recall", "classes",
                                      "classifier score", "nearest train image"}  # fmt: skip
        if run["objective"] in latent_objectives.OBJECTIVES:
            assert run["epochs"] == latent_objectives.OBJECTIVES[run["objective"]]["epochs"]
            assert len(run["fid_curve"]) == run["epochs"]
            assert run["fid_curve"][-1] > 0
