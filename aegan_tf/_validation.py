"""Argument checks shared by the package: clear errors that name what was expected and what came."""

from __future__ import annotations

from typing import Any

import numpy as np


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


def check_value_range(
    x: np.ndarray, value_range: tuple[float, float], name: str = "images"
) -> None:
    """Check that every value of ``x`` lies in ``value_range`` (a tiny float tolerance allowed)."""
    low, high = value_range
    lo, hi = float(np.min(x)), float(np.max(x))
    tol = 1e-5 * (high - low)
    if lo < low - tol or hi > high + tol:
        raise ValueError(f"{name} must lie in [{low}, {high}], got values in [{lo:.4g}, {hi:.4g}].")


def check_positive_int(value: Any, name: str) -> int:
    """Return ``value`` if it is an int >= 1, else raise naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an int, got {type(value).__name__} ({value!r}).")
    if value < 1:
        raise ValueError(f"{name} must be >= 1, got {value}.")
    return int(value)
