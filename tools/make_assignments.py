"""Student versions of the chapters, as nbgrader's ``generate_assignment`` writes them, without
needing nbgrader: every ``### BEGIN SOLUTION`` ... ``### END SOLUTION`` region becomes
nbgrader's stub (``# YOUR CODE HERE`` and ``raise NotImplementedError()``, indented like the
marker), outputs are cleared, and check and solution cells are locked as nbgrader locks them.

    python tools/make_assignments.py [--out DIR] [NOTEBOOK ...]     # or: make assignments

Without arguments it writes every chapter of ``book/`` to ``_build/assignments/``. Teachers with
nbgrader can instead copy ``book/*.ipynb`` into their course's ``source/`` folder and run
``nbgrader generate_assignment``: the chapters carry nbgrader's cell metadata.
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BEGIN, END = "BEGIN SOLUTION", "END SOLUTION"
CODE_STUB = ("# YOUR CODE HERE", "raise NotImplementedError()")
TEXT_STUB = ("YOUR ANSWER HERE",)


def _source(cell: dict) -> str:
    source = cell["source"]
    return source if isinstance(source, str) else "".join(source)


def _grading(cell: dict) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def clear_solutions(source: str, stub: tuple[str, ...]) -> tuple[str, bool]:
    """``source`` with each solution region replaced by ``stub``; and whether there was one."""
    lines, inside, replaced = [], False, False
    for line in source.split("\n"):
        if BEGIN in line:
            if inside:
                raise ValueError(f"nested {BEGIN!r} markers in:\n{source}")
            inside = replaced = True
            indent = re.match(r"\s*", line).group(0)
            lines += [indent + s for s in stub]
        elif END in line:
            inside = False
        elif not inside:
            lines.append(line)
    if inside:
        raise ValueError(f"{BEGIN!r} without {END!r} in:\n{source}")
    return "\n".join(lines), replaced


def student_version(notebook: dict) -> dict:
    """A copy of ``notebook`` (nbformat 4, as JSON) without solutions or outputs."""
    notebook = copy.deepcopy(notebook)
    for cell in notebook["cells"]:
        grading = _grading(cell)
        stub = CODE_STUB if cell["cell_type"] == "code" else TEXT_STUB
        source, replaced = clear_solutions(_source(cell), stub)
        if replaced and not grading.get("solution"):
            raise ValueError(f"a solution region in a cell not marked as a solution:\n{source}")
        if grading.get("solution") and not replaced:
            source = "\n".join(stub)
        cell["source"] = source
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
        metadata = cell.setdefault("metadata", {})
        if grading.get("solution") or grading.get("grade"):
            grading["cell_type"] = cell["cell_type"]  # as nbgrader records it
        if grading.get("solution"):  # nbgrader's LockCells
            metadata["deletable"] = False
        elif grading.get("grade") or grading.get("locked"):
            metadata["deletable"] = metadata["editable"] = False
    return notebook


def chapters() -> list[Path]:
    return sorted((ROOT / "book").glob("[0-9][0-9]_*.ipynb"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every chapter")
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "assignments")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for path in args.notebooks or chapters():
        student = student_version(json.loads(path.read_text()))
        (args.out / path.name).write_text(json.dumps(student, indent=1, ensure_ascii=False) + "\n")
        print(f"{args.out / path.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
