"""Measures of generated samples, offline: the feature network ships with the package.

- :mod:`~aegan_tf.metrics.distances`: FID, KID, precision and recall between two sets;
- :mod:`~aegan_tf.metrics.classifier`: class shares, classes covered, classifier score;
- :mod:`~aegan_tf.metrics.nearest`: memorisation, the distance to the nearest training image;
- :mod:`~aegan_tf.metrics.coverage`: modes of a known mixture covered (toy 2-D data);
- :mod:`~aegan_tf.metrics.probe`: what an encoder learned: a linear probe and a
  nearest-neighbour vote on its codes;
- :mod:`~aegan_tf.metrics.sharpness`: how blurred images are (variance of the Laplacian);
- :mod:`~aegan_tf.metrics.report`: all of the above for one set of samples, a table row;
- :mod:`~aegan_tf.metrics.features`: the feature network itself.
"""

from aegan_tf.metrics.classifier import ClassReport, asked_class_accuracy, class_report
from aegan_tf.metrics.coverage import ModeCoverage, mode_coverage
from aegan_tf.metrics.distances import (
    RELIABLE_SAMPLES,
    SmallSampleWarning,
    as_features,
    fid,
    frechet_distance,
    intra_class_kid,
    kid,
    precision_recall,
)
from aegan_tf.metrics.features import (
    FeatureNetworkUnavailableError,
    class_probabilities,
    extract_features,
    model_card,
)
from aegan_tf.metrics.nearest import nearest_neighbours
from aegan_tf.metrics.probe import knn_accuracy, linear_probe, nearest_neighbour_accuracy
from aegan_tf.metrics.report import sample_report
from aegan_tf.metrics.sharpness import sharpness

__all__ = [
    "RELIABLE_SAMPLES",
    "ClassReport",
    "FeatureNetworkUnavailableError",
    "ModeCoverage",
    "SmallSampleWarning",
    "as_features",
    "asked_class_accuracy",
    "class_probabilities",
    "class_report",
    "extract_features",
    "fid",
    "frechet_distance",
    "intra_class_kid",
    "kid",
    "knn_accuracy",
    "linear_probe",
    "mode_coverage",
    "model_card",
    "nearest_neighbour_accuracy",
    "nearest_neighbours",
    "precision_recall",
    "sample_report",
    "sharpness",
]
