"""The HTML book from the notebooks' stored outputs, without executing them (``make html``).

    python tools/build_html.py [--out DIR]

Writes ``DIR/_build/html`` (by default ``_build/html`` in the project): the same pages as
``make book``, whose build executes every chapter in full mode and checks its claims, but in
about a minute, from the outputs stored in ``book/*.ipynb``. Sphinx warnings are errors here
as there. The configuration is ``_config.yml`` with ``execute_notebooks: off``, written into
``DIR/_build/html_config/``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def build_html(out: Path = ROOT) -> subprocess.CompletedProcess:
    """Build the book into ``out/_build/html`` without executing the notebooks; the finished
    ``jupyter-book`` process (``returncode``, ``stdout``, ``stderr``)."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    config["execute"]["execute_notebooks"] = "off"
    extensions = config["sphinx"]["local_extensions"]  # paths are read from the config's folder
    config["sphinx"]["local_extensions"] = {k: str(ROOT / v) for k, v in extensions.items()}
    config_path = Path(out) / "_build" / "html_config" / "_config.yml"
    config_path.parent.mkdir(parents=True, exist_ok=True)
    config_path.write_text(yaml.safe_dump(config))
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    return subprocess.run(
        [str(jupyter_book), "build", str(ROOT), "--config", str(config_path),
         "--path-output", str(out), "--warningiserror", "--keep-going"],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT, help="writes OUT/_build/html")
    args = parser.parse_args()
    result = build_html(args.out.resolve())
    print(result.stdout[-3000:], result.stderr[-3000:], sep="\n")
    if result.returncode == 0:
        print(f"The book: {args.out.resolve() / '_build' / 'html' / 'index.html'}")
    sys.exit(result.returncode)


if __name__ == "__main__":
    main()
