"""Test settings: fast mode and the offline data source, also for the notebooks nbval runs.

Set here (not only in the Makefile) so that a bare ``pytest`` behaves like ``make test``;
nbval's kernels inherit this environment.
"""

import os

os.environ.setdefault("AEGAN_FAST", "1")
os.environ.setdefault("AEGAN_OFFLINE", "1")
os.environ.setdefault("AEGAN_STRICT_CLAIMS", "1")  # a claim that does not hold fails
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("MPLBACKEND", "Agg")

# Markers (`make unit` runs the unit tests alone, a developer's inner loop; `make test` and CI
# run everything): book = builds or executes the book's notebooks; browser = the built pages in
# Chromium; slow = trains every model several times (resilience, two devices, the CLI end to
# end, chapter 9's race); unit = the rest.
_BOOK_MODULES = {"test_book.py", "test_assignments.py"}
_SLOW_MODULES = {"test_resilience.py", "test_distribute.py", "test_cli.py", "test_comparison.py"}


def pytest_collection_modifyitems(config, items):
    import pytest

    for item in items:
        module = item.path.name
        if item.path.suffix == ".ipynb" or module in _BOOK_MODULES:
            item.add_marker(pytest.mark.book)
            if "browser" in item.name:
                item.add_marker(pytest.mark.browser)
        elif module in _SLOW_MODULES:
            item.add_marker(pytest.mark.slow)
        else:
            item.add_marker(pytest.mark.unit)
