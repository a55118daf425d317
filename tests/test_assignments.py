"""The chapters' coding exercises: nbgrader's markers and metadata, the project's student
versions (`make assignments`) against what nbgrader itself generates, and a student notebook
that runs up to its first exercise, where the stub fails the check with a clear message."""

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from aegan_tf.book import exercises

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
_spec = importlib.util.spec_from_file_location(
    "make_assignments", ROOT / "tools" / "make_assignments.py"
)
make_assignments = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_assignments)

CHAPTERS = make_assignments.chapters()


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text())["cells"]


def _source(cell: dict) -> str:
    return "".join(cell["source"])


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_each_chapter_ends_with_checked_exercises(path):
    cells = _cells(path)
    solutions = [
        i for i, c in enumerate(cells) if c["metadata"].get("nbgrader", {}).get("solution")
    ]
    assert len(solutions) >= 2, "at least two coding exercises per chapter"
    for i in solutions:
        solution, check = cells[i], cells[i + 1]
        assert "### BEGIN SOLUTION" in _source(solution) and "### END SOLUTION" in _source(solution)
        assert "hide-input" in solution["metadata"]["tags"]  # a toggle in the rendered book
        grading = check["metadata"]["nbgrader"]
        assert grading["grade"] and grading["locked"] and grading["points"] > 0
        name = re.fullmatch(r"exercises\.(check_\w+)\((\w+)\)", _source(check).strip())
        assert name and name.group(1) in exercises.CHECKS, _source(check)
        assert f"def {name.group(2)}(" in _source(solution)
        assert "✓" in "".join("".join(o.get("text", "")) for o in check["outputs"])  # ran, passed
    ids = [c["metadata"]["nbgrader"]["grade_id"] for c in cells if "nbgrader" in c["metadata"]]
    assert len(ids) == len(set(ids))


def test_every_check_is_used_by_a_chapter():
    used = {
        m
        for path in CHAPTERS
        for c in _cells(path)
        for m in re.findall(r"exercises\.(check_\w+)\(", _source(c))
    }
    assert used == set(exercises.CHECKS)


def test_student_version_is_what_nbgrader_generates(tmp_path):
    chapter = ROOT / "book" / "02_gan_math.ipynb"
    source = tmp_path / "course" / "source" / "ch02"
    source.mkdir(parents=True)
    shutil.copy(chapter, source)
    (tmp_path / "course" / "nbgrader_config.py").write_text(
        'c = get_config()\nc.CourseDirectory.course_id = "aegan"\n'
    )
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ['PATH']}")  # nbgrader runs alembic
    result = subprocess.run(
        [str(BIN / "nbgrader"), "generate_assignment", "ch02", "--force"],
        cwd=tmp_path / "course", env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    theirs = json.loads((tmp_path / "course/release/ch02/02_gan_math.ipynb").read_text())
    ours = make_assignments.student_version(json.loads(chapter.read_text()))
    assert len(ours["cells"]) == len(theirs["cells"])
    stubs = 0
    for mine, nbgrader in zip(ours["cells"], theirs["cells"], strict=True):
        assert mine["cell_type"] == nbgrader["cell_type"]
        assert mine["source"] == _source(nbgrader)
        assert mine.get("outputs", []) == nbgrader.get("outputs", []) == []
        nbgrader["metadata"].get("nbgrader", {}).pop("checksum", None)  # nbgrader's own hash
        assert mine["metadata"] == nbgrader["metadata"]
        stubs += mine["cell_type"] == "code" and "raise NotImplementedError()" in mine["source"]
    assert stubs == 3
    assert "BEGIN SOLUTION" not in json.dumps(ours)


def test_make_assignments_writes_every_chapter(tmp_path):
    assert make_assignments.main(["--out", str(tmp_path)]) == 0
    written = sorted(p.name for p in tmp_path.glob("*.ipynb"))
    assert written == [p.name for p in CHAPTERS]
    for path in tmp_path.glob("*.ipynb"):
        text = path.read_text()
        assert "BEGIN SOLUTION" not in text and "# YOUR CODE HERE" in text


def test_solution_markers_outside_a_solution_cell_are_refused():
    solution = "### BEGIN SOLUTION\nx = 1\n### END SOLUTION"
    cell = {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": 1}
    notebook = {"cells": [dict(cell, source=solution)]}
    with pytest.raises(ValueError, match="not marked as a solution"):
        make_assignments.student_version(notebook)
    notebook["cells"][0]["metadata"] = {"nbgrader": {"solution": True}}
    notebook["cells"][0]["source"] = "### BEGIN SOLUTION\nx = 1\n"
    with pytest.raises(ValueError, match="without"):
        make_assignments.student_version(notebook)


def test_a_student_notebook_runs_to_its_first_exercise_and_the_stub_fails_clearly():
    chapter = ROOT / "book" / "02_gan_math.ipynb"
    student = nbformat.from_dict(make_assignments.student_version(json.loads(chapter.read_text())))
    first_check = next(
        i for i, c in enumerate(student.cells) if c.metadata.get("nbgrader", {}).get("grade")
    )
    client = NotebookClient(
        student, timeout=600, kernel_name="python3",
        resources={"metadata": {"path": str(chapter.parent)}},
    )  # fmt: skip
    with pytest.raises(CellExecutionError) as error:
        client.execute()
    assert "NotYetRight" in str(error.value)
    assert "still raises NotImplementedError" in str(error.value)
    ran = [i for i, c in enumerate(student.cells) if c.cell_type == "code" and c.execution_count]
    assert max(ran) == first_check  # every cell before it ran, and it was the one that failed
