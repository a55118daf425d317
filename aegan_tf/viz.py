"""Figures. Every function returns a ``matplotlib.figure.Figure``.

Each figure is closed in ``pyplot`` before it is returned: a notebook shows it once, as the
cell's value (not a second time when the cell ends), a script saves it with
``fig.savefig(path)``, and nothing piles up in pyplot's global state during long runs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
from matplotlib import pyplot as plt
from matplotlib.figure import Figure

from aegan_tf._validation import check_finite, check_images, check_positive_int
from aegan_tf.latent import PrincipalComponents, interpolate


def _figure(figsize: tuple[float, float]) -> Figure:
    fig = plt.figure(figsize=figsize)
    plt.close(fig)
    return fig


def _to_numpy(x: Any) -> np.ndarray:
    return np.asarray(x.numpy() if hasattr(x, "numpy") else x)


def _check_drawable(images: np.ndarray, value_range: tuple[float, float], name: str) -> None:
    """Refuse images that would draw blank or all white: non-finite values, or values far
    outside ``value_range`` (0-255 pixels under ``(0, 1)``). A little outside (noisy inputs)
    is drawn clipped."""
    check_finite(images, name)
    low, high = value_range
    if not high > low:
        raise ValueError(f"value_range must be (low, high) with low < high, got {value_range}.")
    lo, hi = float(np.min(images)), float(np.max(images))
    if hi > high + 10 * (high - low) or lo < low - 10 * (high - low):
        raise ValueError(
            f"{name} reach {lo:.4g} to {hi:.4g}, far outside value_range={value_range}: they "
            f"would draw as one flat colour. Pass the range they are in (for 0-255 pixels, "
            f"aegan_tf.data.scale_images first)."
        )


def _show(ax, image: np.ndarray, value_range: tuple[float, float]) -> None:
    low, high = value_range
    image = np.clip((image - low) / (high - low), 0.0, 1.0)  # (H, W, C) in [0, 1]
    if image.shape[-1] == 1:
        ax.imshow(image[..., 0], cmap="gray", vmin=0.0, vmax=1.0)
    else:
        ax.imshow(image)
    ax.set_xticks([])
    ax.set_yticks([])


def image_grid(
    images: Any,
    ncols: int = 10,
    value_range: tuple[float, float] = (0.0, 1.0),
    title: str | None = None,
    cell_size: float = 0.9,
) -> Figure:
    """All of ``images`` ``(N, H, W, C)`` in a grid of ``ncols`` columns."""
    images = _to_numpy(images)
    check_images(images)
    _check_drawable(images, value_range, "images")
    ncols = min(check_positive_int(ncols, "ncols"), len(images))
    nrows = -(-len(images) // ncols)
    fig = _figure((cell_size * ncols, cell_size * nrows + (0.4 if title else 0)))
    axes = fig.subplots(nrows, ncols, squeeze=False)
    for i, ax in enumerate(axes.flat):
        if i < len(images):
            _show(ax, images[i], value_range)
        else:
            ax.axis("off")
    if title:
        fig.suptitle(title)
    fig.subplots_adjust(wspace=0.05, hspace=0.05)
    return fig


def image_rows(
    rows: Mapping[str, Any],
    n: int = 10,
    value_range: tuple[float, float] = (0.0, 1.0),
    cell_size: float = 0.9,
) -> Figure:
    """One labelled row per entry of ``rows`` (for example inputs above reconstructions).

    ``rows`` maps a label to images ``(N, H, W, C)``; the first ``n`` of each are shown,
    column ``j`` of every row showing example ``j``.
    """
    if not rows:
        raise ValueError("rows must name at least one set of images.")
    arrays = {label: _to_numpy(x) for label, x in rows.items()}
    for label, x in arrays.items():
        check_images(x, f"rows[{label!r}]")
        _check_drawable(x, value_range, f"rows[{label!r}]")
    n = min([check_positive_int(n, "n")] + [len(x) for x in arrays.values()])
    fig = _figure((cell_size * n + 1.2, cell_size * len(arrays)))
    axes = fig.subplots(len(arrays), n, squeeze=False)
    for r, (label, x) in enumerate(arrays.items()):
        for j in range(n):
            _show(axes[r, j], x[j], value_range)
        axes[r, 0].set_ylabel(label, rotation=0, ha="right", va="center")
    fig.subplots_adjust(wspace=0.05, hspace=0.05, left=0.12)
    return fig


def latent_scatter(
    codes: Any, labels: Any, title: str = "Latent codes, coloured by label"
) -> Figure:
    """Scatter of 2-D codes ``(N, 2)`` coloured by integer ``labels`` ``(N,)``."""
    codes, labels = _to_numpy(codes), _to_numpy(labels)
    if codes.ndim != 2 or codes.shape[1] != 2:
        raise ValueError(f"codes must have shape (N, 2), got {codes.shape}.")
    if labels.shape != (codes.shape[0],):
        raise ValueError(f"labels must have shape ({codes.shape[0]},), got {labels.shape}.")
    fig = _figure((6, 5))
    ax = fig.subplots()
    points = ax.scatter(
        codes[:, 0], codes[:, 1], c=labels, cmap="tab10", s=6, alpha=0.8, vmin=-0.5, vmax=9.5
    )
    fig.colorbar(points, ax=ax, ticks=range(10), label="label")
    ax.set_xlabel("$h_1$")
    ax.set_ylabel("$h_2$")
    ax.set_title(title)
    return fig


def latent_manifold(
    decoder: Callable[[np.ndarray], Any],
    x_range: tuple[float, float],
    y_range: tuple[float, float],
    n: int = 15,
    value_range: tuple[float, float] = (0.0, 1.0),
) -> Figure:
    """The images a 2-D decoder makes on an ``n`` x ``n`` grid of codes over the given ranges.

    The top-left image decodes ``(x_range[0], y_range[1])``, like a scatter plot's corner.
    """
    n = check_positive_int(n, "n")
    xs = np.linspace(*x_range, n)
    ys = np.linspace(*y_range, n)[::-1]
    grid = np.array([[x, y] for y in ys for x in xs], np.float32)  # (n*n, 2), row by row
    images = _to_numpy(decoder(grid))
    check_images(images, "decoder output")
    _check_drawable(images, value_range, "decoder output")
    h, w, c = images.shape[1:]
    canvas = images.reshape(n, n, h, w, c).transpose(0, 2, 1, 3, 4).reshape(n * h, n * w, c)
    fig = _figure((6, 6))
    ax = fig.subplots()
    low, high = value_range
    canvas = np.clip((canvas - low) / (high - low), 0, 1)
    ax.imshow(
        canvas[..., 0] if c == 1 else canvas,
        cmap="gray",
        extent=(x_range[0], x_range[1], y_range[0], y_range[1]),
        aspect="auto",
    )
    ax.set_xlabel("$h_1$")
    ax.set_ylabel("$h_2$")
    ax.set_title("Decoded images over the latent plane")
    return fig


def loss_curves(
    history: Any,
    keys: list[str] | None = None,
    title: str = "Training curves",
    ylabel: str = "value per epoch (mean over its batches)",
) -> Figure:
    """Curves per epoch from a Keras ``History`` (or its ``.history`` dict).

    ``keys`` picks metrics (default: all); ``val_<name>`` is drawn dashed beside ``<name>``;
    ``ylabel`` names the y-axis (say what the numbers are: "MSE per pixel").
    """
    logs = history.history if hasattr(history, "history") else dict(history)
    if not logs:
        raise ValueError("history holds no metrics: was fit() run?")
    keys = keys or [k for k in logs if not k.startswith("val_")]
    missing = [k for k in keys if k not in logs]
    if missing:
        raise ValueError(f"keys {missing} not in history; it has {sorted(logs)}.")
    fig = _figure((6, 3.5))
    ax = fig.subplots()
    for k in keys:
        epochs = np.arange(1, len(logs[k]) + 1)
        (line,) = ax.plot(epochs, logs[k], marker="o", ms=3, label=k)
        if f"val_{k}" in logs:
            ax.plot(epochs, logs[f"val_{k}"], "--", color=line.get_color(), label=f"val_{k}")
    ax.set(xlabel="epoch", ylabel=ylabel, title=title)
    ax.legend()
    ax.grid(alpha=0.3)
    return fig


def interpolation_strip(
    decoder: Callable[[np.ndarray], Any],
    start: np.ndarray,
    end: np.ndarray,
    steps: int = 10,
    methods: tuple[str, ...] = ("linear",),
    value_range: tuple[float, float] = (0.0, 1.0),
) -> Figure:
    """The images decoded along the path from code ``start`` to code ``end``: a row per method.

    ``methods`` are those of :func:`aegan_tf.latent.interpolate` (``"linear"``, ``"slerp"``).
    """
    rows = {method: decoder(interpolate(start, end, steps, method)) for method in methods}
    return image_rows(rows, n=steps, value_range=value_range)


def point_cloud_snapshots(
    snapshots: list[dict],
    real: Any,
    extent: tuple[float, float] = (-3.0, 3.0),
    ncols: int = 4,
    probability: bool = True,
    cell_size: float = 3.0,
) -> Figure:
    """Panels of a 2-D GAN's training: real points, generated points, and ``D`` behind them.

    ``snapshots``: dicts with ``epoch``, ``fake`` ``(n, 2)`` and ``d_grid`` ``(R, R)`` or
    ``None`` (from :class:`aegan_tf.callbacks.PointCloudSnapshots`). ``probability``: ``D`` is a
    probability, drawn on a fixed 0–1 scale; otherwise a raw score, scaled per panel.
    """
    if not snapshots:
        raise ValueError("snapshots is empty.")
    real = _to_numpy(real)
    if real.ndim != 2 or real.shape[1] != 2:
        raise ValueError(f"real must have shape (N, 2), got {real.shape}.")
    ncols = min(check_positive_int(ncols, "ncols"), len(snapshots))
    nrows = -(-len(snapshots) // ncols)
    fig = _figure((cell_size * ncols + 0.8, cell_size * nrows))
    axes = fig.subplots(nrows, ncols, squeeze=False)
    lo, hi = extent
    field = None
    for ax, snap in zip(axes.flat, snapshots, strict=False):
        grid = snap["d_grid"]
        if grid is not None:  # None: a model without a discriminator
            limits = (0.0, 1.0) if probability else (float(grid.min()), float(grid.max()))
            field = ax.imshow(grid, origin="lower", extent=(lo, hi, lo, hi), cmap="RdBu",
                              vmin=limits[0], vmax=limits[1], alpha=0.7)  # fmt: skip
        ax.scatter(real[:, 0], real[:, 1], s=2, c="black", alpha=0.3, label="real")
        fake = snap["fake"]
        ax.scatter(fake[:, 0], fake[:, 1], s=2, c="darkorange", alpha=0.6, label="generated")
        ax.set_xlim(lo, hi)
        ax.set_ylim(lo, hi)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_title(snap.get("title", f"epoch {snap['epoch']}"))
    for ax in axes.flat[len(snapshots) :]:
        ax.axis("off")
    axes.flat[0].legend(loc="lower left", fontsize=7, markerscale=4)
    if field is not None:
        label = "D(x)" if probability else "critic score"
        fig.colorbar(field, ax=axes, shrink=0.8, label=label)
    return fig


_LINE_STYLES = ("-", "--", ":", "-.")


def metric_over_time(
    curves: Mapping[str, Any],
    ylabel: str = "FID",
    log_y: bool = True,
    title: str = "Sample quality against training time",
    xlabel: str = "training seconds",
) -> Figure:
    """One colour per model: ``{name: (seconds, values)}``, for example FID against seconds
    (or against epochs, with ``xlabel="epoch"``),
    or ``{name: [(seconds, values), ...]}`` for several runs of one model (seeds), drawn in
    the model's colour. Past ten models the colours repeat with another line style.

    NaN values (epochs that were not measured) are skipped.
    """
    if not curves:
        raise ValueError("curves is empty.")
    fig = _figure((6, 3.8))
    ax = fig.subplots()
    for index, (name, runs) in enumerate(curves.items()):
        style = {"color": f"C{index % 10}", "linestyle": _LINE_STYLES[index // 10 % 4]}
        if isinstance(runs, tuple):
            runs = [runs]
        for i, (seconds, values) in enumerate(runs):
            seconds, values = np.asarray(seconds, float), np.asarray(values, float)
            if seconds.shape != values.shape:
                raise ValueError(f"{name}: {seconds.shape} seconds but {values.shape} values.")
            kept = np.isfinite(values)
            ax.plot(
                seconds[kept], values[kept], marker="o", ms=3, **style,
                alpha=1.0 if len(runs) == 1 else 0.6, label=name if i == 0 else None,
            )  # fmt: skip
    if log_y:
        ax.set_yscale("log")
    ax.set(xlabel=xlabel, ylabel=ylabel, title=title)
    ax.legend(fontsize="small")
    ax.grid(alpha=0.3, which="both")
    return fig


def seed_intervals(
    values: Mapping[str, Any],
    intervals: Mapping[str, tuple[float, float]],
    xlabel: str = "FID",
    log_x: bool = True,
    title: str = "Each seed, and the 95% interval of the mean",
) -> Figure:
    """One row per model, top to bottom in the order of ``values``: its runs' values
    ``{name: (n_seeds,)}`` as dots, its mean as a bar, and ``intervals[name]`` (``(low,
    high)``, such as :func:`aegan_tf.book.comparison.t_interval`'s) as a line. On a log axis an
    interval reaching below the smallest value drawn is cut there and marked with ``<``;
    NaN intervals (one seed) are left out."""
    if not values:
        raise ValueError("values is empty.")
    if set(intervals) != set(values):
        raise ValueError(f"intervals must have the models of values, got {sorted(intervals)}.")
    runs = {name: np.asarray(v, float).ravel() for name, v in values.items()}
    for name, v in runs.items():
        check_finite(v, f"values[{name!r}]")
    fig = _figure((6, 0.45 * len(runs) + 1.2))
    ax = fig.subplots()
    floor = 0.5 * min(v.min() for v in runs.values()) if log_x else -np.inf
    for row, (name, v) in enumerate(runs.items()):
        y = len(runs) - 1 - row
        low, high = intervals[name]
        if np.isfinite(low) and np.isfinite(high):
            ax.plot([max(low, floor), high], [y, y], color="C0", lw=2, alpha=0.5)
            if low < floor:
                ax.plot([floor], [y], marker="<", ls="none", color="C0")
        ax.plot(v, np.full_like(v, y), "o", color="C1", ms=4)
        ax.plot([v.mean()], [y], "|", color="k", ms=14, mew=2)
    ax.set_yticks(range(len(runs)), list(runs)[::-1])
    if log_x:
        ax.set_xscale("log")
    ax.set(xlabel=xlabel, title=title)
    ax.grid(alpha=0.3, which="both", axis="x")
    return fig


def code_projection(
    real_codes: Any, generated_codes: Any, title: str = "Codes, projected on 2 principal axes"
) -> Figure:
    """Real and generated codes ``(N, D)`` on the first two principal axes of the real ones.

    The axes come from the real codes alone (PCA by SVD), so the generated codes are seen
    where the real ones lie.
    """
    real, generated = _to_numpy(real_codes), _to_numpy(generated_codes)
    if real.ndim != 2 or generated.ndim != 2 or real.shape[1] != generated.shape[1]:
        raise ValueError(
            f"codes must be (N, D) with one D, got {real.shape} and {generated.shape}."
        )
    axes = PrincipalComponents.fit(real, 2)
    fig = _figure((5.5, 5))
    ax = fig.subplots()
    for codes, label, colour in ((real, "real (encoded)", "black"),
                                 (generated, "generated", "darkorange")):  # fmt: skip
        projected = axes.encode(codes)
        ax.scatter(projected[:, 0], projected[:, 1], s=3, alpha=0.4, c=colour, label=label)
    ax.set(xlabel="principal axis 1", ylabel="principal axis 2", title=title)
    ax.legend(markerscale=4)
    return fig
