"""Measures of generated samples."""

from aegan_tf.metrics.coverage import ModeCoverage, mode_coverage
from aegan_tf.metrics.nearest import nearest_neighbours

__all__ = ["ModeCoverage", "mode_coverage", "nearest_neighbours"]
