import json
import re
from pathlib import Path

import pytest

from aegan_tf import config


def test_by_mode_follows_the_fast_switch(monkeypatch):
    monkeypatch.setenv("AEGAN_FAST", "1")
    assert config.is_fast() and config.by_mode(fast=1, full=30) == 1
    monkeypatch.setenv("AEGAN_FAST", "0")
    assert not config.is_fast() and config.by_mode(fast=1, full=30) == 30
    monkeypatch.delenv("AEGAN_FAST")
    assert config.by_mode(fast="small", full="large") == "large"


def test_unreadable_switch_value_is_an_error(monkeypatch):
    monkeypatch.setenv("AEGAN_OFFLINE", "maybe")
    with pytest.raises(ValueError, match=r"AEGAN_OFFLINE.*'maybe'"):
        config.is_offline()


@pytest.mark.parametrize("seed", [-1, 1.5, "3", True])
def test_set_seed_rejects_non_integers(seed):
    with pytest.raises(ValueError, match="seed"):
        config.set_seed(seed)


def test_device_report_names_the_device_and_mode(monkeypatch):
    monkeypatch.setenv("AEGAN_FAST", "1")
    report = config.device_report()
    assert ("GPU" in report or "CPU" in report) and "fast mode" in report


@pytest.mark.parametrize(
    "gpus, flags, expected",
    [
        ([(7, 5)], set(), "mixed_float16"),  # a T4, as in Colab: tensor cores
        ([(9, 0), (8, 0)], set(), "mixed_float16"),
        ([(6, 0)], {"amx_bf16"}, "float32"),  # a P100: no tensor cores; the GPU decides
        ([], {"avx2", "amx_bf16", "amx_tile"}, "mixed_bfloat16"),  # Sapphire Rapids
        ([], {"avx512f", "avx512_bf16"}, "mixed_bfloat16"),  # Zen 4
        ([], {"avx2", "fma"}, "float32"),  # no native bfloat16: it would be emulated
    ],
)
def test_auto_precision_follows_the_hardware(monkeypatch, gpus, flags, expected):
    monkeypatch.setattr(config, "_gpu_compute_capabilities", lambda: gpus)
    monkeypatch.setattr(config, "_cpu_flags", lambda: flags)
    assert config.auto_precision() == expected


def test_set_precision_sets_the_keras_policy_and_refuses_unknown_names():
    import keras

    try:
        assert config.set_precision("mixed_bfloat16") == "mixed_bfloat16"
        assert keras.config.dtype_policy().name == "mixed_bfloat16"
        assert config.set_precision("auto") == config.auto_precision()
        assert keras.config.dtype_policy().name == config.auto_precision()
        with pytest.raises(ValueError, match=r"'auto' or one of .*got 'float16'"):
            config.set_precision("float16")
    finally:
        config.set_precision("float32")
    assert keras.config.dtype_policy().name == "float32"


def test_this_machines_cpu_flags_are_read():
    flags = config._cpu_flags()
    assert not flags or "fpu" in flags or "sse2" in flags  # x86 flags when /proc/cpuinfo exists


def test_run_dir_is_per_mode_and_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.delenv(config.RUN_DIR_ENV, raising=False)
    monkeypatch.setenv(config.FAST_ENV, "1")
    assert config.run_dir("03_dcgan") == Path("runs/fast/03_dcgan")
    monkeypatch.setenv(config.FAST_ENV, "0")
    monkeypatch.setenv(config.RUN_DIR_ENV, str(tmp_path / "drive"))  # as on Google Drive
    assert config.run_dir("03_dcgan/tips") == tmp_path / "drive" / "full" / "03_dcgan" / "tips"
    for bad in ("", "/abs", 3):
        with pytest.raises(ValueError, match="relative folder name"):
            config.run_dir(bad)


def test_digits_are_the_offline_sets_size_unless_all_are_asked_for(monkeypatch):
    monkeypatch.delenv("AEGAN_ALL_DIGITS", raising=False)
    assert (config.digits("train"), config.digits("test")) == (4000, 1000)
    monkeypatch.setenv("AEGAN_ALL_DIGITS", "1")
    assert (config.digits("train"), config.digits("test")) == (None, None)
    with pytest.raises(ValueError, match="split must be one of"):
        config.digits("validation")


def test_the_chapters_use_the_same_digits_online_and_offline():
    # every data.load of MNIST in a chapter is limited by config.digits (or chapter 9's fixed
    # grid reference, 4,000), so that a reader online does the work of the book's run
    for notebook in sorted((Path(__file__).parents[1] / "book").glob("0*.ipynb")):
        cells = json.loads(notebook.read_text())["cells"]
        code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        for call in re.findall(r"data\.load\((?:[^()]|\([^()]*\))*\)", code):
            assert "limit=" in call, f"{notebook.name}: {call}"
