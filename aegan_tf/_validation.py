"""Argument checks shared by the package: clear errors that name what was expected and what came."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

RELIABLE_SAMPLES = 100
"""Below this many samples in a set, FID, KID, precision and recall warn
(``aegan_tf.metrics.SmallSampleWarning``), and ``aegan-tf evaluate`` refuses: their values are
then dominated by the sample's own noise (FID also by its bias; it also needs more samples than
feature dimensions). The book uses 2,000."""


def _shape_of(x: Any) -> tuple:
    shape = getattr(x, "shape", None)
    if shape is None:
        raise TypeError(f"expected an array or tensor, got {type(x).__name__}.")
    return tuple(None if d is None else int(d) for d in shape)


def _dtype_name(x: Any) -> str:
    dtype = getattr(x, "dtype", None)
    return str(getattr(dtype, "name", dtype))


def check_images(
    x: Any, name: str = "images", image_shape: tuple[int, int, int] | None = None
) -> None:
    """Check that ``x`` is a float batch of images ``(N, H, W, C)``, optionally of ``image_shape``.

    Works on NumPy arrays, TensorFlow tensors and symbolic Keras tensors (unknown
    dimensions, ``None``, pass). Raises ``TypeError`` for a non-float dtype and
    ``ValueError`` for a wrong rank or size.
    """
    shape = _shape_of(x)
    expected = "(N, H, W, C)" if image_shape is None else f"(N, {', '.join(map(str, image_shape))})"
    if len(shape) != 4:
        raise ValueError(
            f"{name} must be a batch of images of shape {expected}, got shape {shape}"
            + (" (flattened images? reshape them to (N, 28, 28, 1))" if len(shape) == 2 else "")
            + "."
        )
    if image_shape is not None:
        for got, want in zip(shape[1:], image_shape, strict=True):
            if got is not None and got != want:
                raise ValueError(f"{name} must have shape {expected}, got shape {shape}.")
    dtype = _dtype_name(x)
    if "float" not in dtype:
        raise TypeError(
            f"{name} must be floating point (float32), got dtype {dtype}; "
            "scale integer pixels with aegan_tf.data.scale_images."
        )
    _check_not_empty(shape, name)


def _check_not_empty(shape: tuple, name: str) -> None:
    if shape[0] == 0:  # (None, a symbolic batch, passes)
        raise ValueError(f"{name} is empty: shape {shape} holds no example.")


def check_examples(x: Any, name: str = "examples") -> None:
    """Check that ``x`` is a float batch ``(N, ...)`` with at least one feature axis."""
    shape = _shape_of(x)
    if len(shape) < 2:
        raise ValueError(
            f"{name} must be a batch (N, ...) such as images (N, H, W, C) or points (N, D), "
            f"got shape {shape}."
        )
    dtype = _dtype_name(x)
    if "float" not in dtype:
        raise TypeError(f"{name} must be floating point (float32), got dtype {dtype}.")
    _check_not_empty(shape, name)


def check_value_range(
    x: np.ndarray, value_range: tuple[float, float], name: str = "images"
) -> None:
    """Check that ``x`` is finite and lies in ``value_range`` (a tiny float tolerance allowed).

    A range with negative values, such as ``(-1, 1)``, given a set that never goes below 0 is
    refused too: images in ``(-1, 1)`` have a background at -1, so such a set is almost surely
    in ``(0, 1)``, and every number computed from it would be silently wrong.
    """
    x = np.asarray(x)
    low, high = value_range
    if x.size == 0:
        return
    finite = np.isfinite(x)
    if not finite.all():
        raise ValueError(
            f"{name} hold {x.size - int(finite.sum())} non-finite values (NaN or infinity); "
            f"expected values in [{low}, {high}]."
        )
    lo, hi = float(np.min(x)), float(np.max(x))
    tol = 1e-5 * (high - low)
    if lo < low - tol or hi > high + tol:
        raise ValueError(f"{name} must lie in [{low}, {high}], got values in [{lo:.4g}, {hi:.4g}].")
    if low < 0 <= lo:
        raise ValueError(
            f"{name} were declared in [{low}, {high}] but never go below 0 (values in "
            f"[{lo:.4g}, {hi:.4g}]): they look like images in [0, 1]. Pass "
            f"value_range=(0.0, 1.0), or map them to [{low}, {high}] first."
        )


def check_positive_int(value: Any, name: str) -> int:
    """Return ``value`` if it is an int >= 1, else raise naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an int, got {type(value).__name__} ({value!r}).")
    if value < 1:
        raise ValueError(f"{name} must be >= 1, got {value}.")
    return int(value)


def check_number(value: Any, name: str, *, low: float | None = None, above: bool = False) -> float:
    """Return ``value`` as a float if it is a finite real number (and ``>= low``, or ``> low``
    with ``above``), else raise naming ``name``: NaN and infinity are refused (a NaN setting
    passes every ``<``/``>`` test and silently turns a feature off)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a number, got {type(value).__name__} ({value!r}).")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value}.")
    if low is not None and (value <= low if above else value < low):
        raise ValueError(f"{name} must be {'>' if above else '>='} {low:g}, got {value:g}.")
    return value


def check_finite(x: Any, name: str) -> np.ndarray:
    """``x`` as a NumPy array once every value is finite; else a ``ValueError`` that counts the
    NaN and infinite values and names ``name``."""
    x = np.asarray(x)
    if np.issubdtype(x.dtype, np.floating) or np.issubdtype(x.dtype, np.complexfloating):
        bad = x.size - int(np.isfinite(x).sum())
        if bad:
            raise ValueError(f"{name} hold {bad} non-finite values (NaN or infinity).")
    return x


def check_digit_labels(labels: Any, n: int, name: str) -> np.ndarray:
    """``labels`` as a NumPy array if they are ``n`` whole-number digits 0 to 9, one per image
    ``(n,)``; else a ``ValueError`` naming ``name``, the shape and dtype or the range that came."""
    labels = np.asarray(labels)
    if labels.shape != (n,) or labels.dtype.kind not in "iu":
        raise ValueError(
            f"{name} must be {n} whole-number classes, one per image, got shape "
            f"{labels.shape} of {labels.dtype}."
        )
    if n and (labels.min() < 0 or labels.max() > 9):
        raise ValueError(f"{name} must be digits 0 to 9, got {labels.min()} to {labels.max()}.")
    return labels
