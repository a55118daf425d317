"""The GitHub Actions workflow cannot run here: it is linted (yamllint) and read against the
README's commands."""

import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / ".github" / "workflows" / "book.yml"


def _readme_commands() -> list[str]:
    block = re.search(
        r"## The commands\n\n```bash\n(.*?)```", (ROOT / "README.md").read_text(), re.S
    )
    return [
        line.split("#")[0].strip() for line in block.group(1).splitlines() if line[:1].isalpha()
    ]


def test_yaml_files_pass_yamllint():
    files = [WORKFLOW, ROOT / "_config.yml", ROOT / "_toc.yml", ROOT / ".yamllint.yml"]
    result = subprocess.run(
        [sys.executable, "-m", "yamllint", "--strict", *map(str, files)],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflow_runs_the_readme_commands_and_publishes_the_book():
    assert _readme_commands() == ["make book", "make html", "make test"]
    workflow = yaml.safe_load(WORKFLOW.read_text())
    triggers = workflow[True] if True in workflow else workflow["on"]  # YAML 1.1 reads `on` as True
    assert triggers["push"]["branches"] == ["main"]
    jobs = workflow["jobs"]

    def commands(job: str) -> list[str]:
        return [step["run"] for step in jobs[job]["steps"] if "run" in step]

    assert commands("test") == ["make test"]
    assert commands("build") == ["make book"]
    assert jobs["build"]["env"]["AEGAN_OFFLINE"] == "1"  # the data the stored outputs used
    for job in ("test", "build"):
        assert jobs[job]["container"].startswith("python:3.11")  # requirements.txt's Python
    upload = next(s for s in jobs["build"]["steps"] if "upload-pages-artifact" in s.get("uses", ""))
    assert upload["with"]["path"] == "_build/html"  # where `make book` writes the HTML
    deploy = jobs["deploy"]
    assert set(deploy["needs"]) == {"test", "build"}
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert any("deploy-pages" in s.get("uses", "") for s in deploy["steps"])
    assert "refs/heads/main" in deploy["if"]


def test_requirements_pin_python_3_11_packages():
    header = (ROOT / "requirements.txt").read_text().splitlines()[0]
    assert "Python 3.11" in header
