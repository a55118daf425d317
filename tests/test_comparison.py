import numpy as np
import pytest

from aegan_tf import data, recipes
from aegan_tf.book import comparison
from aegan_tf.models.composed import output_range


@pytest.fixture(scope="module")
def images():
    return data.load("mnist", limit=512)[0]


@pytest.fixture(scope="module")
def labels():
    return data.load("mnist", limit=512)[1]


@pytest.mark.parametrize(
    "name, setting",
    [("latent GAN", "chapter 5's"), ("latent GAN", "encoded once, EMA 0.999"),
     ("latent diffusion", "EMA 0.999"), ("conditional latent GAN", "concatenation")],
)  # fmt: skip
def test_a_two_phase_contestant_spends_one_budget_and_is_measured(
    images, labels, monkeypatch, name, setting
):
    # a model of codes: an autoencoder for a share of the budget, then the model of its codes
    # until the budget is spent. The autoencoder needs ~150 steps to pass adapt's check: a
    # large share keeps this test short; 25.5 s of it leave a margin for a slow or loaded
    # machine (17 s was flaky beside other work on the 2-core Intel Xeon)
    options = {**comparison.SETTINGS[name][setting], "autoencoder_share": 0.85}
    monkeypatch.setitem(comparison.SETTINGS[name], setting, options)
    latent = comparison.train_contestant(
        name, images, 30.0, 0, curve_every=1.0, curve_samples=200, setting=setting, labels=labels
    )
    optimizer = getattr(latent.model, "g_optimizer", None) or latent.model.optimizer
    assert optimizer.use_ema == ("EMA" in setting)
    assert latent.model.n_classes == (10 if name in comparison.CONDITIONAL_MODELS else None)
    assert latent.seconds >= 30.0  # (stops only once the budget is spent; no upper bound:
    # how far the last step overshoots depends on the machine and its load)
    assert latent.curve and all(s >= 25.5 for s, _ in latent.curve)  # after the autoencoder
    report = comparison.measure(latent, images, n=200)
    assert {"FID", "recall", "classes", "training seconds", "images per second"} <= set(report)
    assert report["training seconds"] == latent.seconds and report["images per second"] > 0
    samples = latent.sample(4, seed=1)
    assert samples.shape == (4, 28, 28, 1) and samples.min() >= 0 and samples.max() <= 1
    ae_seconds, ae_steps = latent.autoencoder
    assert 0 < ae_steps < latent.steps and 0 < ae_seconds < latent.seconds
    bound = comparison.reconstruction_report(latent, images, n=200)  # its decoder's best
    assert bound["FID"] < report["FID"]  # (after a few seconds' training, by far)
    if name != "latent GAN":
        return
    own = comparison.mixture_on_own_autoencoder(latent, images, n_components=3)
    assert own.model.encoder is latent.model.encoder and own.model.n_components == 3
    assert own.steps == ae_steps and ae_seconds < own.seconds < latent.seconds
    assert own.name == comparison.OWN_AUTOENCODER_MIXTURE and latent.setting in own.setting
    samples = own.sample(4, seed=1)
    assert samples.shape == (4, 28, 28, 1) and samples.min() >= 0 and samples.max() <= 1


@pytest.mark.parametrize("name", ["AAE", "VAE", "VAE-GAN", "BiGAN"])
def test_every_one_phase_contestant_trains_and_samples_in_zero_one(images, name):
    contestant = comparison.train_contestant(name, images, seconds=1.0, seed=0)
    assert contestant.seconds >= 1.0  # the first step, with its tracing, may take longer
    assert contestant.steps >= 1 and contestant.setting == next(iter(comparison.SETTINGS[name]))
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


def test_every_family_has_three_settings_and_each_builds_in_its_own_range(images):
    assert list(comparison.SETTINGS) == list(comparison.MODELS)
    for name, settings in comparison.SETTINGS.items():
        assert len(settings) == 3, name
        if name in comparison.CODE_MODELS:
            for options in settings.values():
                fields = {
                    k: v for k, v in options.items() if k in ("autoencoder_share", "encode_once")
                }
                comparison.CodesBudget(**fields)
                assert set(options) - set(fields) <= set(recipes.options(name, second=True))
        elif name in recipes.RECIPES:
            for i, options in enumerate(settings.values()):
                options = {"recipe": name, **options}  # (the others: the recipe's keywords)
                model = recipes.build(options.pop("recipe"), 0, **options)
                network = model.decoder if hasattr(model, "decoder") else model.generator
                assert output_range(network) in {(0.0, 1.0), (-1.0, 1.0)}
                chapter_range = recipes.recipe(name).value_range
                assert i > 0 or output_range(network) == chapter_range  # the chapter's


def test_a_setting_changes_the_model_and_its_range(images):
    bigan = comparison.train_contestant(
        "BiGAN", images, 1.0, setting="MLP, uniform prior, R1 10 (chapter 8)"
    )
    assert bigan.value_range == (0.0, 1.0) and bigan.model.prior == "uniform"
    assert bigan.model.objective.r1_weight == 10.0 and bigan.steps >= 1
    samples = bigan.sample(3)
    assert samples.min() >= 0 and samples.max() <= 1
    with pytest.raises(ValueError, match="'VAE' has the settings"):
        comparison.train_contestant("VAE", images, 1.0, setting="Adam 1")
    with pytest.raises(TypeError, match="latent_gan must hold a LatentGAN, got BiGAN"):
        comparison.mixture_on_own_autoencoder(bigan, images, n_components=3)
    with pytest.raises(TypeError, match=r"codes .* reconstructs, got BiGAN"):
        comparison.reconstruction_report(bigan, images)


def test_the_validation_split_holds_out_a_fixed_random_share(images):
    fitting, held_out = comparison.validation_split(images, held_out=100)
    assert len(fitting) == len(images) - 100 and len(held_out) == 100
    again = comparison.validation_split(images, held_out=100)
    np.testing.assert_array_equal(again[1], held_out)  # the same split for every run
    together = np.concatenate([fitting, held_out]).reshape(len(images), -1)
    assert len(np.unique(together, axis=0)) == len(
        np.unique(images.reshape(len(images), -1), axis=0)
    )
    assert not np.array_equal(held_out, images[:100])  # drawn at random, not the first ones
    with pytest.raises(ValueError, match="held_out must be at least 2"):
        comparison.validation_split(images, held_out=len(images))
    fitting_at, held_out_at = comparison.validation_indices(len(images), held_out=100)
    np.testing.assert_array_equal(images[held_out_at], held_out)  # labels can follow them
    np.testing.assert_array_equal(images[fitting_at], fitting)


def test_chosen_settings_take_the_lowest_mean_validation_kid():
    def run(model, setting, kid):
        return {"model": model, "setting": setting, "validation KID x 1000": kid}

    runs = [run("VAE", "a", 5.0), run("VAE", "b", 3.0), run("VAE", "b", 8.0),  # b: 5.5
            run("VAE", "c", 4.0), run("AAE", "x", 1.0)]  # fmt: skip
    assert comparison.chosen_settings(runs) == {"VAE": "c", "AAE": "x"}


def test_validation_kid_is_small_for_held_out_real_digits_and_large_for_noise(images):
    fitting, held_out = comparison.validation_split(images, held_out=200)

    class Replay:  # a "model" that draws training digits, or uniform noise
        def __init__(self, pool):
            self.pool = pool

        def generate(self, n, seed=0):
            return self.pool[np.random.default_rng(seed).choice(len(self.pool), n)]

    def contestant(pool):
        return comparison.Contestant("VAE", Replay(pool), 1.0, (0.0, 1.0), steps=1)

    real, _ = comparison.validation_kid(contestant(fitting), held_out, n=300)
    noise = np.random.default_rng(0).random(fitting.shape).astype(np.float32)
    bad, _ = comparison.validation_kid(contestant(noise), held_out, n=300)
    assert abs(real) < 0.1 * bad


def test_clear_errors(images):
    with pytest.raises(ValueError, match="Unknown model 'GAN'"):
        comparison.train_contestant("GAN", images, seconds=1)
    with pytest.raises(ValueError, match=r"images must be in \[0, 1\]"):
        comparison.train_contestant("VAE", 2 * images - 1, seconds=1)
    with pytest.raises(ValueError, match="seconds must be > 0"):
        comparison.train_contestant("VAE", images, seconds=0)
    with pytest.raises(ValueError, match="images must be a batch of images"):
        comparison.train_contestant("VAE", images.reshape(len(images), -1), seconds=1)
    with pytest.raises(ValueError, match="trains on the digits' labels: pass labels="):
        comparison.train_contestant("conditional latent GAN", images, seconds=1)
    with pytest.raises(ValueError, match=r"labels must be 512 whole-number classes, one per image"):
        comparison.train_contestant("conditional latent GAN", images, 1, labels=np.zeros(3))


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
    low, high = rows[0]["FID 95% interval"]  # 25 ± 12.706 * 7.07 / √2
    assert (low, high) == pytest.approx((25 - 63.53, 25 + 63.53), abs=0.01)
    assert np.isnan(rows[1]["FID 95% interval"]).all()
    shown = comparison.format_summary(rows)
    assert list(shown[0]) == ["model", "seeds", *comparison.COLUMNS]
    assert shown[0]["FID"] == "25.00 ± 7.07" and shown[0]["recall"] == "0.50 ± 0.71"
    assert shown[1]["FID"] == "40.00" and shown[1]["training seconds"] == "0"


def test_the_t_interval_covers_the_mean_as_often_as_it_says():
    rng = np.random.default_rng(0)
    for n in (3, 12, 60):  # a tabled t, and Fisher's expansion above 30 degrees of freedom
        draws = rng.normal(5.0, 2.0, size=(4000, n))
        low, high = np.array([comparison.t_interval(d) for d in draws]).T
        assert 0.935 < np.mean((low <= 5.0) & (5.0 <= high)) < 0.965, n


def test_the_shipped_grid_has_every_model_in_its_chosen_setting_and_its_samples():
    runs = comparison.load_results()["runs"]
    budgets = {r["budget seconds"] for r in runs}
    assert budgets, "aegan_tf/book/results/compare_models.json holds no runs"
    samples = comparison.load_samples()
    chosen = comparison.chosen_settings(comparison.load_results(comparison.TUNING)["runs"])
    for run in runs:
        if run["model"] == comparison.OWN_AUTOENCODER_MIXTURE:  # beside each latent GAN
            mixture = chosen["autoencoder + Gaussian mixture"]
            assert run["setting"].startswith(mixture.split(" (")[0])
            assert chosen["latent GAN"] in run["setting"]
        else:
            assert run["model"] in comparison.MODELS and run["setting"] == chosen[run["model"]]
        assert set(comparison.COLUMNS) <= set(run)
        assert run["curve"][-1] == [run["training seconds"], run["FID"]]
        images = samples[(run["model"], run["seed"], run["budget seconds"])]
        assert images.shape == (12, 28, 28, 1) and 0 <= images.min() and images.max() <= 1
    second = {r["model"] for r in comparison.load_results(comparison.SECOND_SITTING)["runs"]}
    for budget in budgets:  # every model: in the grid, or raced in the second sitting
        raced = {r["model"] for r in runs if r["budget seconds"] == budget} | second
        assert set(comparison.MODELS) <= raced


def test_seconds_to_reach_is_the_first_measurement_at_or_below_the_target():
    curve = [[10.0, 90.0], [40.0, 9.0], [70.0, 12.0], [100.0, 8.0]]
    assert comparison.seconds_to_reach(curve, 10.0) == 40.0
    assert comparison.seconds_to_reach(curve, 8.0) == 100.0
    assert np.isnan(comparison.seconds_to_reach(curve, 5.0))


def test_the_shipped_tuning_runs_every_setting_of_a_family_on_one_machine():
    runs = comparison.load_results(comparison.TUNING)["runs"]
    assert runs, "aegan_tf/book/results/tune_models.json holds no runs"
    for model in {r["model"] for r in runs}:
        family = [r for r in runs if r["model"] == model]
        assert {r["setting"] for r in family} == set(comparison.SETTINGS[model]), model
        assert len({r["machine"] for r in family}) == 1  # its settings competed side by side
        assert all(r["steps"] > 0 and np.isfinite(r["validation KID x 1000"]) for r in family)


def test_the_second_sitting_races_the_other_models_of_codes_beside_the_latent_gan():
    second = comparison.load_results(comparison.SECOND_SITTING)["runs"]
    for model in comparison.CODE_MODELS:
        assert sorted(r["seed"] for r in second if r["model"] == model) == [0, 1, 2], model
    assert len({r["machine"] for r in second}) == 1 and len({r["date"] for r in second}) == 1
    chosen = comparison.chosen_settings(comparison.load_results(comparison.TUNING)["runs"])
    for run in second:
        if run["model"] in comparison.CODE_MODELS:  # with its decoder's bound
            assert run["setting"] == chosen[run["model"]]
            assert np.isfinite(run["reconstruction FID"]) and run["reconstruction FID"] > 0
    samples = comparison.load_samples(comparison.SECOND_SITTING)
    assert all(samples[(r["model"], r["seed"], r["budget seconds"])].shape == (12, 28, 28, 1)
               for r in second)  # fmt: skip
