"""Test settings: fast mode and the offline data source, also for the notebooks nbval runs.

Set here (not only in the Makefile) so that a bare ``pytest`` behaves like ``make test``;
nbval's kernels inherit this environment.
"""

import os

os.environ.setdefault("AEGAN_FAST", "1")
os.environ.setdefault("AEGAN_OFFLINE", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("MPLBACKEND", "Agg")
