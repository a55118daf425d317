"""aegan_tf: autoencoders, GANs and their combination in Keras 3 / TensorFlow.

The companion package of the *aegan-tf* book. Modules, lowest first: ``config``, ``claims``,
``data``, ``divergences``, ``losses``, ``latent``, ``density``, ``priors``, ``models``,
``callbacks``, ``training``, ``viz``, ``comparison``.
"""

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

from aegan_tf import (  # noqa: E402  (after TensorFlow, imported quietly)
    callbacks,
    claims,
    comparison,
    config,
    data,
    density,
    divergences,
    latent,
    losses,
    metrics,
    models,
    priors,
    training,
    viz,
)

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "callbacks",
    "claims",
    "comparison",
    "config",
    "data",
    "density",
    "divergences",
    "latent",
    "losses",
    "metrics",
    "models",
    "priors",
    "training",
    "viz",
]
