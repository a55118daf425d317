import keras
import numpy as np
import pytest
from PIL import Image

from aegan_tf import losses
from aegan_tf.callbacks import EpochProgressBar, PointCloudSnapshots, SampleGrid, frames_to_gif
from aegan_tf.models import (
    GAN,
    Autoencoder,
    build_dcgan_discriminator,
    build_dcgan_generator,
    build_dense_decoder,
    build_dense_encoder,
    build_mlp_discriminator,
    build_mlp_generator,
)


def test_progress_bar_counts_epochs_and_shows_the_loss(capsys):
    ae = Autoencoder(
        build_dense_encoder(2, hidden_units=(8,)), build_dense_decoder(2, hidden_units=(8,))
    )
    ae.compile(optimizer="adam", loss=losses.mse_reconstruction_loss)
    bar = EpochProgressBar("dense")
    ae.fit(np.zeros((8, 28, 28, 1), np.float32), epochs=3, verbose=0, callbacks=[bar])
    captured = capsys.readouterr()
    assert "dense: 100%" in captured.err and "3/3" in captured.err and "loss=" in captured.err
    lines = captured.out.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("dense: 3 epochs in ") and "; loss " in lines[0]


def _toy_gan():
    keras.utils.set_random_seed(0)
    gan = GAN(build_mlp_generator(4, 2, (8,)), build_mlp_discriminator(2, (8,)), seed=0)
    gan.compile(keras.optimizers.Adam(1e-3), keras.optimizers.Adam(1e-3))
    return gan


def _tiny_image_gan():
    keras.utils.set_random_seed(0)
    gan = GAN(
        build_dcgan_generator(4, filters=(8, 4, 4)), build_dcgan_discriminator(filters=(4, 4))
    )
    gan.compile(keras.optimizers.Adam(1e-3), keras.optimizers.Adam(1e-3))
    return gan


def test_sample_grid_writes_one_frame_per_epoch_and_a_gif(tmp_path):
    gan = _tiny_image_gan()
    grid = SampleGrid(n=4, ncols=2, frames_dir=tmp_path / "frames")
    images = np.zeros((16, 28, 28, 1), np.float32)
    gan.fit(images, batch_size=8, epochs=2, verbose=0, callbacks=[grid])
    gan.fit(images, batch_size=8, epochs=1, verbose=0, callbacks=[grid])  # resumed: continues
    assert [p.name for p in grid.frames] == [f"epoch_000{i}.png" for i in range(4)]
    gif = frames_to_gif(grid.frames, tmp_path / "training.gif", fps=5, hold_last=2)
    with Image.open(gif) as animation, Image.open(grid.frames[0]) as first:
        assert animation.n_frames == 4 and animation.size == first.size
        assert animation.info["loop"] == 0  # forever
        durations = []
        for i in range(4):
            animation.seek(i)
            durations.append(animation.info["duration"])
    assert durations == [200, 200, 200, 600]


class _Sampler(keras.Model):
    """A model with nothing of a GAN but ``generate``: what the callbacks may rely on."""

    def __init__(self, shape):
        super().__init__()
        self.shape_ = shape
        self.scale = self.add_weight(shape=(), initializer="ones")
        self.calls = []

    def generate(self, n, seed=0):
        self.calls.append((n, seed))
        rng = np.random.default_rng(seed)
        sample = rng.uniform(-1, 1, (n, *self.shape_)).astype(np.float32)
        return sample * float(self.scale.numpy())

    def train_step(self, data):
        return {"scale": self.scale}


def test_callbacks_work_with_any_model_that_generates(tmp_path):
    from aegan_tf import data
    from aegan_tf.callbacks import QualityMetrics

    real, _ = data.load("mnist", "test", value_range=(-1.0, 1.0), limit=32)
    images = _Sampler((28, 28, 1))
    images.compile()
    grid = SampleGrid(n=4, seed=7, frames_dir=tmp_path)
    quality = QualityMetrics(real, n=16, seed=3)
    history = images.fit(real, batch_size=16, epochs=2, verbose=0, callbacks=[grid, quality])
    assert len(grid.frames) == 3 and (4, 7) in images.calls  # same seed every epoch
    assert {seed for n, seed in images.calls if n == 4} == {7}
    assert np.isfinite(history.history["fid"]).all()
    points = _Sampler((2,))
    points.compile()
    snaps = PointCloudSnapshots(n=10, resolution=5)
    points.fit(np.zeros((8, 2), np.float32), epochs=1, verbose=0, callbacks=[snaps])
    assert [s["d_grid"] for s in snaps.snapshots] == [None, None]  # no discriminator to show
    assert snaps.snapshots[-1]["fake"].shape == (10, 2)


def test_frames_to_gif_rejects_empty_or_mixed_frames(tmp_path):
    with pytest.raises(ValueError, match="frames_dir"):
        frames_to_gif([], tmp_path / "x.gif")
    Image.fromarray(np.zeros((4, 4, 3), np.uint8)).save(tmp_path / "a.png")
    Image.fromarray(np.zeros((5, 4, 3), np.uint8)).save(tmp_path / "b.png")
    with pytest.raises(ValueError, match="one size"):
        frames_to_gif([tmp_path / "a.png", tmp_path / "b.png"], tmp_path / "x.gif")


def test_point_cloud_snapshots_every_k_epochs():
    gan = _toy_gan()
    snaps = PointCloudSnapshots(every=2, n=50, extent=(-2.0, 2.0), resolution=10)
    points = np.random.default_rng(0).normal(size=(32, 2)).astype(np.float32)
    gan.fit(points, batch_size=16, epochs=4, verbose=0, callbacks=[snaps])
    assert [s["epoch"] for s in snaps.snapshots] == [0, 2, 4]
    last = snaps.snapshots[-1]
    assert last["fake"].shape == (50, 2) and last["d_grid"].shape == (10, 10)
    assert ((last["d_grid"] > 0) & (last["d_grid"] < 1)).all()  # probabilities
    # row 0 of the grid is the bottom (y = -2), column 0 the left (x = -2)
    np.testing.assert_allclose(snaps.grid[0], [-2.0, -2.0])
    np.testing.assert_allclose(snaps.grid[10], [-2.0, -2.0 + 4 / 9], rtol=1e-6)


def test_quality_metrics_logs_fid_and_kid_into_the_history():
    from aegan_tf import data
    from aegan_tf.callbacks import QualityMetrics

    real, _ = data.load("mnist", "test", value_range=(-1.0, 1.0), limit=64)
    gan = _tiny_image_gan()
    quality = QualityMetrics(real, every=2, n=32)
    history = gan.fit(real, batch_size=32, epochs=4, verbose=0, callbacks=[quality])
    fids = history.history["fid"]
    assert len(fids) == 4 and np.isnan(fids[0]) and np.isnan(fids[2])
    assert fids[1] > 0 and fids[3] > 0 and np.isfinite(history.history["kid"][3])
    seconds = history.history["wall_seconds"]
    assert len(seconds) == 4 and bool(np.all(np.diff(seconds) > 0))


def test_quality_metrics_every_seconds_and_a_sampler_of_ones_own():
    from aegan_tf import data
    from aegan_tf.callbacks import QualityMetrics
    from aegan_tf.metrics import extract_features, fid

    real, _ = data.load("mnist", "test", value_range=(-1.0, 1.0), limit=64)
    calls = []

    def sampler(n, seed):
        calls.append((n, seed))
        return real[:n]

    # a long interval: only the first epoch is measured; offset by the seconds already spent
    quality = QualityMetrics(real, n=32, every_seconds=3600, already_spent=50.0, sampler=sampler)
    history = _tiny_image_gan().fit(real, batch_size=32, epochs=3, verbose=0, callbacks=[quality])
    fids = history.history["fid"]
    assert np.isfinite(fids[0]) and np.isnan(fids[1]) and np.isnan(fids[2])
    assert calls == [(32, 0)]
    # the sampler's images were measured: the FID of the first 32 real digits
    assert fids[0] == pytest.approx(fid(quality.real_features, extract_features(real[:32])))
    assert min(history.history["wall_seconds"]) > 50.0
    # a tiny interval: every epoch is measured
    quality = QualityMetrics(real, n=32, every_seconds=1e-9)
    history = _tiny_image_gan().fit(real, batch_size=32, epochs=2, verbose=0, callbacks=[quality])
    assert np.all(np.isfinite(history.history["fid"]))
    with pytest.raises(ValueError, match="not both"):
        QualityMetrics(real, every=2, every_seconds=10)
    with pytest.raises(ValueError, match="every_seconds must be a number > 0"):
        QualityMetrics(real, every_seconds=0)


def test_time_limit_stops_at_the_epoch_that_reaches_the_budget():
    from aegan_tf.callbacks import TimeLimit

    sampler = _Sampler((2,))
    sampler.compile()
    points = np.zeros((8, 2), np.float32)
    spent = TimeLimit(seconds=100.0, already_spent=100.0)  # the budget is used up already
    assert len(sampler.fit(points, epochs=5, verbose=0, callbacks=[spent]).history["scale"]) == 1
    assert spent.stopped_at_epoch == 0 and spent.seconds_used > 100.0
    ample = TimeLimit(seconds=3600.0, clock=_Ticks(10.0))
    assert len(sampler.fit(points, epochs=3, verbose=0, callbacks=[ample]).history["scale"]) == 3
    assert ample.stopped_at_epoch is None and ample.seconds_used == 30.0  # 3 epochs of 10 s
    # a clock that moves 10 s per reading: each epoch lasts 10 s, the third reaches 25 s
    tight = TimeLimit(seconds=25.0, clock=_Ticks(10.0))
    assert len(sampler.fit(points, epochs=9, verbose=0, callbacks=[tight]).history["scale"]) == 3
    assert tight.stopped_at_epoch == 2 and tight.seconds_used == 30.0
    for bad in (-1, float("nan")):
        with pytest.raises(ValueError, match="seconds must be a number >= 0, got"):
            TimeLimit(bad)


class _Ticks:
    """A clock for the tests: ``step`` seconds later at every reading, on any machine."""

    def __init__(self, step: float) -> None:
        self.now, self.step = 0.0, step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


def test_time_limit_within_epoch_stops_after_the_batch_that_spends_the_budget():
    from aegan_tf.callbacks import TimeLimit

    sampler = _Sampler((2,))
    sampler.compile()
    points = np.zeros((64, 2), np.float32)
    batches = []
    counter = keras.callbacks.LambdaCallback(on_train_batch_end=lambda b, logs: batches.append(b))
    spent = TimeLimit(seconds=100.0, already_spent=100.0, within_epoch=True)
    sampler.fit(points, batch_size=8, epochs=5, verbose=0, callbacks=[spent, counter])
    assert batches == [0] and spent.stopped_at_epoch == 0  # 1 of 8 batches, then stop
    whole = TimeLimit(seconds=100.0, already_spent=100.0)  # the default waits for the epoch
    batches.clear()
    sampler.fit(points, batch_size=8, epochs=5, verbose=0, callbacks=[whole, counter])
    assert batches == list(range(8))


def test_a_resumable_run_counts_on_and_returns_its_whole_history(tmp_path):
    from aegan_tf import data
    from aegan_tf.callbacks import QualityMetrics, resumable

    class Disconnect(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            if epoch == 2:
                raise RuntimeError("disconnected")

    real, _ = data.load("mnist", "test", value_range=(-1.0, 1.0), limit=32)
    images = np.zeros((16, 28, 28, 1), np.float32)
    run = tmp_path / "run"

    def session(*extra):
        grid = SampleGrid(n=4, ncols=2, frames_dir=tmp_path / "frames")
        quality = QualityMetrics(real, every=2, n=16)
        history = _tiny_image_gan().fit(
            images, batch_size=8, epochs=4, verbose=0,
            callbacks=[grid, quality, *resumable(run), *extra],
        )  # fmt: skip
        return grid, history

    with pytest.raises(RuntimeError, match="disconnected"):
        session(Disconnect())  # epochs 1 and 2 done, then the session is lost
    grid, history = session()  # a new session: new model, new callbacks
    assert [p.name for p in grid.frames] == ["epoch_0003.png", "epoch_0004.png"]  # no new 0
    assert sorted(p.name for p in (tmp_path / "frames").iterdir()) == [
        f"epoch_000{i}.png" for i in range(5)
    ]
    # The whole run's history: epochs 1-2 from the lost session, 3-4 from this one; every=2
    # counts the whole run's epochs, so epochs 2 and 4 were measured.
    assert history.epoch == [0, 1, 2, 3]
    measured = np.isfinite(history.history["fid"])
    assert measured.tolist() == [False, True, False, True]
    assert len(history.history["d_loss"]) == 4 and np.isfinite(history.history["d_loss"]).all()
    assert not (run / "backup").exists()  # the run ended: Keras deleted its backup ...
    _, again = session()  # ... so running the cell again trains anew
    assert again.epoch == [0, 1, 2, 3]
