"""Run-time switches: fast mode, offline data, run folders, the run's seed, a device report and
the precision policy.

Every notebook reads its sizes through :func:`by_mode`, so one environment variable,
``AEGAN_FAST=1``, turns the whole book into a quick smoke run (CI and the tests set it).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

FAST_ENV = "AEGAN_FAST"
"""Set to ``1`` for little data and few epochs in every chapter."""

OFFLINE_ENV = "AEGAN_OFFLINE"
"""Set to ``1`` to skip the network and use the data that installed packages ship."""

RUN_DIR_ENV = "AEGAN_RUN_DIR"
"""Where the chapters keep their training backups (default ``runs``, beside the notebook)."""

SEED_ENV = "AEGAN_SEED"
"""A whole number (default 0) that moves every seed a chapter draws from :func:`seed`: run a
chapter again with ``AEGAN_SEED=1`` to see how much of its result is the draw."""

ALL_DIGITS_ENV = "AEGAN_ALL_DIGITS"
"""Set to ``1`` for the chapters to train and measure on every MNIST digit they can load
(online: 60,000 and 10,000) instead of the 4,000 and 1,000 of :func:`digits`."""

BOOK_DIGITS = {"train": 4000, "test": 1000}
"""The digits a chapter uses: the whole offline set, so that online and offline runs do the
same work."""

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


def digits(split: str) -> int | None:
    """How many MNIST digits of ``split`` (``"train"`` or ``"test"``) a chapter uses in full
    mode, as ``data.load``'s ``limit``: the first 4,000 training and 1,000 test digits, online
    and offline alike; ``None`` (all of them) with ``AEGAN_ALL_DIGITS=1``, which changes the
    numbers a chapter prints (online, fifteen times the training digits)."""
    if split not in BOOK_DIGITS:
        raise ValueError(f"split must be one of {sorted(BOOK_DIGITS)}, got {split!r}.")
    return None if _flag(ALL_DIGITS_ENV) else BOOK_DIGITS[split]


def by_mode(fast: T, full: T) -> T:
    """Return ``fast`` in fast mode and ``full`` otherwise.

    >>> epochs = by_mode(fast=1, full=30)
    """
    return fast if is_fast() else full


def run_dir(name: str) -> Path:
    """The folder where the chapter's training run ``name`` keeps its backup, for
    ``keras.callbacks.BackupAndRestore(run_dir(name))``: ``$AEGAN_RUN_DIR/fast/name`` or
    ``.../full/name`` (by mode, so that a fast run never resumes a full one), with
    ``AEGAN_RUN_DIR`` ``runs`` by default. Read at each call: in Colab, set it to a Google
    Drive folder (``os.environ["AEGAN_RUN_DIR"] = "/content/drive/MyDrive/aegan-runs"``, after
    ``drive.mount("/content/drive")``) and a run survives a disconnect."""
    if not isinstance(name, str) or not name.strip() or Path(name).is_absolute():
        raise ValueError(f"name must be a relative folder name such as '03_dcgan', got {name!r}.")
    base = Path(os.environ.get(RUN_DIR_ENV, "").strip() or "runs")
    mode = base / ("fast" if is_fast() else "full")
    return mode / name if seed() == 0 else mode / f"seed{seed()}" / name  # (never another's)


def seed(offset: int = 0) -> int:
    """The run's seed: ``AEGAN_SEED`` (default 0) plus ``offset``, for the several seeds one
    chapter uses (weights, data order, samples). Read at each call."""
    if isinstance(offset, bool) or not isinstance(offset, int) or offset < 0:
        raise ValueError(f"offset must be a non-negative int, got {offset!r}.")
    text = os.environ.get(SEED_ENV, "").strip() or "0"
    if not text.isdigit():
        raise ValueError(
            f"Environment variable {SEED_ENV} must be a whole number >= 0, got {text!r}."
        )
    return int(text) + offset


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


POLICIES = ("float32", "mixed_bfloat16", "mixed_float16")
"""The precision policies :func:`set_precision` takes, besides ``"auto"``."""


def _cpu_flags() -> set[str]:
    """The CPU's feature flags from ``/proc/cpuinfo`` (empty where there is none)."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def _gpu_compute_capabilities() -> list[tuple[int, int]]:
    import tensorflow as tf

    details = [
        tf.config.experimental.get_device_details(g) for g in tf.config.list_physical_devices("GPU")
    ]
    return [tuple(d["compute_capability"]) for d in details if "compute_capability" in d]


def auto_precision() -> str:
    """The policy :func:`set_precision` picks for ``"auto"`` on this machine.

    ``mixed_float16`` when every GPU has tensor cores (compute capability 7.0 or newer: V100,
    T4, A100, H100, Colab's T4); ``mixed_bfloat16`` on a CPU with native bfloat16 arithmetic
    (the ``amx_bf16`` or ``avx512_bf16`` flag: Intel Sapphire Rapids and later, AMD Zen 4);
    ``float32`` otherwise, where mixed precision emulates bfloat16 and is slower.
    """
    capabilities = _gpu_compute_capabilities()
    if capabilities:
        return "mixed_float16" if min(capabilities) >= (7, 0) else "float32"
    return "mixed_bfloat16" if _cpu_flags() & {"amx_bf16", "avx512_bf16"} else "float32"


def set_precision(policy: str = "auto") -> str:
    """Set Keras's global dtype policy for the models built after this call; return its name.

    ``policy`` is ``"auto"`` (see :func:`auto_precision`) or one of :data:`POLICIES`. Under a
    mixed policy the package's networks compute in 16 bits and keep their weights, their final
    activations (images, logits) and the losses in float32; under ``mixed_float16`` the models'
    optimizers are wrapped in ``keras.optimizers.LossScaleOptimizer`` at ``compile``.
    """
    import keras

    if policy == "auto":
        policy = auto_precision()
    if policy not in POLICIES:
        raise ValueError(f"policy must be 'auto' or one of {POLICIES}, got {policy!r}.")
    keras.config.set_dtype_policy(policy)
    return policy
