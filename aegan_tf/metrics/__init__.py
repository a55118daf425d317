"""Measures of generated samples."""

from aegan_tf.metrics.coverage import mode_coverage

__all__ = ["mode_coverage"]
