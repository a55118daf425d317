# The README's two commands: `make book` and `make test`. Each sets itself up on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
READY := $(VENV)/.ready
# `make test` runs the tests in two processes (pytest-xdist), a test file each at a time (a
# notebook's cells run in order in one kernel; a module's fixtures are built once): most tests
# keep one core busy. (`--dist loadgroup` would split files, but pytest-xdist 3.8's groups
# have no effect under pytest 9.2, whose node ids it no longer rewrites.)
PARALLEL ?= -n 2 --dist loadfile

.PHONY: book html test unit oldest assignments clean

$(READY): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(READY)

## Execute every notebook (full mode unless AEGAN_FAST=1) and write _build/html/index.html;
## a chapter's claim that does not hold fails the build (AEGAN_STRICT_CLAIMS=1).
book: $(READY)
	AEGAN_STRICT_CLAIMS=1 $(BIN)/jupyter-book build . --warningiserror --keep-going

## The same pages from the notebooks' stored outputs, without executing them: about a minute.
html: $(READY)
	$(BIN)/python tools/build_html.py

## Lint and format check, unit tests of the package, a warnings-as-errors book build and its pages in
## headless Chromium (installed from Debian's package when run as root), every notebook under nbval;
## then the same unit tests in the oldest supported environment.
test: $(READY)
	bash tools/install_browser.sh
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest $(PARALLEL)
	$(BIN)/python tests/check_oldest_install.py $(PARALLEL)

## The unit tests alone (pytest -m unit: no notebooks, book build, browser or slow training
## tests), for a developer's inner loop. `make test` runs everything.
unit: $(READY)
	$(BIN)/python -m pytest -m unit

## The package installed by the notebooks' install line into the oldest declared TensorFlow, Keras
## and numpy (.venv-oldest, kept between runs): fails if pip changes them; then the unit tests.
oldest: $(READY)
	$(BIN)/python tests/check_oldest_install.py

## Student versions of the chapters in _build/assignments/: solutions replaced by nbgrader's stub.
assignments: $(READY)
	$(BIN)/python tools/make_assignments.py

clean:
	rm -rf _build $(VENV) .venv-oldest
