"""aegan_tf: autoencoders, GANs and their combination in Keras 3 / TensorFlow.

The companion package of the *aegan-tf* book. Modules, lowest first: ``config``, ``claims``,
``data``, ``divergences``, ``losses``, ``latent``, ``density``, ``priors``, ``models``,
``recipes``, ``callbacks``, ``training``, ``viz``; apart from them, ``book``: the book's own
code (chapter 9's race, the exercises' checks, the chapters' multi-seed runs and their
shipped results), which no module of the core imports. Each is imported when it is first
used (``aegan_tf.metrics.fid``) or imported (``from aegan_tf import models``).

The models register with Keras when :mod:`aegan_tf.models` is imported: import it before
``keras.models.load_model`` reads a saved one.
"""

import importlib
import os
import sys

# TensorFlow logs from C++ once its logging is set up; level 3 keeps notebook cells clean.
# setdefault: a user who chose a level keeps it. This must run before TensorFlow is imported.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def _import_tensorflow_quietly() -> None:
    """Import TensorFlow with file descriptor 2 (stderr) pointed at /dev/null: before its log
    level applies, its C++ side prints lines there ("Could not find cuda drivers ...")."""
    if "tensorflow" in sys.modules:
        return
    saved, devnull = os.dup(2), os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    try:
        import tensorflow  # noqa: F401
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


_import_tensorflow_quietly()

__version__ = "0.1.0"

_SUBMODULES = (
    "book",
    "callbacks",
    "claims",
    "config",
    "data",
    "density",
    "divergences",
    "latent",
    "losses",
    "metrics",
    "models",
    "priors",
    "recipes",
    "training",
    "viz",
)

__all__ = ["__version__", *_SUBMODULES]


def __getattr__(name: str):
    """``aegan_tf.metrics`` and the like import their module on first use (PEP 562): importing
    one module (``import aegan_tf.losses``) loads no other, models included."""
    if name in _SUBMODULES:
        return importlib.import_module(f"aegan_tf.{name}")
    raise AttributeError(f"module 'aegan_tf' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_SUBMODULES})
