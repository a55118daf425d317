"""Run-time switches: fast mode, offline data, seeds and a device report.

Every notebook reads its sizes through :func:`by_mode`, so one environment variable,
``AEGAN_FAST=1``, turns the whole book into a quick smoke run (CI and the tests set it).
"""

from __future__ import annotations

import os
from typing import TypeVar

T = TypeVar("T")

FAST_ENV = "AEGAN_FAST"
"""Set to ``1`` for little data and few epochs in every chapter."""

OFFLINE_ENV = "AEGAN_OFFLINE"
"""Set to ``1`` to skip the network and use the data that installed packages ship."""

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"", "0", "false", "no", "off"}


def _flag(name: str) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(
        f"Environment variable {name} must be one of {sorted(_TRUE | _FALSE)}, got {value!r}."
    )


def is_fast() -> bool:
    """Whether fast mode (``AEGAN_FAST=1``) is on."""
    return _flag(FAST_ENV)


def is_offline() -> bool:
    """Whether the offline data source is forced (``AEGAN_OFFLINE=1``)."""
    return _flag(OFFLINE_ENV)


def by_mode(fast: T, full: T) -> T:
    """Return ``fast`` in fast mode and ``full`` otherwise.

    >>> epochs = by_mode(fast=1, full=30)
    """
    return fast if is_fast() else full


def set_seed(seed: int) -> None:
    """Seed Python, NumPy and TensorFlow (through Keras) for repeatable runs."""
    import keras

    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise ValueError(f"seed must be a non-negative int, got {seed!r}.")
    keras.utils.set_random_seed(seed)


def device_report() -> str:
    """One line saying which accelerator TensorFlow will use and whether fast mode is on."""
    import tensorflow as tf

    gpus = tf.config.list_physical_devices("GPU")
    if gpus:
        names = ", ".join(
            tf.config.experimental.get_device_details(g).get("device_name", g.name) for g in gpus
        )
        where = f"GPU: {names}"
    else:
        where = f"CPU only ({os.cpu_count()} cores): training will be slower than on a GPU"
    mode = "fast mode (AEGAN_FAST=1): small data, few epochs" if is_fast() else "full mode"
    return f"{where}; {mode}."
