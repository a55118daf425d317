import keras
import numpy as np
import pytest
from matplotlib.figure import Figure

from aegan_tf import viz
from aegan_tf.models import build_dense_decoder

IMAGES = np.random.default_rng(0).random((12, 28, 28, 1)).astype(np.float32)


def _images_shown(fig: Figure) -> int:
    return sum(len(ax.images) for ax in fig.axes)


def test_image_grid_shows_every_image_in_rows_of_ncols():
    fig = viz.image_grid(IMAGES, ncols=5, title="twelve")
    assert isinstance(fig, Figure) and _images_shown(fig) == 12 and len(fig.axes) == 15


def test_image_grid_handles_rgb_and_symmetric_range():
    rgb = IMAGES.repeat(3, axis=-1) * 2 - 1
    assert _images_shown(viz.image_grid(rgb, value_range=(-1.0, 1.0))) == 12


def test_image_rows_labels_each_row():
    fig = viz.image_rows({"input": IMAGES, "reconstruction": IMAGES[::-1]}, n=6)
    assert _images_shown(fig) == 12
    assert [ax.get_ylabel() for ax in fig.axes[::6]] == ["input", "reconstruction"]


def test_latent_scatter_and_its_errors():
    codes = np.random.default_rng(1).normal(size=(50, 2))
    fig = viz.latent_scatter(codes, np.arange(50) % 10)
    assert len(fig.axes[0].collections[0].get_offsets()) == 50
    with pytest.raises(ValueError, match=r"\(N, 2\), got \(50, 3\)"):
        viz.latent_scatter(np.zeros((50, 3)), np.zeros(50))
    with pytest.raises(ValueError, match=r"labels must have shape \(50,\)"):
        viz.latent_scatter(codes, np.zeros(49))


def test_latent_manifold_decodes_an_n_by_n_canvas():
    decoder = build_dense_decoder(2, hidden_units=(8,))
    fig = viz.latent_manifold(decoder, (-2, 2), (-1, 1), n=4)
    assert fig.axes[0].images[0].get_array().shape == (4 * 28, 4 * 28)


def test_loss_curves_pairs_validation_curves():
    history = {"loss": [3.0, 2.0, 1.0], "val_loss": [3.5, 2.5, 2.0]}
    fig = viz.loss_curves(history)
    assert [line.get_label() for line in fig.axes[0].lines] == ["loss", "val_loss"]
    assert fig.axes[0].get_xlabel() == "epoch" and fig.axes[0].get_ylabel()
    labelled = viz.loss_curves(history, ylabel="MSE per pixel")
    assert labelled.axes[0].get_ylabel() == "MSE per pixel"
    with pytest.raises(ValueError, match="not in history"):
        viz.loss_curves(history, keys=["accuracy"])
    with pytest.raises(ValueError, match="was fit\\(\\) run"):
        viz.loss_curves({})


def test_interpolation_strip_shows_each_step():
    decoder = build_dense_decoder(3, hidden_units=(8,))
    fig = viz.interpolation_strip(decoder, np.ones(3), -np.ones(3), 7, ("linear", "slerp"))
    assert _images_shown(fig) == 14
    assert [ax.get_ylabel() for ax in fig.axes[::7]] == ["linear", "slerp"]


def test_figures_reject_flat_images():
    with pytest.raises(ValueError, match="got shape \\(12, 784\\)"):
        viz.image_grid(IMAGES.reshape(12, -1))
    with pytest.raises(ValueError, match="at least one"):
        viz.image_rows({})


def test_keras_tensors_are_accepted():
    assert _images_shown(viz.image_grid(keras.ops.convert_to_tensor(IMAGES[:3]))) == 3


def test_point_cloud_snapshots_draws_one_panel_per_snapshot():
    real = np.random.default_rng(0).normal(size=(100, 2))
    snaps = [
        {"epoch": e, "fake": real[:20] * 0.1 * e, "d_grid": np.full((5, 5), 0.5)} for e in range(3)
    ]
    fig = viz.point_cloud_snapshots(snaps, real, ncols=2)
    panels = [ax for ax in fig.axes if ax.get_title()]
    assert [ax.get_title() for ax in panels] == ["epoch 0", "epoch 1", "epoch 2"]
    assert all(len(ax.collections) == 2 for ax in panels)  # real and generated points
    with pytest.raises(ValueError, match=r"\(N, 2\)"):
        viz.point_cloud_snapshots(snaps, np.zeros((5, 3)))


def test_metric_over_time_draws_one_line_per_model_and_skips_nan():
    fig = viz.metric_over_time(
        {"DCGAN": ([10, 20, 30], [90.0, np.nan, 50.0]), "latent GAN": ([15, 25], [20.0, 8.0])}
    )
    lines = fig.axes[0].get_lines()
    assert [len(line.get_xdata()) for line in lines] == [2, 2]
    assert fig.axes[0].get_yscale() == "log"
    assert fig.axes[0].get_xlabel() == "training seconds"
    by_epoch = viz.metric_over_time({"GAN": ([1, 2], [9.0, 8.0])}, xlabel="epoch")
    assert by_epoch.axes[0].get_xlabel() == "epoch"
    with pytest.raises(ValueError, match=r"\(3,\) seconds but \(2,\) values"):
        viz.metric_over_time({"x": ([1, 2, 3], [1.0, 2.0])})


def test_metric_over_time_draws_several_runs_of_a_model_in_one_colour_and_one_legend_entry():
    fig = viz.metric_over_time(
        {"VAE": [([1, 2], [30.0, 20.0]), ([1, 2, 3], [31.0, 22.0, 18.0])], "AAE": ([1], [9.0])}
    )
    lines = fig.axes[0].get_lines()
    assert len(lines) == 3 and lines[0].get_color() == lines[1].get_color() != lines[2].get_color()
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["VAE", "AAE"]


def test_metric_over_time_tells_more_than_ten_models_apart():
    fig = viz.metric_over_time({f"model {i}": ([1, 2], [3.0, 2.0]) for i in range(12)})
    looks = {(line.get_color(), line.get_linestyle()) for line in fig.axes[0].get_lines()}
    assert len(looks) == 12


def test_seed_intervals_draws_every_seed_the_mean_and_a_cut_interval():
    values = {"mixture": [2.7, 2.6, 2.9], "DCGAN": [17.0, 42.0, 20.0], "one": [9.0]}
    intervals = {"mixture": (2.3, 3.1), "DCGAN": (-10.0, 70.0), "one": (np.nan, np.nan)}
    fig = viz.seed_intervals(values, intervals)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["one", "DCGAN", "mixture"]
    dots = [line for line in ax.get_lines() if line.get_marker() == "o"]
    assert [len(line.get_xdata()) for line in dots] == [3, 3, 1]
    drawn = np.concatenate([line.get_xdata() for line in dots])
    assert sorted(drawn) == sorted(np.concatenate(list(values.values())))
    spans = [line.get_xdata() for line in ax.get_lines() if line.get_linestyle() == "-"]
    assert len(spans) == 2 and list(spans[0]) == [2.3, 3.1]  # none for one seed
    assert spans[1][0] == 0.5 * 2.6 and spans[1][1] == 70.0  # cut at half the smallest value
    assert [line.get_marker() for line in ax.get_lines()].count("<") == 1
    assert ax.get_xscale() == "log"
    with pytest.raises(ValueError, match="intervals must have the models of values"):
        viz.seed_intervals(values, {"mixture": (1.0, 2.0)})
    with pytest.raises(ValueError, match="values is empty"):
        viz.seed_intervals({}, {})


def test_code_projection_uses_the_real_codes_principal_axes():
    rng = np.random.default_rng(0)
    real = rng.normal(size=(200, 5)) * [10, 3, 1, 1, 1]  # axis 1 carries most variance
    fig = viz.code_projection(real, real[:50])
    first = fig.axes[0].collections[0].get_offsets()
    assert first.shape == (200, 2) and np.var(first[:, 0]) > np.var(first[:, 1]) > 1
    with pytest.raises(ValueError, match="one D"):
        viz.code_projection(real, real[:, :3])
