"""The book's own code, apart from the library: nothing in the core imports it.

- :mod:`~aegan_tf.book.comparison`: chapter 9's race of every model at one wall-clock budget;
- :mod:`~aegan_tf.book.exercises`: the checks of the chapters' coding exercises;
- :mod:`~aegan_tf.book.ring_gan`, :mod:`~aegan_tf.book.dcgan_tips`,
  :mod:`~aegan_tf.book.latent_objectives`, :mod:`~aegan_tf.book.semi_supervised`,
  :mod:`~aegan_tf.book.mlp_bigan`: the runs that chapters 2, 3, 5, 6 and 8 compare over
  several seeds;
- ``results/``: the benchmarks' shipped results, which the chapters read (also in Colab).

Each module is imported when it is first used, as in :mod:`aegan_tf`.
"""

import importlib

_SUBMODULES = (
    "comparison",
    "dcgan_tips",
    "exercises",
    "latent_objectives",
    "mlp_bigan",
    "ring_gan",
    "semi_supervised",
)

__all__ = list(_SUBMODULES)


def __getattr__(name: str):
    if name in _SUBMODULES:
        return importlib.import_module(f"aegan_tf.book.{name}")
    raise AttributeError(f"module 'aegan_tf.book' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_SUBMODULES})
