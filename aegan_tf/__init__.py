"""aegan_tf: autoencoders, GANs and their combination in Keras 3 / TensorFlow.

The companion package of the *aegan-tf* book. Modules, lowest first: ``config``, ``data``,
``divergences``, ``losses``, ``latent``, ``density``, ``priors``, ``models``, ``callbacks``,
``training``, ``viz``, ``comparison``.
"""

import os

# TensorFlow logs from C++ once its logging is set up; level 3 keeps notebook cells clean.
# setdefault: a user who chose a level keeps it. This must run before TensorFlow is imported.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from aegan_tf import (
    callbacks,
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
