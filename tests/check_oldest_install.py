"""The oldest supported environment: the notebooks' install line must keep its TensorFlow.

`make test` runs this script (it is not a pytest module). In ``.venv-oldest`` it

1. installs exactly the minimums that ``pyproject.toml`` declares for TensorFlow, Keras and
   numpy: what a Colab runtime that lags the newest release already holds;
2. runs the notebooks' install line (their first code cell, the same in every chapter),
   pointed at this checkout instead of GitHub, and fails if pip changed TensorFlow, Keras or
   numpy;
3. sets every other declared dependency to its declared minimum too (``pip check`` must
   find no conflict);
4. runs the package's unit tests (``pytest -m unit``: not the book's own checks, nor the
   slow modules that train every model several times) against the installed package, not
   this source tree; of the slow tests, the one that trains every model under XLA with its
   range check. (`make test` runs every slow test in ``.venv``; running them here too took
   about 5 minutes of the 30 that the README's test command may take.)

So every lower bound in ``pyproject.toml`` is one that the tests ran on. The environment is
kept between runs; it is made anew when the declared dependencies change or a run failed
before the unit tests.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv-oldest"
PYTHON = VENV / "bin" / "python"
DONE = VENV / "aegan-oldest.json"  # written when steps 1-4 passed: the environment is clean
KEPT = ("tensorflow", "keras", "numpy")
REPOSITORY = "git+https://github.com/aegan-tf/aegan-tf"
TEST_TOOLS = ("pytest", "pytest-xdist", "execnet", "scipy")  # at requirements.txt's versions
"""What the unit tests need beyond the package (scipy: a reference matrix square root)."""


class CheckFailed(Exception):
    """A step of the check failed; the message says which and why."""


def declared_requirements(pyproject: Path = ROOT / "pyproject.toml") -> list[str]:
    """The runtime dependencies, as ``pyproject.toml`` writes them."""
    return tomllib.loads(pyproject.read_text())["project"]["dependencies"]


def declared_minimums(requirements: list[str]) -> dict[str, str]:
    """``{name: version}`` of the ``>=`` bound of each requirement."""
    minimums = {}
    for line in requirements:
        requirement = Requirement(line)
        lows = [spec.version for spec in requirement.specifier if spec.operator == ">="]
        if len(lows) != 1:
            raise CheckFailed(
                f"pyproject.toml: {line!r} needs exactly one '>=' bound (the version this "
                f"check installs and tests), got {str(requirement.specifier) or 'none'}."
            )
        minimums[canonicalize_name(requirement.name)] = lows[0]
    missing = [name for name in KEPT if name not in minimums]
    if missing:
        raise CheckFailed(f"pyproject.toml declares no dependency on {missing}.")
    return minimums


def pinned(name: str, requirements: Path = ROOT / "requirements.txt") -> str:
    """The ``name==version`` line of ``requirements.txt`` (the test tools' versions)."""
    for line in requirements.read_text().splitlines():
        if canonicalize_name(line.split("==")[0]) == canonicalize_name(name):
            return line.strip()
    raise CheckFailed(f"requirements.txt pins no version of {name}.")


def notebook_install_args(book: Path = ROOT / "book") -> list[str]:
    """The arguments of the ``%pip install`` line that opens every chapter, aimed at ``ROOT``."""
    lines = {}
    for notebook in sorted(book.glob("*.ipynb")):
        cells = json.loads(notebook.read_text())["cells"]
        first = "".join(next(c for c in cells if c["cell_type"] == "code")["source"])
        match = re.search(r"^\s*%pip install (.+)$", first, flags=re.MULTILINE)
        if match is None:
            raise CheckFailed(f"{notebook.name}: its first code cell has no '%pip install' line.")
        lines[notebook.name] = match.group(1).strip()
    if len(set(lines.values())) != 1:
        raise CheckFailed(f"the chapters' install lines differ: {lines}")
    line = next(iter(lines.values()))
    if REPOSITORY not in line:
        raise CheckFailed(f"the install line {line!r} does not install from {REPOSITORY}.")
    return shlex.split(line.replace(REPOSITORY, ROOT.as_uri()))


def pip(*args: str) -> None:
    command = [str(PYTHON), "-m", "pip", *args, "--disable-pip-version-check"]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise CheckFailed(
            f"{shlex.join(command)} failed:\n{(result.stdout + result.stderr)[-3000:]}"
        )


def installed() -> dict[str, str]:
    listing = subprocess.run(
        [str(PYTHON), "-m", "pip", "list", "--format", "json", "--disable-pip-version-check"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return {canonicalize_name(p["name"]): p["version"] for p in json.loads(listing.stdout)}


def check_kept(base: dict[str, str], step: str) -> None:
    now = installed()
    changed = [f"{n} {base[n]} -> {now.get(n, 'removed')}" for n in KEPT if now.get(n) != base[n]]
    if changed:
        DONE.unlink(missing_ok=True)
        raise CheckFailed(
            f"{step} changed {', '.join(changed)}. In Colab that would replace the runtime's "
            "own versions. A dependency (or its newest release) needs versions that the oldest "
            f"supported ones do not meet; `pip install --dry-run --report - ...` in {VENV.name} "
            "shows which."
        )


def prepare(requirements: list[str]) -> None:
    """Steps 1-4 (see the module docstring)."""
    minimums = declared_minimums(requirements)
    base_pins = [f"{name}=={minimums[name]}" for name in KEPT]
    stamp = {"requirements": requirements, "python": sys.version.split()[0]}
    if VENV.exists() and (not DONE.exists() or json.loads(DONE.read_text()) != stamp):
        shutil.rmtree(VENV)  # other dependencies, or a run that failed: start clean
    if not VENV.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    DONE.unlink(missing_ok=True)
    pip("install", "--quiet", *base_pins, *(pinned(tool) for tool in TEST_TOOLS))
    base = installed()
    step(f"1. base: {', '.join(base_pins)}")

    install_line = notebook_install_args()
    pip("install", *install_line)
    check_kept(base, "The notebooks' install line")
    step("2. the notebooks' install line left TensorFlow, Keras and numpy alone")

    all_pins = [f"{name}=={version}" for name, version in minimums.items()]
    pip("install", "--quiet", *all_pins)
    pip("check")
    DONE.write_text(json.dumps(stamp))
    step(f"3. every declared minimum: {', '.join(all_pins[len(KEPT) :])}")


BOOK_TESTS = ("test_book.py", "test_assignments.py", "test_references.py", "test_workflow.py")
"""The book's own checks (build, browser, references, student notebooks): their tools are not
installed here, so they are not even collected."""

SLOW_TESTS_HERE = (
    "tests/test_resilience.py::test_every_model_trains_under_xla_and_keeps_its_range_check",
)
"""The slow tests (see conftest.py) that run here too: every model, once, under XLA."""


def run_unit_tests(pytest_args: list[str]) -> None:
    """Step 5: the unit tests, then :data:`SLOW_TESTS_HERE`, importing the installed package
    (importlib mode: no source path).

    ``pytest_args``: more arguments for pytest (`make test` gives its two processes).
    """
    options = [
        "-q", *pytest_args, "--disable-warnings", "-o", "addopts=", "-p", "no:cacheprovider",
        "--import-mode=importlib",
    ]  # fmt: skip
    pytest = str(VENV / "bin" / "pytest")
    unit = ["tests", "-m", "unit", *(f"--ignore=tests/{name}" for name in BOOK_TESTS)]
    for selection in (unit, list(SLOW_TESTS_HERE)):
        if subprocess.run([pytest, *selection, *options], cwd=ROOT).returncode != 0:
            raise CheckFailed(f"the tests {selection} failed in the oldest supported environment.")
    step("4. the unit tests and every model under XLA passed")


_START = time.perf_counter()


def step(message: str) -> None:
    print(f"[oldest {time.perf_counter() - _START:5.0f} s] {message}", flush=True)


def main() -> int:
    try:
        prepare(declared_requirements())
        run_unit_tests(sys.argv[1:])
    except CheckFailed as failure:
        print(f"check_oldest_install: FAILED: {failure}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
