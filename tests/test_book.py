"""The book builds with Sphinx warnings as errors (notebooks rendered from their stored outputs).

nbval executes the notebooks; this test checks what the build adds: the table of contents,
cross-references, math and MyST syntax. `make book` builds the same pages, executing them.
"""

import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def test_book_builds_without_warnings(tmp_path):
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    config["execute"]["execute_notebooks"] = "off"
    config_path = tmp_path / "_config.yml"
    config_path.write_text(yaml.safe_dump(config))
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    result = subprocess.run(
        [str(jupyter_book), "build", str(ROOT), "--config", str(config_path),
         "--path-output", str(tmp_path), "--warningiserror", "--keep-going"],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    chapter = (tmp_path / "_build" / "html" / "book" / "01_autoencoders.html").read_text()
    assert chapter.count("<img") >= 10  # the chapter's figures, from the stored outputs
    assert "Open In Colab" in chapter
