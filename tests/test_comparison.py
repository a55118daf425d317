import dataclasses

import numpy as np
import pytest

from aegan_tf import comparison, data


@pytest.fixture(scope="module")
def images():
    return data.load("mnist", limit=512)[0]


@pytest.mark.parametrize("name", ["latent GAN", "latent GAN, tuned"])
def test_a_two_phase_contestant_spends_one_budget_and_is_measured(images, monkeypatch, name):
    # the latent GAN: an autoencoder for a share of the budget, then the GAN until the budget
    # is spent. The autoencoder needs ~150 steps to pass LatentGAN.adapt's check: a large
    # share keeps this test short on a slow machine.
    recipe = dataclasses.replace(comparison.LATENT_GANS[name], autoencoder_share=0.85)
    monkeypatch.setitem(comparison.LATENT_GANS, name, recipe)
    latent = comparison.train_contestant(
        name, images, seconds=20.0, seed=0, curve_every=1.0, curve_samples=200
    )
    assert latent.model.g_optimizer.use_ema == (name == "latent GAN, tuned")
    assert latent.seconds >= 20.0  # (stops only once the budget is spent; no upper bound:
    # how far the last step overshoots depends on the machine and its load)
    assert latent.curve and all(s >= 17.0 for s, _ in latent.curve)  # after the autoencoder
    report = comparison.measure(latent, images, n=200)
    assert {"FID", "recall", "classes", "training seconds", "images per second"} <= set(report)
    assert report["training seconds"] == latent.seconds and report["images per second"] > 0
    samples = latent.sample(4, seed=1)
    assert samples.shape == (4, 28, 28, 1) and samples.min() >= 0 and samples.max() <= 1


@pytest.mark.parametrize("name", ["AAE", "VAE", "VAE-GAN", "BiGAN"])
def test_every_one_phase_contestant_trains_and_samples_in_zero_one(images, name):
    contestant = comparison.train_contestant(name, images, seconds=1.0, seed=0)
    assert contestant.seconds >= 1.0  # the first step, with its tracing, may take longer
    samples = contestant.sample(3, seed=0)
    assert samples.shape == (3, 28, 28, 1) and samples.min() >= 0 and samples.max() <= 1


def test_the_mixture_baseline_trains_its_autoencoder_then_fits_ten_components(images):
    # adapt checks that the autoencoder learned (~150 steps): 15 s was not always enough on
    # this 2-core CPU (a fresh-clone CI failed there once), 30 s leaves twice the margin
    mixture = comparison.train_contestant("autoencoder + Gaussian mixture", images, seconds=30.0)
    assert mixture.model.n_components == 10 and mixture.model.adapted
    assert mixture.seconds >= 30.0  # the autoencoder, then the fit (no upper bound: see above)


def test_a_gan_in_minus_one_one_is_sampled_in_zero_one(images):
    dcgan = comparison.train_contestant("DCGAN", images, seconds=2.0, seed=0)
    assert dcgan.value_range == (-1.0, 1.0) and dcgan.curve == []
    raw = dcgan.model.generate(3, seed=2)
    np.testing.assert_allclose(dcgan.sample(3, seed=2), (raw + 1) / 2, atol=1e-6)


def test_clear_errors(images):
    with pytest.raises(ValueError, match="Unknown model 'GAN'"):
        comparison.train_contestant("GAN", images, seconds=1)
    with pytest.raises(ValueError, match=r"images must be in \[0, 1\]"):
        comparison.train_contestant("VAE", 2 * images - 1, seconds=1)
    with pytest.raises(ValueError, match="seconds must be > 0"):
        comparison.train_contestant("VAE", images, seconds=0)
    with pytest.raises(ValueError, match="images must be a batch of images"):
        comparison.train_contestant("VAE", images.reshape(len(images), -1), seconds=1)


def _run(model, seed, fid, budget=300.0):
    columns = {c: float(seed) for c in comparison.COLUMNS}
    return {"model": model, "seed": seed, "budget seconds": budget, **columns, "FID": fid}


def test_summarize_ranks_models_by_mean_fid_over_seeds_of_one_budget():
    runs = [
        _run("VAE", 0, 30.0),
        _run("VAE", 1, 20.0),
        _run("AAE", 0, 40.0),
        _run("latent GAN", 0, 5.0, budget=60.0),  # another budget: left out
    ]
    rows = comparison.summarize(runs, 300.0)
    assert [r["model"] for r in rows] == ["VAE", "AAE"]
    assert rows[0]["seeds"] == 2 and rows[0]["FID"] == 25.0
    assert rows[0]["FID std"] == pytest.approx(np.std([30.0, 20.0], ddof=1))  # 7.07
    assert rows[0]["recall"] == 0.5 and np.isnan(rows[1]["FID std"])  # one seed: no spread
    shown = comparison.format_summary(rows)
    assert list(shown[0]) == ["model", "seeds", *comparison.COLUMNS]
    assert shown[0]["FID"] == "25.00 ± 7.07" and shown[0]["recall"] == "0.50 ± 0.71"
    assert shown[1]["FID"] == "40.00" and shown[1]["training seconds"] == "0"


def test_the_shipped_grid_has_every_model_and_its_samples():
    runs = comparison.load_results()["runs"]
    budgets = {r["budget seconds"] for r in runs}
    assert budgets, "aegan_tf/results/compare_models.json holds no runs"
    samples = comparison.load_samples()
    for run in runs:
        assert run["model"] in comparison.MODELS or run["model"] in comparison.LATENT_GANS
        assert set(comparison.COLUMNS) <= set(run)
        assert run["curve"][-1] == [run["training seconds"], run["FID"]]
        images = samples[(run["model"], run["seed"], run["budget seconds"])]
        assert images.shape == (12, 28, 28, 1) and 0 <= images.min() and images.max() <= 1
    for budget in budgets:
        assert set(comparison.MODELS) <= {r["model"] for r in runs if r["budget seconds"] == budget}


def test_seconds_to_reach_is_the_first_measurement_at_or_below_the_target():
    curve = [[10.0, 90.0], [40.0, 9.0], [70.0, 12.0], [100.0, 8.0]]
    assert comparison.seconds_to_reach(curve, 10.0) == 40.0
    assert comparison.seconds_to_reach(curve, 8.0) == 100.0
    assert np.isnan(comparison.seconds_to_reach(curve, 5.0))
