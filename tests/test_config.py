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
