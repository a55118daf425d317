"""The command line, end to end on tiny runs: train, sample, evaluate, interrupt, resume, and a
clear message for each mistake."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from aegan_tf.cli import MODELS, build_model, main

TINY = ["--limit", "128", "--batch-size", "32", "--eval-samples", "64", "--quiet"]


def _run(*argv) -> int:
    return main([str(a) for a in argv])


def _metrics(out: Path) -> list[dict]:
    return [json.loads(p.read_text()) for p in sorted((out / "metrics").glob("epoch_*.json"))]


@pytest.mark.parametrize("command", [[], ["train"], ["sample"], ["evaluate"]])
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as done:
        main([*command, "--help"])
    assert done.value.code == 0
    text = capsys.readouterr().out
    assert text.startswith("usage: aegan-tf")
    if command == ["train"]:
        for option in ("--epochs", "--batch-size", "--out", "--resume", "--precision"):
            assert option in text


def test_the_console_script_and_python_m_run_the_same_command_line():
    script = Path(sys.executable).with_name("aegan-tf")  # installed by pip with the package
    for command in ([str(script)], [sys.executable, "-m", "aegan_tf"]):
        done = subprocess.run([*command, "--help"], capture_output=True, text=True, timeout=120)
        assert done.returncode == 0 and "{train,sample,evaluate}" in done.stdout
        assert done.stderr == ""  # TensorFlow's import lines are kept off the terminal


@pytest.mark.parametrize("model", MODELS)
def test_each_model_trains_an_epoch_then_samples_and_evaluates(model, tmp_path, capsys):
    out = tmp_path / model
    extra = ["--ae-epochs", "12", "--limit", "256"] if "latent" in model else []
    assert _run("train", model, "--epochs", 1, "--out", out, *TINY, *extra) == 0
    assert json.loads((out / "run.json").read_text())["model"] == model
    (record,) = _metrics(out)
    assert record["epoch"] == 1 and all(np.isfinite(v) for v in record.values())
    assert (out / "model.keras").exists() and (out / "backup").is_dir()
    if model == "autoencoder":  # it reconstructs; it does not draw new images
        assert not (out / "samples" / "epoch_0001.png").exists()
        assert _run("sample", out, "--out", tmp_path / "grid.png") == 2
        assert "does not draw new images" in capsys.readouterr().err
    else:
        assert record["fid"] > 0
        assert (out / "samples" / "epoch_0001.png").stat().st_size > 1000
        assert _run("sample", out, "--n", 16, "--out", tmp_path / "grid.png") == 0
        assert (tmp_path / "grid.png").read_bytes()[:4] == b"\x89PNG"
        asked = _run("sample", out, "--digit", 7, "--out", tmp_path / "seven.png")
        if model.startswith("conditional"):  # trained on the digits' labels
            assert asked == 0 and (tmp_path / "seven.png").read_bytes()[:4] == b"\x89PNG"
            assert "digit 7" in capsys.readouterr().out
        else:
            assert asked == 2
            assert "trained without labels: it cannot be asked" in capsys.readouterr().err
    assert _run("evaluate", out, "--n", 100) == 0
    report = json.loads((out / "evaluation.json").read_text())
    assert report["epochs"] == 1
    key = "test reconstruction MSE" if model == "autoencoder" else "FID"
    assert report[key] > 0 and key in capsys.readouterr().out


def test_ctrl_c_stops_between_steps_and_resume_finishes_the_run(tmp_path):
    """A real interrupt: SIGINT to a training process once its first epoch is saved."""
    out = tmp_path / "run"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-m", "aegan_tf", "train", "gan", "--epochs", "3", "--out", str(out)]
    command += ["--limit", "512", "--batch-size", "32", "--eval-samples", "64", "--quiet"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=env)  # fmt: skip
    deadline = time.monotonic() + 300
    while not (out / "metrics" / "epoch_0001.json").exists():
        assert process.poll() is None and time.monotonic() < deadline, process.communicate()
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)  # in epoch 2: 16 steps of about 0.15 s
    stdout, stderr = process.communicate(timeout=300)
    assert process.returncode == 130, stdout + stderr
    assert "stopping after this step" in stdout and "Traceback" not in stderr
    assert f"aegan-tf train gan --out {out} --resume" in stdout
    saved = _metrics(out)
    assert [r["epoch"] for r in saved] == [1]  # the epoch in progress is not half-saved
    assert not list(out.rglob(".partial.*"))

    done = subprocess.run([*command[:-1], "--resume"], capture_output=True, text=True, env=env,
                          timeout=600)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "resuming after epoch 1 of 3" in done.stdout
    assert [r["epoch"] for r in _metrics(out)] == [1, 2, 3]
    assert _metrics(out)[0] == saved[0]  # epoch 1's record is the one written before the stop
    assert sorted(p.name for p in (out / "samples").iterdir()) == [
        "epoch_0001.png", "epoch_0002.png", "epoch_0003.png"
    ]  # fmt: skip


def test_a_finished_run_is_extended_with_more_epochs(tmp_path, capsys):
    out = tmp_path / "run"
    assert _run("train", "vae", "--epochs", 1, "--out", out, *TINY) == 0
    assert _run("train", "vae", "--epochs", 1, "--out", out, "--resume", "--quiet") == 0
    assert "1 epochs already trained" in capsys.readouterr().out
    assert _run("train", "vae", "--epochs", 2, "--out", out, "--resume", "--quiet") == 0
    assert [r["epoch"] for r in _metrics(out)] == [1, 2]
    run = json.loads((out / "run.json").read_text())
    assert run["epochs"] == 2 and run["batch_size"] == 32 and run["limit"] == 128  # kept


def test_mistakes_get_a_clear_message_and_lose_nothing(tmp_path, capsys):
    out = tmp_path / "run"

    def error(*argv) -> str:
        assert _run(*argv) == 2
        return capsys.readouterr().err

    assert "nothing to resume" in error("train", "gan", "--out", out, "--resume")
    assert "holds no run" in error("sample", out)
    assert "holds no run" in error("evaluate", tmp_path / "missing")
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    assert "not empty and holds no run" in error("train", "gan", "--out", out, *TINY)
    assert (out / "notes.txt").read_text() == "mine"

    run = tmp_path / "gan"
    assert _run("train", "gan", "--epochs", 1, "--out", run, *TINY) == 0
    before = (run / "model.keras").read_bytes()
    message = error("train", "gan", "--out", run, *TINY)
    assert "already holds a gan run (1 of 1 epochs done)" in message and "--resume" in message
    assert f"aegan-tf train gan --out {run} --resume" in error("train", "vae", "--out", run,
                                                               "--resume")  # fmt: skip
    assert "--batch-size 32 -> 64" in error(
        "train", "gan", "--out", run, "--resume", "--batch-size", "64"
    )
    assert (run / "model.keras").read_bytes() == before  # none of these touched the run

    with pytest.raises(SystemExit):  # below 100 samples the metrics mean little
        main(["evaluate", str(run), "--n", "10"])
    assert "--n: must be at least 100" in capsys.readouterr().err
    (run / "model.keras").write_bytes(before[: len(before) // 2])  # a copy cut short
    assert "is not a whole .keras file" in error("sample", run)

    (run / "model.keras").unlink()  # a run stopped before its first epoch ended
    assert "no finished epoch yet" in error("sample", run)

    with pytest.raises(SystemExit) as done:
        main(["train", "gpt", "--out", str(tmp_path / "x")])
    assert done.value.code == 2 and "invalid choice: 'gpt'" in capsys.readouterr().err
    with pytest.raises(ValueError, match="unknown model 'gpt'; choose one of autoencoder"):
        build_model("gpt")


class _Parsed:
    """A parser whose ``parse_args`` returns a namespace that runs ``run``."""

    def __init__(self, run):
        self.run = run

    def parse_args(self, argv):
        import argparse

        return argparse.Namespace(command="sample", run=self.run)


def test_only_the_packages_own_value_errors_become_one_line(monkeypatch, capsys):
    # The package's ValueErrors (bad arguments, with the fix named) are one line and exit
    # status 2; a ValueError from deep inside a library is a fault: its traceback propagates.
    from aegan_tf import cli
    from aegan_tf.data import scale_images

    monkeypatch.setattr(cli, "parser", lambda: _Parsed(lambda a: scale_images(np.full(3, 300))))
    assert cli.main([]) == 2
    assert capsys.readouterr().err.startswith("aegan-tf sample: ")
    monkeypatch.setattr(cli, "parser", lambda: _Parsed(lambda a: np.zeros(3).reshape(2, 2)))
    with pytest.raises(ValueError, match="cannot reshape"):
        cli.main([])
